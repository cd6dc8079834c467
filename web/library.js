// library: the poster grid. Sort and filters live in the URL
// (/?sort=year&order=desc&genre=Drama&decade=1990&festival=Cannes&person=3)
// so a view can be bookmarked and the back button returns to it.
import { h, clear, formatRuntime } from './dom.js';
import { api } from './api.js';
import { card } from './card.js';
import { homeRows } from './home.js';
import {
  SHELF_SORTS, SHELF_DEFAULT_ORDER, SHELF_FILTER_KEYS, shelfQuery, shelfFields, shelfChipText,
  loadCollections, filterSheet, viewOptions, applyViewPrefs, azBar,
} from './shelf.js';
import { setTvMode } from './tv.js';

const PAGE = 60;
const SORTS = [
  ['title', 'Title'],
  ['year', 'Year'],
  ['added', 'Recently added'],
  ['runtime', 'Running time'],
  ...SHELF_SORTS,
];
// The order each sort starts with when none is chosen.
const DEFAULT_ORDER = { title: 'asc', year: 'desc', added: 'desc', runtime: 'asc', ...SHELF_DEFAULT_ORDER };
const FILTER_KEYS = ['genre', 'decade', 'festival', 'person', 'watched', ...SHELF_FILTER_KEYS];

let genresCache = null;
let festivalsCache = null;
// The last grid shown, so going back to it is instant and keeps its place.
let gridCache = null;

function viewFromParams(params) {
  const sort = SORTS.some(([k]) => k === params.get('sort')) ? params.get('sort') : 'title';
  const order = params.get('order') === 'asc' || params.get('order') === 'desc'
    ? params.get('order') : DEFAULT_ORDER[sort];
  const view = { sort, order };
  for (const k of FILTER_KEYS) view[k] = params.get(k) || '';
  return view;
}

function hrefOfView(view) {
  const q = new URLSearchParams();
  if (view.sort !== 'title') q.set('sort', view.sort);
  if (view.order !== DEFAULT_ORDER[view.sort]) q.set('order', view.order);
  for (const k of FILTER_KEYS) if (view[k]) q.set(k, view[k]);
  const s = q.toString();
  return s ? `/?${s}` : '/';
}

// after: the last page's "next" cursor; the server then reads on from
// where that page ended instead of walking `offset` films again.
function queryOfView(view, offset, limit = PAGE, after = null) {
  return {
    sort: view.sort, order: view.order, genre: view.genre, decade: view.decade,
    festival: view.festival, person: view.person, watched: view.watched,
    offset: after ? null : offset, after, limit,
    ...shelfQuery(view),
  };
}

