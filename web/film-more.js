// film-more: what the film page says about where a film belongs: "Part
// of" its collection, its ratings, content rating and tags (beside the
// title), and "More like this" (films sharing its collection, director,
// writers, cast or genres) below it.
import { h } from './dom.js';
import { api } from './api.js';
import { card } from './card.js';

function ratingText(r) {
  const max = r.max > 0 ? r.max : 10;
  const value = Number(r.value);
  const shown = max === 10 ? value.toFixed(1) : `${value.toFixed(value % 1 ? 1 : 0)}/${max}`;
  const source = r.source && r.source !== 'default' ? r.source.toUpperCase() : 'Rating';
  return `${source} ${shown}`;
}

// Facts shown under the title: collection, content rating, ratings, tags.
export function filmFacts(film) {
  const ratings = (film.ratings || []).filter((r) => r.value > 0);
  const tags = film.tags || [];
  const bits = [
    film.collection ? h('p.film-collection', 'Part of ',
      h('a', { href: `/collection/${film.collection.id}` }, film.collection.name)) : null,
    film.mpaa || ratings.length ? h('p.film-ratings',
      film.mpaa ? h('span.content-rating', { title: 'Content rating' },
        h('span.visually-hidden', 'Content rating: '), film.mpaa) : null,
      ratings.map((r) => h('span.rating', ratingText(r)))) : null,
    tags.length ? h('ul.film-tags', { 'aria-label': 'Tags' }, tags.map((t) => h('li',
      h('a.tag-link', { href: `/?tag=${encodeURIComponent(t)}` }, t)))) : null,
  ].filter(Boolean);
  return bits.length ? h('div.film-facts', bits) : null;
}

// "More like this", filled in when the server answers.
export function moreLikeThis(film, signal) {
  const section = h('section.film-similar', { 'aria-labelledby': 'h-similar', hidden: true },
    h('h2', { id: 'h-similar' }, 'More like this'));
  api.similar(film.id, { signal }).then((r) => {
    const items = r.items || [];
    if (!items.length) return;
    section.append(h('ol.row-list', items.map(card)));
    section.hidden = false;
  }).catch(() => {});
  return section;
}
