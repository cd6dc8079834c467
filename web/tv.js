// tv: TV mode and D-pad navigation. Arrow keys move the focus to the
// nearest card, row item or button in that direction (as a TV remote's
// D-pad does through a browser or a TV's web view); Enter opens what has
// the focus; Back (or Escape, or Backspace) returns to the previous view.
// `?tv=1` in the address, or the "TV layout" setting, shows the 10-foot
// layout: larger type and posters, no hover-only controls. Outside TV
// mode the arrows move between cards only once a card has the focus, so
// they still scroll an ordinary page.
// The setting is the user's, kept with their account by the server
// (/api/v1/me/preferences): signing in on another browser or a TV brings
// it along. This browser remembers it too, so the layout is right from
// the first paint; the server's word wins once it answers.
import { session } from './session.js';

const KEY = 'cinemateca.tv';
const PREFS = '/api/v1/me/preferences';

export function tvModeOn() {
  return document.documentElement.classList.contains('tv');
}

function apply(on) {
  document.documentElement.classList.toggle('tv', on);
  try { localStorage.setItem(KEY, on ? '1' : '0'); } catch { /* private mode */ }
  // The setting's checkbox, wherever it is drawn, follows.
  const box = document.getElementById('view-tv');
  if (box) box.checked = on;
}

export function setTvMode(on) {
  apply(on);
  if (!session.signedIn) return;
  fetch(PREFS, {
    method: 'PUT', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ tv: !!on }),
  }).catch(() => { /* kept in this browser; the next change tries again */ });
}

function addressSays() {
  const param = new URLSearchParams(location.search).get('tv');
  return param === '1' || param === '0' ? param === '1' : null;
}

// After sign-in (and at start): the account's setting, unless the
// address says otherwise for this visit.
let asked = 0;
async function fromAccount() {
  if (!session.signedIn) return;
  const ticket = ++asked;
  try {
    const res = await fetch(PREFS, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!res.ok) return;
    const prefs = await res.json();
    if (ticket !== asked || addressSays() !== null || typeof prefs.tv !== 'boolean') return;
    if (prefs.tv !== tvModeOn()) apply(prefs.tv);
  } catch { /* unreachable server: this browser's own setting stays */ }
}

function initialMode() {
  const param = addressSays();
  if (param !== null) return param;
  try { return localStorage.getItem(KEY) === '1'; } catch { return false; }
}

const FOCUSABLE = 'a[href], button:not([disabled]), select, input:not([type=hidden]), [tabindex="0"], summary';

function visible(el) {
  if (el.closest('[hidden], [inert]')) return false;
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return false;
  const style = getComputedStyle(el);
  return style.visibility !== 'hidden' && style.display !== 'none';
}

// The candidate nearest to `from` in direction dir: along the axis first,
// sideways offset weighing double, so a row's neighbour wins over a card
// two rows down.
function nearest(from, dir) {
  const a = from.getBoundingClientRect();
  const ax = a.left + a.width / 2;
  const ay = a.top + a.height / 2;
  let best = null;
  let bestScore = Infinity;
  for (const el of document.querySelectorAll(FOCUSABLE)) {
    if (el === from || from.contains(el) || el.contains(from) || !visible(el)) continue;
    const b = el.getBoundingClientRect();
    const bx = b.left + b.width / 2;
    const by = b.top + b.height / 2;
    let along;
    let side;
    switch (dir) {
      case 'ArrowRight': along = b.left - a.right; side = Math.abs(by - ay); if (bx <= ax + 1) continue; break;
      case 'ArrowLeft': along = a.left - b.right; side = Math.abs(by - ay); if (bx >= ax - 1) continue; break;
      case 'ArrowDown': along = b.top - a.bottom; side = Math.abs(bx - ax); if (by <= ay + 1) continue; break;
      default: along = a.top - b.bottom; side = Math.abs(bx - ax); if (by >= ay - 1) continue; break;
    }
    const score = Math.max(along, 0) + side * 2;
    if (score < bestScore) {
      bestScore = score;
      best = el;
    }
  }
  return best;
}

function isTextEntry(el) {
  return el && el.closest && el.closest('input, textarea, [contenteditable], [role=combobox], [role=listbox]');
}

function inCardArea(el) {
  return el && el.closest && el.closest('.card, .row, .pick, .az, .result-tabs');
}

function onKey(event) {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  const t = document.activeElement;
  if (t && t.closest && t.closest('video, .player, dialog')) return;
  const arrows = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'];
  if (arrows.includes(event.key)) {
    if (isTextEntry(t) && !(tvModeOn() && (event.key === 'ArrowUp' || event.key === 'ArrowDown') && t.type !== 'search')) return;
    if (t && t.tagName === 'SELECT' && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) return;
    if (!tvModeOn() && !inCardArea(t)) return;
    const start = t && t !== document.body ? t : null;
    const next = start ? nearest(start, event.key)
      : document.querySelector('main .card-link, main a[href], main button');
    if (next) {
      event.preventDefault();
      next.focus();
      next.scrollIntoView({ block: tvModeOn() ? 'center' : 'nearest', inline: 'nearest' });
    }
    return;
  }
  const back = event.key === 'BrowserBack' || event.key === 'GoBack' ||
    ((event.key === 'Escape' || event.key === 'Backspace') && !isTextEntry(t));
  // Escape and Backspace mean Back in TV mode only: elsewhere Escape
  // belongs to the player, the search box and the filter sheet.
  if (back && (tvModeOn() || event.key === 'BrowserBack' || event.key === 'GoBack')) {
    if (document.querySelector('.filter-sheet.open, .player')) return; // they close themselves
    if (location.pathname === '/' && !location.search) return;
    event.preventDefault();
    history.back();
  }
}

export function initTv() {
  document.documentElement.classList.toggle('tv', initialMode());
  document.addEventListener('keydown', onKey);
  session.onChange(() => { fromAccount(); });
}