function select(label, name, value, options, onchange) {
  const id = `filter-${name}`;
  return h('div.field',
    h('label', { for: id }, label),
    h('select', { id, name, onchange },
      options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
}

function decades() {
  const now = new Date().getFullYear();
  const list = [];
  for (let d = Math.floor(now / 10) * 10; d >= 1900; d -= 10) list.push([String(d), `${d}s`]);
  return list;
}

export async function renderLibrary(root, _id, { signal, params, navigate }) {
  const view = viewFromParams(params);
  const href = hrefOfView(view);
  document.title = 'Library · cinemateca';

  // A change of sort or filter is a new view (Back returns to the last
  // one); the control that changed keeps the focus.
  const change = (key, value) => {
    const next = { ...view, [key]: value };
    if (key === 'sort') next.order = DEFAULT_ORDER[value];
    navigate(hrefOfView(next), { focus: `filter-${key}` });
  };

  const [genres, festivals, person, collections] = await Promise.all([
    genresCache || api.genres({ signal }).then((g) => (genresCache = g)).catch(() => []),
    festivalsCache || api.festivals({ signal }).then((f) => (festivalsCache = f)).catch(() => []),
    view.person ? api.person(view.person, { signal }).catch(() => null) : null,
    loadCollections(signal),
  ]);

  const heading = h('h1', { tabindex: '-1' }, 'Library');
  const count = h('p.library-count', { 'aria-live': 'polite' });
  const grid = h('ol.grid', { 'aria-label': 'Films' });
  applyViewPrefs(grid);
  const more = h('button.more', { type: 'button', hidden: true }, 'Show more films');
  const sentinel = h('div.sentinel', { 'aria-hidden': 'true' });
  const banner = h('p.scan-banner', { hidden: true, role: 'status' });

  const chips = [];
  const chip = (text, key) => chips.push(h('li', h('a.chip', {
    href: hrefOfView({ ...view, [key]: '' }),
    'aria-label': `Remove filter: ${text}`,
  }, text, h('span.chip-x', { 'aria-hidden': 'true' }, '×'))));
  if (view.genre) chip(view.genre, 'genre');
  if (view.decade) chip(`${view.decade}s`, 'decade');
  if (view.festival) chip(`Festival: ${view.festival}`, 'festival');
  if (view.person) chip(person ? `With ${person.name}` : `Person ${view.person}`, 'person');
  if (view.watched) chip(view.watched === 'true' ? 'Watched' : 'Unwatched', 'watched');
  for (const k of SHELF_FILTER_KEYS) if (view[k]) chip(shelfChipText(k, view[k], collections), k);

  const genreOptions = [['', 'All genres'], ...genres.map((g) => [g.name, `${g.name} (${g.count})`])];
  if (view.genre && !genres.some((g) => g.name === view.genre)) genreOptions.push([view.genre, view.genre]);
  const festivalOptions = [['', 'Any festival'], ...festivals.map((f) => [f.name, `${f.name} (${f.count})`])];
  if (view.festival && !festivals.some((f) => f.name === view.festival)) festivalOptions.push([view.festival, view.festival]);

  const controls = h('form.controls', { 'aria-label': 'Sort and filter', onsubmit: (e) => e.preventDefault() },
    select('Sort by', 'sort', view.sort, SORTS, (e) => change('sort', e.target.value)),
    h('div.field',
      h('span.label', { 'aria-hidden': 'true' }, 'Order'),
      h('button.order', {
        id: 'filter-order',
        type: 'button',
        'aria-label': view.order === 'asc' ? 'Ascending order; switch to descending' : 'Descending order; switch to ascending',
        onclick: () => change('order', view.order === 'asc' ? 'desc' : 'asc'),
      }, view.order === 'asc' ? '↑ Ascending' : '↓ Descending')),
    select('Genre', 'genre', view.genre, genreOptions, (e) => change('genre', e.target.value)),
    select('Decade', 'decade', view.decade, [['', 'Any decade'], ...decades()], (e) => change('decade', e.target.value)),
    select('Festival', 'festival', view.festival, festivalOptions, (e) => change('festival', e.target.value)),
    directorField(view, person, (id) => change('person', id)),
    select('Seen', 'watched', view.watched,
      [['', 'Watched or not'], ['false', 'Unwatched'], ['true', 'Watched']],
      (e) => change('watched', e.target.value)),
    shelfFields(view, change, collections));

  const unfiltered = !FILTER_KEYS.some((k) => view[k]);
  // The A–Z letters come before the page is shown, so nothing moves
  // under a restored scroll position.
  const lettersPromise = view.sort === 'title'
    ? api.letters(queryOfView(view, 0), { signal }).then((r) => r.letters || []).catch((e) => {
      if (e.name === 'AbortError') throw e;
      return [];
    })
    : Promise.resolve([]);
  const rows = unfiltered ? await homeRows({ signal, reuse: Boolean(gridCache && gridCache.href === href) }) : [];
  const letters = await lettersPromise;
  const az = h('div.az-slot');

  root.append(h('section.library',
    h('div.library-head', heading, count),
    rows,
    h('h2.all-films#all-films', { tabindex: '-1' }, 'All films'),
    h('div.shelf-bar', filterSheet(controls, chips.length), viewOptions(grid, setTvMode)),
    chips.length ? h('ul.chips', { 'aria-label': 'Active filters' }, chips,
      h('li', h('a.chip.chip-clear', { href: hrefOfView({ sort: view.sort, order: view.order }) }, 'Clear all'))) : null,
    banner, az, grid, more, sentinel));

  // ---- the grid, a page at a time ----
  let total = 0;
  let loaded = 0;
  let loading = false;
  let next = null; // the cursor after the films shown, when the server gave one
  const ids = new Set();

  function show(items) {
    for (const f of items) {
      if (ids.has(f.id)) continue;
      ids.add(f.id);
      grid.append(card(f));
    }
    loaded = ids.size;
    count.textContent = total === 1 ? '1 film' : `${total.toLocaleString('en')} films`;
    more.hidden = loaded >= total;
    if (!total) {
      clear(grid);
      grid.append(h('li.empty', chips.length
        ? 'No film in the library matches these filters.'
        : 'The library is empty so far.'));
    }
  }

  async function load() {
    if (loading || (loaded && loaded >= total)) return;
    loading = true;
    more.disabled = true;
    try {
      const page = await api.films(queryOfView(view, loaded, PAGE, loaded ? next : null), { signal });
      total = page.total;
      next = page.next || null;
      show(page.items || []);
      gridCache = { href, total, next, items: [...(gridCache && gridCache.href === href ? gridCache.items : []), ...(page.items || [])] };
    } finally {
      loading = false;
      more.disabled = false;
    }
  }

  async function reload() {
    const page = await api.films(queryOfView(view, 0), { signal });
    if (page.total === total && loaded) return;
    clear(grid);
    ids.clear();
    total = page.total;
    loaded = 0;
    next = page.next || null;
    show(page.items || []);
    gridCache = { href, total, next, items: page.items || [] };
  }

  more.addEventListener('click', () => load().catch(() => {}));

  // A–Z: in title order, a letter's first film is at a known offset; load
  // the grid up to it (in pages of 500), then bring it into view.
  async function jump(offset) {
    while (loaded <= offset && loaded < total) {
      const page = await api.films(queryOfView(view, loaded, 500, loaded ? next : null), { signal });
      total = page.total;
      next = page.next || null;
      show(page.items || []);
    }
    const target = grid.children[offset];
    const link = target && target.querySelector('a');
    if (link) {
      link.scrollIntoView({ block: 'center' });
      link.focus({ preventScroll: true });
    }
  }
  if (letters.length) az.replaceChildren(azBar(letters, (o) => jump(o).catch(() => {})));

  if (gridCache && gridCache.href === href) {
    total = gridCache.total;
    next = gridCache.next || null;
    show(gridCache.items);
  } else {
    gridCache = null;
    await load();
  }

  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) load().catch(() => {});
  }, { rootMargin: '800px 0px' });
  observer.observe(sentinel);

  // While the server is still scanning, say so and refresh as films arrive.
  let timer = 0;
  let lastFilms = null;
  async function poll() {
    try {
      const status = await api.status({ signal });
      const scan = status && status.scan;
      const busy = scan && (scan.state === 'scanning' || scan.state === 'starting');
      if (busy) {
        banner.hidden = false;
        banner.textContent = scan.to_probe
          ? `Scanning the library: ${scan.probed} of ${scan.to_probe} files looked at…`
          : 'Scanning the library…';
        await reload();
        timer = setTimeout(poll, 1000);
      } else {
        // Films copied in or deleted while the page is open show up here.
        const films = status.counts ? status.counts.films : null;
        if (!banner.hidden || (lastFilms !== null && films !== lastFilms)) {
          banner.hidden = true;
          await reload();
        }
        lastFilms = films;
        timer = setTimeout(poll, 5000);
      }
    } catch (err) {
      if (err.name !== 'AbortError') timer = setTimeout(poll, 10000);
    }
  }
  poll();

  return () => {
    observer.disconnect();
    clearTimeout(timer);
  };
}

// Director or cast member: type a name, pick a person from the search results.
function directorField(view, person, choose) {
  const id = 'filter-person';
  const input = h('input', {
    id,
    type: 'text',
    list: 'filter-person-list',
    placeholder: 'Anyone',
    value: person ? person.name : '',
    autocomplete: 'off',
  });
  const datalist = h('datalist', { id: 'filter-person-list' });
  let found = [];
  let timer = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    const exact = found.find((p) => p.name === input.value);
    if (exact) {
      choose(String(exact.id));
      return;
    }
    if (!q) {
      if (view.person) choose('');
      return;
    }
    timer = setTimeout(async () => {
      try {
        const r = await api.search(q);
        found = r.people || [];
        clear(datalist);
        for (const p of found.slice(0, 10)) datalist.append(h('option', { value: p.name }));
      } catch {
        /* the box stays as typed */
      }
    }, 150);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      const match = found.find((p) => p.name.toLowerCase() === input.value.trim().toLowerCase()) || found[0];
      if (match) choose(String(match.id));
    }
  });
  return h('div.field', h('label', { for: id }, 'Director or cast'), input, datalist);
}
