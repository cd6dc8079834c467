// collection: one collection's page (/collection/ID): its name, its
// overview and its films in the order they came out.
import { h } from './dom.js';
import { api } from './api.js';
import { card } from './card.js';
import { applyViewPrefs } from './shelf.js';

export async function renderCollection(root, id, { signal }) {
  const c = await api.collection(id, { signal });
  document.title = `${c.name} · cinemateca`;
  const films = c.films || [];
  const years = films.map((f) => f.year).filter(Boolean);
  const span = years.length ? (Math.min(...years) === Math.max(...years)
    ? String(years[0]) : `${Math.min(...years)}–${Math.max(...years)}`) : null;
  const grid = h('ol.grid', { 'aria-label': `Films in ${c.name}` }, films.map(card));
  applyViewPrefs(grid);
  root.append(h('section.collection',
    h('header.collection-head',
      h('p.kicker', 'Collection'),
      h('h1', { tabindex: '-1' }, c.name),
      h('p.collection-count', [`${films.length} film${films.length === 1 ? '' : 's'}`, span].filter(Boolean).join(' · ')),
      c.overview ? h('p.prose.collection-overview', c.overview) : null,
      h('p', h('a', { href: `/?collection=${encodeURIComponent(c.id)}` }, 'Sort and filter them in the library'))),
    grid));
}
