// shares-admin: the admin page's "Shares" section: every share with its
// state (scheduled, live, expired, revoked), views so far, who made it and
// whether its file is still there; edit its opening and closing times,
// revoke it, delete it; and which users besides admins may make shares.
// The server: GET/PATCH/DELETE /api/v1/shares, /api/v1/shares/grants.
import { h } from './dom.js';
import { shareApi, isoWithOffset } from './share-dialog.js';

// An ISO time as a datetime-local value in the viewer's zone.
function localValue(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

function shown(iso) {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : 'never';
}

function whatOf(s) {
  if (s.kind === 'clip') return `Clip ${s.clip.from}–${s.clip.to} of film ${s.film_id ?? '?'}`;
  if (s.kind === 'extra') return `Special feature ${s.extra_id ?? '?'}`;
  return `Film ${s.film_id ?? '?'}`;
}

function row(s, status, reload) {
  const opens = h('input', { type: 'datetime-local', value: localValue(s.opens_at), 'aria-label': 'Opens' });
  const closes = h('input', { type: 'datetime-local', value: localValue(s.closes_at), 'aria-label': 'Closes' });
  const act = (fn) => async () => {
    status.textContent = '';
    try {
      await fn();
      await reload();
    } catch (err) {
      status.textContent = err.message;
    }
  };
  return h('tr.share-row', { dataset: { token: s.token, state: s.state } },
    h('td', h('a', { href: s.url, target: '_blank', rel: 'noopener' }, s.title || s.url),
      h('div.muted', whatOf(s)), s.available ? null : h('div.share-gone', 'File no longer available')),
    h('td.share-state', s.state),
    h('td', String(s.views), s.view_limit ? ` / ${s.view_limit}` : ''),
    h('td', s.created_by ? s.created_by.name || `user ${s.created_by.id}` : '—'),
    h('td', opens, h('div.muted', shown(s.opens_at))),
    h('td', closes, h('div.muted', shown(s.closes_at))),
    h('td.share-buttons',
      h('button.btn.btn-small', {
        type: 'button',
        onclick: act(() => shareApi('PATCH', `/api/v1/shares/${s.id}`, {
          opens_at: opens.value ? isoWithOffset(opens.value) : 'now',
          closes_at: closes.value ? isoWithOffset(closes.value) : null,
        })),
      }, 'Save times'),
      s.state === 'revoked' ? null : h('button.btn.btn-small.share-revoke', {
        type: 'button', onclick: act(() => shareApi('PATCH', `/api/v1/shares/${s.id}`, { revoked: true })),
      }, 'Revoke'),
      h('button.btn.btn-small.share-delete', {
        type: 'button',
        onclick: act(async () => {
          if (window.confirm('Delete this share? Its link stops working.')) await shareApi('DELETE', `/api/v1/shares/${s.id}`);
        }),
      }, 'Delete')));
}

// The section, filled in and kept current; users: the admin page's list.
export function sharesSection(users) {
  const status = h('p.form-status', { role: 'status', 'aria-live': 'polite' });
  const body = h('tbody');
  const grants = h('ul.share-grants');
  const reload = async () => {
    const [list, granted] = await Promise.all([
      shareApi('GET', '/api/v1/shares'), shareApi('GET', '/api/v1/shares/grants')]);
    body.replaceChildren(...(list.items.length ? list.items.map((s) => row(s, status, reload))
      : [h('tr', h('td', { colSpan: 7 }, 'No shares yet. Use “Share…” on a film’s page.'))]));
    const ids = new Set(granted.user_ids);
    grants.replaceChildren(...(users || []).filter((u) => !u.admin).map((u) => h('li', h('label',
      h('input', {
        type: 'checkbox',
        checked: ids.has(u.id),
        onchange: async (e) => {
          try {
            await shareApi(e.target.checked ? 'PUT' : 'DELETE', `/api/v1/shares/grants/${u.id}`);
          } catch (err) {
            status.textContent = err.message;
          }
        },
      }), ` ${u.name} may make shares`))));
  };
  const section = h('section.admin-section#admin-shares', h('h2', 'Shares'),
    h('table.share-table', h('thead', h('tr',
      h('th', 'Share'), h('th', 'State'), h('th', 'Views'), h('th', 'By'), h('th', 'Opens'),
      h('th', 'Closes'), h('th', h('span.visually-hidden', 'Actions')))), body),
    status,
    h('h3', 'Who may share'), h('p.muted', 'Admins always may.'), grants);
  reload().catch((err) => { status.textContent = err.message; });
  return section;
}
