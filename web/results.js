// results: the full search results page (/search?q=...&tab=films), behind
// "See all results" in the search box: every hit in three tabs, films,
// people and special features, each tab a list that reads on its own.
import { h } from './dom.js';
import { api } from './api.js';
import { card } from './card.js';
import { extraLabel, matchedText } from './search.js';

const TABS = [['films', 'Films'], ['people', 'People'], ['extras', 'Special features']];

export async function renderResults(root, _id, { signal, params, navigate }) {
  const q = (params.get('q') || '').trim();
  const result = q ? await api.searchAll(q, 200, { signal }) : { films: [], people: [], extras: [] };
  const counts = Object.fromEntries(TABS.map(([k]) => [k, (result[k] || []).length]));
  let tab = TABS.some(([k]) => k === params.get('tab')) ? params.get('tab')
    : (TABS.find(([k]) => counts[k]) || TABS[0])[0];
  document.title = q ? `“${q}” · Search · cinemateca` : 'Search · cinemateca';

  const panels = {
    films: h('ol.grid.results-films', (result.films || []).map((f) => {
      const el = card(f);
      const why = matchedText(f.matched);
      if (why) el.querySelector('.card-link').append(h('span.card-why', why));
      return el;
    })),
    people: h('ul.results-list', (result.people || []).map((p) => h('li',
      h('a', { href: `/person/${p.id}` }, p.name)))),
    extras: h('ul.results-list', (result.extras || []).map((x) => h('li',
      h('a', { href: `/film/${x.film_id}?play=extra-${x.id}` }, x.title),
      h('span.muted', ` · ${extraLabel(x.type)}`)))),
  };
  const tabButtons = TABS.map(([k, label]) => h('button.result-tab', {
    type: 'button', role: 'tab', id: `tab-${k}`, 'aria-controls': `panel-${k}`,
    'aria-selected': String(k === tab), tabindex: k === tab ? '0' : '-1',
    onclick: () => select(k, true),
  }, `${label} (${counts[k]})`));
  const tabList = h('div.result-tabs', { role: 'tablist', 'aria-label': 'Kinds of results' }, tabButtons);
  // Left and Right move between tabs (the tablist pattern).
  tabList.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const i = TABS.findIndex(([k]) => k === tab);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length][0];
    select(next, true);
    document.getElementById(`tab-${next}`).focus();
  });
  const panelEls = TABS.map(([k, label]) => h('section.result-panel', {
    role: 'tabpanel', id: `panel-${k}`, 'aria-labelledby': `tab-${k}`, hidden: k !== tab, tabindex: '0',
  }, counts[k] ? panels[k] : h('p.muted', `No ${label.toLowerCase()} match “${q}”.`)));

  function select(k, remember) {
    tab = k;
    for (const b of tabButtons) {
      const on = b.id === `tab-${k}`;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
    for (const p of panelEls) p.hidden = p.id !== `panel-${k}`;
    if (remember) history.replaceState(history.state, '', `/search?q=${encodeURIComponent(q)}&tab=${k}`);
  }

  const form = h('form.results-form', {
    role: 'search',
    onsubmit: (e) => {
      e.preventDefault();
      const v = e.target.elements.q.value.trim();
      if (v) navigate(`/search?q=${encodeURIComponent(v)}`);
    },
  }, h('label.visually-hidden', { for: 'results-q' }, 'Search again'),
  h('input#results-q', { name: 'q', type: 'search', value: q, autocomplete: 'off' }),
  h('button.btn', { type: 'submit' }, 'Search'));

  root.append(h('section.results',
    h('h1', { tabindex: '-1' }, q ? `Results for “${q}”` : 'Search'),
    form,
    q ? [tabList, panelEls] : h('p.muted', 'Type a title, a name, a character or a special feature.')));
}
