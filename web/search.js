// search: the box in the header. Results as you type (films, people,
// special features) in a listbox: arrows move, Enter opens, Escape closes.
import { h, clear } from './dom.js';
import { api } from './api.js';
import { poster } from './poster.js';

const EXTRA_LABELS = {
  trailer: 'Trailer', featurette: 'Featurette', interview: 'Interview',
  behind_the_scenes: 'Behind the scenes', deleted_scene: 'Deleted scene', scene: 'Scene',
  clip: 'Clip', short: 'Short', sample: 'Sample', other: 'Extra',
};

export function extraLabel(type) {
  return EXTRA_LABELS[type] || 'Extra';
}

// Why a film came up when its title was not the reason (the server's
// `matched`): "original title: Dolor y gloria", "with Antonio Banderas".
export function matchedText(m) {
  if (!m || !m.field) return '';
  switch (m.field) {
    case 'original_title': return `original title: ${m.text}`;
    case 'person':
      if (m.job === 'actor') return `with ${m.text}`;
      if (m.job === 'director') return `directed by ${m.text}`;
      return `${String(m.job || 'crew').replace(/_/g, ' ')}: ${m.text}`;
    case 'character': return `character: ${m.text}`;
    case 'extra': return `extra: ${m.text}`;
    case 'plot': return 'found in the synopsis';
    default: return '';
  }
}

// Where a result leads.
function hrefOf(kind, item) {
  if (kind === 'all') return `/search?q=${encodeURIComponent(item.q)}`;
  if (kind === 'film') return `/film/${item.id}`;
  if (kind === 'person') return `/person/${item.id}`;
  const filmId = item.film_id || (item.film && item.film.id);
  return filmId ? `/film/${filmId}?play=extra-${item.id}` : null;
}

export function createSearch({ navigate }) {
  const input = h('input', {
    type: 'search',
    id: 'search-input',
    placeholder: 'Search films, people, extras',
    autocomplete: 'off',
    spellcheck: false,
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': 'search-results',
    'aria-label': 'Search the library',
  });
  const list = h('div.search-results', { id: 'search-results', role: 'listbox', hidden: true, 'aria-label': 'Search results' });
  const status = h('span.visually-hidden', { role: 'status', 'aria-live': 'polite' });
  // On a phone the box opens full screen while it has the focus; this
  // closes it (Escape and leaving the box do too).
  const closeButton = h('button.search-close', {
    type: 'button', 'aria-label': 'Close search',
    onclick: () => { close(); input.blur(); },
  }, 'Cancel');
  const form = h('form.search', { role: 'search', onsubmit: (e) => e.preventDefault() },
    h('span.search-icon', { 'aria-hidden': 'true' }), input, closeButton, list, status);

  let options = []; // [{el, href}]
  let active = -1;
  let controller = null;
  let timer = 0;
  let lastQuery = '';

  function setActive(i) {
    if (options[active]) options[active].el.setAttribute('aria-selected', 'false');
    active = i;
    if (options[active]) {
      options[active].el.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', options[active].el.id);
      options[active].el.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  }

  function open() {
    if (!list.childElementCount) return;
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function go(i) {
    const o = options[i];
    if (!o || !o.href) return;
    close();
    input.blur();
    navigate(o.href);
  }

  function option(kind, item, label, detail, art) {
    const href = hrefOf(kind, item);
    const el = h('div.search-option', {
      id: `search-${kind}-${item.id}`,
      role: 'option',
      'aria-selected': 'false',
      dataset: { kind },
      onmousedown: (e) => e.preventDefault(), // keep focus in the box
      onclick: () => go(options.findIndex((o) => o.el === el)),
    }, art, h('span.search-option-text', h('span.search-option-title', label), detail ? h('span.search-option-detail', detail) : null));
    options.push({ el, href });
    return el;
  }

  function show(result, q) {
    clear(list);
    list.dataset.query = q; // which query the list answers (tests wait on it)
    options = [];
    active = -1;
    const films = result.films || [];
    const people = result.people || [];
    const extras = result.extras || [];
    const group = (title, els) => els.length
      ? h('div.search-group', { role: 'group', 'aria-label': title }, h('div.search-group-title', { 'aria-hidden': 'true' }, title), els)
      : null;
    // Empty groups are left out (appending null would write "null").
    const groups = [
      group('Films', films.slice(0, 8).map((f) => option('film', f, f.title,
        [f.year, matchedText(f.matched) || (f.original_title && f.original_title !== f.title ? f.original_title : null)]
          .filter(Boolean).join(' · '),
        poster(f, { width: 80, className: 'search-poster' })))),
      group('People', people.slice(0, 6).map((p) => option('person', p, p.name,
        p.known_for || (p.jobs && p.jobs.join(', ')) || '', h('span.search-avatar', { 'aria-hidden': 'true' }, initials(p.name))))),
      group('Special features', extras.slice(0, 6).map((x) => option('extra', x, x.title,
        [extraLabel(x.type), x.film_title || (x.film && x.film.title)].filter(Boolean).join(' · '),
        h('span.search-avatar.search-play', { 'aria-hidden': 'true' }, '▶')))),
    ].filter(Boolean);
    list.append(...groups);
    const n = options.length;
    if (!n) list.append(h('div.search-empty', `Nothing found for “${q}”.`));
    else list.append(option('all', { id: 'all', q }, `See all results for “${q}”`, null, null));
    status.textContent = n ? `${n} results` : 'No results';
    open();
  }

  async function run(q) {
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const result = await api.search(q, { signal: controller.signal });
      if (q === input.value.trim()) show(result, q);
    } catch (err) {
      if (err.name === 'AbortError') return;
      clear(list);
      options = [];
      list.append(h('div.search-empty', err.message));
      open();
    }
  }

  input.addEventListener('input', () => {
    const q = input.value.trim();
    clearTimeout(timer);
    if (q === lastQuery) return;
    lastQuery = q;
    if (!q) {
      if (controller) controller.abort();
      clear(list);
      close();
      return;
    }
    timer = setTimeout(() => run(q), 120);
  });

  input.addEventListener('keydown', (event) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        open();
        if (options.length) setActive((active + 1) % options.length);
        break;
      case 'ArrowUp':
        event.preventDefault();
        open();
        if (options.length) setActive(active <= 0 ? options.length - 1 : active - 1);
        break;
      case 'Enter':
        event.preventDefault();
        if (list.hidden) open();
        go(active >= 0 ? active : 0);
        break;
      case 'Escape':
        if (!list.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = '';
          lastQuery = '';
          clear(list);
        } else {
          input.blur();
        }
        break;
      default:
    }
  });
  input.addEventListener('focus', open);
  input.addEventListener('blur', () => setTimeout(close, 100));
  return form;
}

function initials(name) {
  return String(name || '?').split(/\s+/).filter(Boolean).slice(0, 2).map((w) => [...w][0]).join('').toUpperCase();
}

