// poster: a film's poster, or a typographic placeholder when there is none
// or it fails to load (never a broken-image icon).
import { h, hueOf } from './dom.js';
import { posterUrl } from './api.js';

export function poster(film, { width = 300, className = '', eager = false } = {}) {
  const hue = hueOf(film.title);
  const frame = h('span.poster', {
    class: className,
    style: `--hue: ${hue}`,
    'aria-hidden': 'true',
  },
  h('span.poster-placeholder',
    h('span.poster-placeholder-title', film.title || 'Untitled'),
    film.year ? h('span.poster-placeholder-year', String(film.year)) : null));
  const url = posterUrl(film, width);
  if (url) {
    const img = h('img', {
      src: url,
      alt: '',
      loading: eager ? 'eager' : 'lazy',
      decoding: 'async',
      onerror: () => img.remove(),
      onload: () => frame.classList.add('poster-loaded'),
    });
    frame.append(img);
  }
  return frame;
}
