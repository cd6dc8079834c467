// person: someone's films in the library, with their roles in each, and the
// people they worked with most often.
import { h } from './dom.js';
import { api } from './api.js';
import { poster } from './poster.js';

const JOB_NAMES = {
  actor: 'Actor', director: 'Director', writer: 'Writer', producer: 'Producer',
  composer: 'Composer', cinematographer: 'Cinematographer', editor: 'Editor',
};

function jobName(job) {
  if (JOB_NAMES[job]) return JOB_NAMES[job];
  const w = String(job || '').replace(/_/g, ' ');
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function roleText(role) {
  if (role.job === 'actor') return role.character ? `as ${role.character}` : 'Cast';
  return jobName(role.job);
}

export async function renderPerson(root, id, { signal }) {
  const person = await api.person(id, { signal });
  document.title = `${person.name} · cinemateca`;
  const films = person.films || [];

  const jobs = new Map();
  for (const f of films) for (const r of f.roles || []) jobs.set(r.job, (jobs.get(r.job) || 0) + 1);
  const summary = [...jobs.entries()].sort((a, b) => b[1] - a[1])
    .map(([job, n]) => `${jobName(job)} (${n})`).join(' · ');

  const sorted = [...films].sort((a, b) => (a.year || 0) - (b.year || 0) || String(a.title).localeCompare(b.title));
  const collaborators = person.collaborators || [];

  root.append(h('article.person',
    h('header.person-head',
      h('p.kicker', 'In the library'),
      h('h1', { tabindex: '-1' }, person.name),
      summary ? h('p.person-summary', summary) : null,
      h('p', h('a.btn', { href: `/?person=${encodeURIComponent(person.id)}&sort=year&order=asc` }, 'Browse these films in the library'))),
    h('section', { 'aria-labelledby': 'h-filmography' },
      h('h2', { id: 'h-filmography' }, films.length === 1 ? 'One film' : `${films.length} films`),
      h('ol.grid.person-films', sorted.map((f) => {
        // The person record carries each film's poster_url (null: no poster).
        const item = { id: f.film_id, title: f.title, year: f.year, poster_url: f.poster_url };
        return h('li.card',
          h('a.card-link', { href: `/film/${f.film_id}` },
            poster(item, { width: 300 }),
            h('span.card-title', f.title),
            h('span.card-meta', [f.year, ...(f.roles || []).map(roleText)].filter(Boolean).join(' · '))));
      }))),
    collaborators.length ? h('section', { 'aria-labelledby': 'h-collab' },
      h('h2', { id: 'h-collab' }, 'Worked most often with'),
      h('ul.collaborators', collaborators.map((c) => h('li',
        h('a.person-link', { href: `/person/${c.id}` }, c.name),
        h('span.muted', c.films === 1 ? ' · 1 film' : ` · ${c.films} films`))))) : null));
}
