// app: the shell (header, search, main area) and a History API router.
// Routes: /  (library, filters in the query string), /film/ID, /person/ID.
import { h, clear, append } from './dom.js';
import { createSearch } from './search.js';
import { renderLibrary } from './library.js';
import { renderFilm } from './film.js';
import { renderPerson } from './person.js';
import { renderSignIn, renderSetup } from './signin.js';
import { renderAdmin } from './admin.js';
import { renderAccount } from './account.js';
import { session } from './session.js';
import { api } from './api.js';
import { renderCollection } from './collection.js';
import { renderResults } from './results.js';
import { initTv } from './tv.js';

const routes = [
  { pattern: /^\/$/, render: renderLibrary },
  { pattern: /^\/film\/(\d+)\/?$/, render: renderFilm },
  { pattern: /^\/person\/(\d+)\/?$/, render: renderPerson },
  { pattern: /^\/signin\/?$/, render: renderSignIn, open: true },
  { pattern: /^\/setup\/?$/, render: renderSetup, open: true },
  { pattern: /^\/admin\/?$/, render: renderAdmin },
  { pattern: /^\/account\/?$/, render: renderAccount },
  { pattern: /^\/collection\/(\d+)\/?$/, render: renderCollection },
  { pattern: /^\/search\/?$/, render: renderResults },
];

const main = document.getElementById('main');
let current = null; // {controller, cleanup}

function renderNotFound(root) {
  document.title = 'Not found · cinemateca';
  root.append(
    h('section.notice',
      h('h1', { tabindex: '-1' }, 'Nothing here'),
      h('p', 'This address does not lead to anything in the library.'),
      h('p', h('a', { href: '/' }, 'Back to the library'))));
}

async function route({ restoreScroll = null, focus = true } = {}) {
  if (current) {
    current.controller.abort();
    if (typeof current.cleanup === 'function') current.cleanup();
  }
  const controller = new AbortController();
  current = { controller, cleanup: null };
  const url = new URL(location.href);
  const match = routes.map((r) => ({ r, m: r.pattern.exec(url.pathname) })).find((x) => x.m);
  clear(main);
  main.setAttribute('aria-busy', 'true');
  const ctx = { signal: controller.signal, params: url.searchParams, navigate };
  if (match && !match.r.open && session.known && !session.signedIn) {
    // Not signed in: the sign-in page, then back here.
    history.replaceState({}, '', `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
    return route({ focus });
  }
  try {
    if (match) current.cleanup = await match.r.render(main, match.m[1], ctx);
    else renderNotFound(main);
  } catch (err) {
    if (err.name === 'AbortError') return;
    clear(main);
    main.append(
      h('section.notice',
        h('h1', { tabindex: '-1' }, err.status === 404 ? 'Not in the library' : 'Something went wrong'),
        h('p', err.status === 404
          ? 'Nothing in the library has this address. It may have been removed since the link was made.'
          : err.message),
        h('p', h('a', { href: '/' }, 'Back to the library'))));
  } finally {
    if (!controller.signal.aborted) main.removeAttribute('aria-busy');
  }
  if (controller.signal.aborted) return;
  if (restoreScroll !== null) restoreScrollTo(restoreScroll);
  if (typeof focus === 'string' && document.getElementById(focus)) {
    // The control that asked for this view keeps the focus (filters).
    document.getElementById(focus).focus({ preventScroll: true });
  } else if (focus) {
    const heading = main.querySelector('h1');
    if (heading) {
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
  }
}

// Off-screen cards are laid out lazily (content-visibility), so the page
// may grow as it scrolls: try again for a few frames until it gets there.
function restoreScrollTo(y) {
  let tries = 0;
  const step = () => {
    window.scrollTo(0, y);
    if (Math.abs(window.scrollY - y) > 1 && tries++ < 30) requestAnimationFrame(step);
  };
  step();
}

function saveScroll() {
  history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '');
}

// navigate('/film/3') pushes a new entry; {replace: true} replaces this one;
// {focus: 'id'} puts the focus on that element of the new page (else on
// its heading).
export function navigate(href, { replace = false, focus = null } = {}) {
  const url = new URL(href, location.href);
  if (url.origin !== location.origin) {
    location.href = url.href;
    return;
  }
  if (replace) {
    history.replaceState({}, '', url.pathname + url.search + url.hash);
    route({ focus: false });
  } else {
    saveScroll();
    history.pushState({}, '', url.pathname + url.search + url.hash);
    route({ focus: focus || true }).then(() => window.scrollTo(0, 0));
  }
}

// Links inside the app go through the router; modified clicks, downloads,
// other origins and the API itself keep the browser's behaviour.
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  event.preventDefault();
  navigate(url.href);
});

window.addEventListener('popstate', (event) => {
  route({ restoreScroll: (event.state && event.state.scrollY) || 0 });
});

history.scrollRestoration = 'manual';

// The shell: header with the name and the search box on every page, and
// who is signed in (or that the server runs in local mode).
const header = document.getElementById('top');
const who = h('nav.who', { 'aria-label': 'Account' });
header.append(
  h('a.brand', { href: '/', 'aria-label': 'cinemateca: the library' },
    h('span.brand-mark', { 'aria-hidden': 'true' }), 'cinemateca'),
  createSearch({ navigate }), who);

function renderWho() {
  clear(who);
  if (session.local) {
    append(who, [h('span.local-mode', 'Local mode, no sign-in. '),
      h('a', { href: '/setup' }, 'Make the first admin'), ' · ', h('a', { href: '/admin' }, 'Admin')]);
  } else if (session.user) {
    append(who, [h('a#account-link', { href: '/account' }, session.user.name),
      session.user.admin ? [' · ', h('a#admin-link', { href: '/admin' }, 'Admin')] : null,
      ' · ',
      h('button.linklike#signout', {
        type: 'button',
        onclick: async () => {
          try { await api.logout(); } finally { await session.refresh(); navigate('/signin'); }
        },
      }, 'Sign out')]);
  }
}
session.onChange(renderWho);

// A request answered 401 (the session ended): sign in again.
window.addEventListener('cinemateca:signin-needed', () => {
  if (location.pathname === '/signin' || location.pathname === '/setup') return;
  session.user = null;
  renderWho();
  navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
});

// "/" focuses the search box from anywhere but a text field.
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  const t = event.target;
  if (t.closest && t.closest('input, textarea, select, [contenteditable], video, .player')) return;
  event.preventDefault();
  document.getElementById('search-input').focus();
});

initTv();
session.refresh().catch(() => {}).finally(() => route({ focus: false }));
