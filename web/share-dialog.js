// share-dialog: "Share…" on a film page (admins, and users an admin
// allowed): a dialog that makes a public link to the film, one of its
// special features, or a clip cut from the film between two times (taken
// from the player's timeline with "Use the player's time"), with a title
// and note for the public page, opening and closing times in the viewer's
// own time zone, and an optional view limit. It answers with the link and
// an <iframe> snippet to embed it. The server: POST /api/v1/shares.
import { h } from './dom.js';
import { session } from './session.js';

// The shares API (/api/v1/shares): JSON in and out; an Error with the
// server's message when it refuses.
export async function shareApi(method, path, body) {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { Accept: 'application/json' }
      : { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) throw new Error((data && data.error && data.error.message) || `The server answered ${res.status}`);
  return data;
}

let allowed = null; // the server's answer to "may I share?", asked once a page load

async function mayShare() {
  if (session.admin) return true;
  if (!session.user) return false;
  if (allowed === null) {
    try {
      const r = await fetch('/api/v1/shares/allowed', { credentials: 'same-origin' });
      allowed = r.ok ? !!(await r.json()).may_share : false;
    } catch {
      allowed = false;
    }
  }
  return allowed;
}

// "00:12:30" or "00:12:30.250" from seconds.
export function clockOf(seconds) {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const s = Math.floor(ms / 1000);
  const p = (n) => String(n).padStart(2, '0');
  const base = `${p(Math.floor(s / 3600))}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}`;
  return ms % 1000 ? `${base}.${String(ms % 1000).padStart(3, '0')}` : base;
}

// A datetime-local value (the viewer's zone) as ISO 8601 with its offset.
export function isoWithOffset(local) {
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return null;
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const p = (n) => String(Math.abs(n)).padStart(2, '0');
  return `${local.length === 16 ? `${local}:00` : local}${sign}${p(Math.trunc(off / 60))}:${p(off % 60)}`;
}

function field(label, control, hint) {
  return h('label.share-field', h('span.share-label', label), control, hint ? h('small.muted', hint) : null);
}

// The current time of the film's player on this page, if one plays.
function playerTime() {
  const video = document.querySelector('article.film video');
  return video && Number.isFinite(video.currentTime) ? video.currentTime : null;
}

function openDialog(film) {
  const what = h('select#share-what', { name: 'what' },
    h('option', { value: 'film' }, `The film: ${film.title}`),
    h('option', { value: 'clip' }, `A clip of ${film.title}`),
    (film.extras || []).map((x) => h('option', { value: `extra:${x.id}` }, `Special feature: ${x.title}`)));
  const from = h('input#share-from', { name: 'from', placeholder: '00:12:30', inputmode: 'decimal', size: 12 });
  const to = h('input#share-to', { name: 'to', placeholder: '00:13:45', inputmode: 'decimal', size: 12 });
  const grab = (input) => h('button.btn.btn-small', {
    type: 'button',
    onclick: () => {
      const t = playerTime();
      if (t !== null) input.value = clockOf(t);
    },
  }, "Use the player's time");
  const clipBox = h('fieldset.share-clip', { hidden: true },
    h('legend', 'Clip (times in the film)'),
    field('From', h('span', from, grab(from))),
    field('To', h('span', to, grab(to))));
  what.addEventListener('change', () => { clipBox.hidden = what.value !== 'clip'; });
  const title = h('input#share-title-input', { name: 'title', maxlength: 200 });
  const note = h('textarea#share-note-input', { name: 'note', rows: 3, maxlength: 2000 });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  const opens = h('input#share-opens', { type: 'datetime-local', name: 'opens' });
  const closes = h('input#share-closes', { type: 'datetime-local', name: 'closes' });
  const limit = h('input#share-limit', { type: 'number', min: 1, name: 'view_limit', placeholder: 'none' });
  const status = h('p.form-status', { role: 'status', 'aria-live': 'polite' });
  const result = h('div.share-result', { hidden: true });
  const submit = h('button.btn.btn-primary#share-create', { type: 'submit' }, 'Create link');
  const form = h('form.share-form', {
    method: 'dialog',
    onsubmit: async (event) => {
      event.preventDefault();
      status.textContent = '';
      const body = {};
      if (what.value === 'film' || what.value === 'clip') body.film_id = film.id;
      else body.extra_id = Number(what.value.slice(6));
      if (what.value === 'clip') {
        body.from = from.value.trim();
        body.to = to.value.trim();
      }
      if (title.value.trim()) body.title = title.value.trim();
      if (note.value.trim()) body.note = note.value.trim();
      if (opens.value) body.opens_at = isoWithOffset(opens.value);
      if (closes.value) body.closes_at = isoWithOffset(closes.value);
      if (limit.value) body.view_limit = Number(limit.value);
      submit.disabled = true;
      try {
        const made = await shareApi('POST', '/api/v1/shares', body);
        const link = `${window.location.origin}${made.url}`;
        const snippet = `<iframe src="${link}/embed" width="640" height="360" allow="fullscreen" style="border:0"></iframe>`;
        result.replaceChildren(
          h('p', 'The link is ready.'),
          field('Link', h('input#share-link', { readonly: true, value: link, onfocus: (e) => e.target.select() })),
          field('Embed', h('textarea#share-embed', { readonly: true, rows: 3, onfocus: (e) => e.target.select() }, snippet)),
          h('p', h('a', { href: made.url, target: '_blank', rel: 'noopener' }, 'Open the public page')));
        result.hidden = false;
        result.scrollIntoView({ block: 'nearest' });
      } catch (err) {
        status.textContent = err.message;
      } finally {
        submit.disabled = false;
      }
    },
  },
  h('h2', 'Share'),
  field('What', what),
  clipBox,
  field('Title on the public page', title, 'Default: the film’s title'),
  field('Note', note),
  field('Opens', opens, `Your time zone (${zone}); empty: now`),
  field('Closes', closes, 'Empty: never'),
  field('View limit', limit, 'Empty: no limit'),
  status,
  h('div.share-actions', submit, h('button.btn', { type: 'button', onclick: () => dialog.close() }, 'Close')),
  result);
  const dialog = h('dialog.share-dialog#share-dialog', form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  // A clip is suggested when a film is playing: from where it is now.
  const t = playerTime();
  if (t !== null) {
    what.value = 'clip';
    clipBox.hidden = false;
    from.value = clockOf(t);
  }
  dialog.showModal();
}

// Adds "Share…" to container when this user may share (asynchronously).
export function addShareButton(container, film) {
  mayShare().then((ok) => {
    if (!ok) return;
    container.append(h('button.btn#share-button', { type: 'button', onclick: () => openDialog(film) },
      h('span.btn-icon', { 'aria-hidden': 'true' }, '↗'), 'Share…'));
  });
}
