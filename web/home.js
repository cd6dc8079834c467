// home: the rows above the full grid on the unfiltered library page:
// Continue watching, Recently added, a random pick, "From the festivals"
// (films with a festival release) and one row per collection. A row with
// nothing in it is not shown; the full grid is one link away.
import { h, formatRuntime } from './dom.js';
import { api } from './api.js';
import { card } from './card.js';
import { poster } from './poster.js';
import { loadCollections } from './shelf.js';

const ROW_SIZE = 12;
const COLLECTION_ROWS = 8; // at most this many collection rows (requests) on the page

export function row(title, id, films, { href = null, note = null } = {}) {
  if (!films.length) return null;
  return h('section.row', { id, 'aria-labelledby': `${id}-title` },
    h('div.row-head',
      h('h2.row-title', { id: `${id}-title` }, href ? h('a', { href }, title) : title),
      note ? h('span.row-note', note) : null),
    h('ol.row-list', films.map(card)));
}

// A film chosen at random, large, with "Another pick".
function pickSection(film, signal) {
  if (!film) return null;
  const section = h('section.row.pick', { id: 'random-pick', 'aria-labelledby': 'random-pick-title' });
  const fill = (f) => {
    section.replaceChildren(
      h('div.row-head', h('h2.row-title', { id: 'random-pick-title' }, 'A random pick')),
      h('div.pick-body',
        h('a.pick-link', { href: `/film/${f.id}`, dataset: { filmId: f.id } },
          poster(f, { width: 300, className: 'pick-poster' }),
          h('span.pick-text',
            h('span.pick-title', f.title),
            h('span.pick-meta', [f.year, f.director ? `by ${f.director}` : null, formatRuntime(f.runtime)]
              .filter(Boolean).join(' · ')),
            (f.genres || []).length ? h('span.pick-genres', f.genres.join(', ')) : null)),
        h('button.btn.pick-again', {
          type: 'button',
          onclick: async () => {
            const next = await randomFilm(signal, f.id).catch(() => null);
            if (next) fill(next);
          },
        }, 'Another pick')));
  };
  fill(film);
  return section;
}

async function randomFilm(signal, not = null) {
  const seed = Math.floor(Math.random() * 2 ** 31);
  const r = await api.films({ sort: 'random', seed, limit: 2 }, { signal });
  const items = (r.items || []).filter((f) => f.id !== not);
  return items[0] || null;
}

// The rows last shown: Back to the library shows the same ones (the same
// random pick), so the page has the same height and keeps its place.
let lastRows = null;

export async function homeRows({ signal, reuse = false }) {
  if (reuse && lastRows) return build(lastRows, signal);
  const safe = (p, fallback) => p.catch((e) => { if (e.name === 'AbortError') throw e; return fallback; });
  const [inProgress, recent, pick, festivals, collections] = await Promise.all([
    safe(api.continueWatching({ signal }).then((r) => r.items || []), []),
    safe(api.films({ sort: 'added', order: 'desc', limit: ROW_SIZE }, { signal }).then((r) => r.items || []), []),
    safe(randomFilm(signal), null),
    safe(api.films({ release: 'festival', sort: 'release', order: 'desc', limit: ROW_SIZE }, { signal })
      .then((r) => r.items || []), []),
    safe(loadCollections(signal), []),
  ]);
  const shown = collections.slice(0, COLLECTION_ROWS);
  const collectionFilms = await Promise.all(shown.map((c) => safe(
    api.films({ collection: c.id, sort: 'year', order: 'asc', limit: ROW_SIZE }, { signal }).then((r) => r.items || []), [])));
  lastRows = { inProgress, recent, pick, festivals, shown, collectionFilms };
  return build(lastRows, signal);
}

function build({ inProgress, recent, pick, festivals, shown, collectionFilms }, signal) {
  return [
    row('Continue watching', 'continue-watching', inProgress),
    row('Recently added', 'recently-added', recent),
    pickSection(pick, signal),
    row('From the festivals', 'from-festivals', festivals, { href: '/?release=festival&sort=release' }),
    ...shown.map((c, i) => row(c.name, `collection-row-${c.id}`, collectionFilms[i], {
      href: `/collection/${c.id}`, note: `${c.count} film${c.count === 1 ? '' : 's'}`,
    })),
    h('p.all-films-link', h('a', {
      href: '#all-films',
      onclick: (e) => {
        // The grid is on this page: go to it without a new view.
        e.preventDefault();
        const target = document.getElementById('all-films');
        if (target) { target.scrollIntoView(); target.focus({ preventScroll: true }); }
      },
    }, 'Browse all films ↓')),
  ].filter(Boolean);
}
