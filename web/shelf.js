// shelf: browsing a big library from the library page: the sorts and
// filters beyond the first ones (rating, release date, date played, play
// count, random; collection, rating, resolution and HDR, audio and
// subtitle language, country, studio, tag), the filter sheet of small
// screens, the A–Z jump bar, and the poster size, list view and TV
// layout preferences (kept in this browser).
import { h, clear, languageName } from './dom.js';
import { api } from './api.js';

export const SHELF_SORTS = [
  ['rating', 'Rating'],
  ['release', 'Release date'],
  ['played', 'Date played'],
  ['plays', 'Play count'],
  ['random', 'Random'],
];
export const SHELF_DEFAULT_ORDER = { rating: 'desc', release: 'desc', played: 'desc', plays: 'desc', random: 'asc' };
export const SHELF_FILTER_KEYS = ['collection', 'rating', 'resolution', 'hdr', 'audio', 'subtitle',
  'country', 'studio', 'tag', 'release'];

// One shuffle per visit, so "Random" pages neither repeat nor skip.
const SEED = Math.floor(Math.random() * 2 ** 31);
export function shelfQuery(view) {
  const q = {};
  for (const k of SHELF_FILTER_KEYS) if (view[k]) q[k] = view[k];
  if (view.sort === 'random') q.seed = SEED;
  return q;
}

const LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt', 'ja', 'zh', 'ko', 'ru', 'nl', 'sv', 'da', 'no',
  'fi', 'pl', 'tr', 'ar', 'hi', 'ca'];

let collectionsCache = null;
export async function loadCollections(signal) {
  if (!collectionsCache) collectionsCache = await api.collections({ signal }).catch(() => []);
  return collectionsCache;
}

function select(label, name, value, options, onchange) {
  const id = `filter-${name}`;
  if (value && !options.some(([v]) => v === value)) options.push([value, value]);
  return h('div.field',
    h('label', { for: id }, label),
    h('select', { id, name, onchange },
      options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
}

// A free-text filter: applied on Enter or when the box is left.
function textField(label, name, value, placeholder, choose) {
  const id = `filter-${name}`;
  const input = h('input', { id, name, type: 'text', value, placeholder, autocomplete: 'off' });
  const apply = () => { if (input.value.trim() !== value) choose(input.value.trim()); };
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); apply(); } });
  input.addEventListener('change', apply);
  return h('div.field', h('label', { for: id }, label), input);
}

export function shelfFields(view, change, collections) {
  const langs = LANGUAGES.map((c) => [c, languageName(c) || c]);
  return [
    select('Collection', 'collection', view.collection,
      [['', 'Any collection'], ...collections.map((c) => [String(c.id), `${c.name} (${c.count})`])],
      (e) => change('collection', e.target.value)),
    select('Rating', 'rating', view.rating,
      [['', 'Any rating'], ...[9, 8, 7, 6, 5].map((r) => [String(r), `${r} and up`])],
      (e) => change('rating', e.target.value)),
    select('Resolution', 'resolution', view.resolution,
      [['', 'Any resolution'], ['4k', '4K'], ['1080p', '1080p'], ['720p', '720p'], ['sd', 'SD']],
      (e) => change('resolution', e.target.value)),
    select('HDR', 'hdr', view.hdr, [['', 'HDR or not'], ['true', 'HDR'], ['false', 'Not HDR']],
      (e) => change('hdr', e.target.value)),
    select('Audio', 'audio', view.audio, [['', 'Any audio'], ...langs], (e) => change('audio', e.target.value)),
    select('Subtitles', 'subtitle', view.subtitle, [['', 'Any subtitles'], ...langs],
      (e) => change('subtitle', e.target.value)),
    textField('Country', 'country', view.country, 'Any country', (v) => change('country', v)),
    textField('Studio', 'studio', view.studio, 'Any studio', (v) => change('studio', v)),
    textField('Tag', 'tag', view.tag, 'Any tag', (v) => change('tag', v)),
  ];
}

// Chip text of each shelf filter.
export function shelfChipText(key, value, collections) {
  switch (key) {
    case 'collection': {
      const c = collections.find((x) => String(x.id) === value);
      return `Collection: ${c ? c.name : value}`;
    }
    case 'rating': return `Rated ${value}+`;
    case 'resolution': return value === 'sd' ? 'SD' : value.toUpperCase() === '4K' ? '4K' : value;
    case 'hdr': return value === 'true' ? 'HDR' : 'Not HDR';
    case 'audio': return `Audio: ${languageName(value) || value}`;
    case 'subtitle': return `Subtitles: ${languageName(value) || value}`;
    case 'release': return value === 'festival' ? 'From the festivals' : `Release: ${value}`;
    default: return `${key[0].toUpperCase()}${key.slice(1)}: ${value}`;
  }
}

