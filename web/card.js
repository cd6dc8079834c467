// card: a film as a poster card (grid, rows, collection pages), with its
// watched mark, progress bar and offline mark; in the list view the same
// card shows its columns (year, director, runtime, resolution, watched).
import { h, formatRuntime } from './dom.js';
import { poster } from './poster.js';

// Watched mark, progress bar and offline mark over a poster.
export function cardBadges(film) {
  const w = film.watch || {};
  const runtime = (film.runtime || 0) * 60;
  const badges = [];
  if (w.watched) badges.push(h('span.card-watched', { title: 'Watched', 'aria-label': 'Watched' }, '✓'));
  if (film.offline) badges.push(h('span.card-offline', { title: 'Its library folder is offline' }, 'Offline'));
  if (w.position > 0) {
    const share = runtime ? Math.min(1, w.position / runtime) : 0.5;
    badges.push(h('span.card-progress', { role: 'progressbar', 'aria-label': 'Watched so far',
      'aria-valuenow': String(Math.round(share * 100)), 'aria-valuemin': '0', 'aria-valuemax': '100' },
    h('span.card-progress-bar', { style: `width: ${(share * 100).toFixed(1)}%` })));
  }
  return badges;
}

export function card(film) {
  const meta = [film.year, formatRuntime(film.runtime)].filter(Boolean).join(' · ');
  const watched = film.watch && film.watch.watched;
  return h(film.offline ? 'li.card.card-is-offline' : 'li.card',
    h('a.card-link', { href: `/film/${film.id}`, dataset: { filmId: film.id } },
      h('span.card-art', poster(film, { width: 300 }), cardBadges(film)),
      h('span.card-title', film.title),
      h('span.card-meta', meta || '\u00a0'),
      // Columns of the list view (hidden on the poster wall).
      h('span.card-col.card-col-year', film.year ? String(film.year) : '—'),
      h('span.card-col.card-col-director', film.director || '—'),
      h('span.card-col.card-col-runtime', formatRuntime(film.runtime) || '—'),
      h('span.card-col.card-col-resolution', [film.resolution, film.hdr ? 'HDR' : null].filter(Boolean).join(' ') || '—'),
      h('span.card-col.card-col-watched', watched ? 'Watched' : 'Not watched')));
}