// Small screens: the filters behind one button that opens them as a sheet.
export function filterSheet(controls, activeCount) {
  const sheetId = 'filter-sheet';
  const toggle = h('button.btn.filter-toggle', {
    type: 'button', id: 'filter-toggle', 'aria-expanded': 'false', 'aria-controls': sheetId,
  }, activeCount ? `Filters (${activeCount})` : 'Filters');
  const close = h('button.btn.filter-sheet-close', { type: 'button', id: 'filter-sheet-close' }, 'Done');
  const sheet = h('div.filter-sheet', { id: sheetId, role: 'group', 'aria-label': 'Sort and filter' },
    h('div.filter-sheet-head', h('span.filter-sheet-title', 'Sort and filter'), close), controls);
  const setOpen = (open) => {
    sheet.classList.toggle('open', open);
    toggle.setAttribute('aria-expanded', String(open));
    document.body.classList.toggle('sheet-open', open);
    if (open) (sheet.querySelector('select, input, button.order') || close).focus();
    else toggle.focus();
  };
  toggle.addEventListener('click', () => setOpen(!sheet.classList.contains('open')));
  close.addEventListener('click', () => setOpen(false));
  sheet.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && sheet.classList.contains('open')) { e.preventDefault(); e.stopPropagation(); setOpen(false); }
  });
  return h('div.filter-wrap', toggle, sheet);
}

// ---- view preferences: poster size, list view, TV layout ----
const PREFS_KEY = 'cinemateca.view';
export function viewPrefs() {
  try {
    return { size: 'm', mode: 'grid', ...JSON.parse(localStorage.getItem(PREFS_KEY) || '{}') };
  } catch {
    return { size: 'm', mode: 'grid' };
  }
}
function savePrefs(prefs) {
  try { localStorage.setItem(PREFS_KEY, JSON.stringify(prefs)); } catch { /* private mode */ }
}
export function applyViewPrefs(grid, prefs = viewPrefs()) {
  grid.dataset.size = prefs.size;
  grid.classList.toggle('as-list', prefs.mode === 'list');
}

export function viewOptions(grid, onTv) {
  const prefs = viewPrefs();
  const size = h('select', { id: 'view-size', onchange: (e) => { prefs.size = e.target.value; savePrefs(prefs); applyViewPrefs(grid, prefs); } },
    [['s', 'Small'], ['m', 'Medium'], ['l', 'Large']].map(([v, t]) => h('option', { value: v, selected: v === prefs.size }, t)));
  const modeButton = (mode, label) => h('button.btn.view-mode', {
    type: 'button', id: `view-${mode}`, 'aria-pressed': String(prefs.mode === mode),
    onclick: (e) => {
      prefs.mode = mode;
      savePrefs(prefs);
      applyViewPrefs(grid, prefs);
      for (const b of e.target.parentNode.querySelectorAll('.view-mode')) b.setAttribute('aria-pressed', String(b.id === `view-${mode}`));
    },
  }, label);
  const tv = h('input', { type: 'checkbox', id: 'view-tv', checked: document.documentElement.classList.contains('tv'),
    onchange: (e) => onTv(e.target.checked) });
  return h('div.view-options', { role: 'group', 'aria-label': 'View' },
    h('div.view-mode-group', modeButton('grid', 'Posters'), modeButton('list', 'List')),
    h('label.view-size-label', { for: 'view-size' }, 'Poster size'), size,
    h('label.view-tv', tv, ' TV layout'));
}

// ---- the A–Z bar ----
// letters: the server's [{letter, offset, count}] for this view; jump(offset)
// brings that film into the grid and focuses it.
export function azBar(letters, jump) {
  const byLetter = new Map(letters.map((l) => [l.letter, l]));
  const digits = letters.find((l) => l.letter === '0');
  const other = letters.find((l) => l.letter === '#');
  const keys = ['#', ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
  const nav = h('nav.az', { 'aria-label': 'Jump to a letter' });
  for (const k of keys) {
    const entry = k === '#' ? (digits || other) : byLetter.get(k);
    const label = k === '#' ? '0–9' : k;
    nav.append(h('button.az-letter', {
      type: 'button',
      disabled: !entry,
      dataset: { letter: k },
      'aria-label': entry ? `${label}: ${entry.count} film${entry.count === 1 ? '' : 's'}` : `${label}: no films`,
      onclick: () => entry && jump(entry.offset),
    }, k === '#' ? '#' : k));
  }
  return nav;
}

export function clearNode(el) { return clear(el); }
