// account: the signed-in user's sessions and API tokens (a token is shown
// once, when made), and "sign out everywhere".
import { h, clear } from './dom.js';
import { api } from './api.js';
import { session } from './session.js';

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

async function fill(box, signal, navigate) {
  const [sessions, tokens] = await Promise.all([api.sessions({ signal }), api.tokens({ signal })]);
  clear(box);
  const sessionRows = (sessions.items || []).map((s) => h('tr',
    h('td', s.name || 'browser', s.current ? h('span.tag', ' (this one)') : null),
    h('td', s.address || ''), h('td', when(s.last_used)),
    h('td', h('button.button.small', {
      type: 'button',
      onclick: async () => {
        await api.endSession(s.id);
        if (s.current) { await session.refresh(); navigate('/signin'); } else fill(box, signal, navigate);
      },
    }, 'Sign out'))));
  const tokenRows = (tokens.items || []).map((t) => h('tr',
    h('td', t.name), h('td', when(t.created_at)), h('td', when(t.last_used)),
    h('td', h('button.button.small', {
      type: 'button', onclick: async () => { await api.revokeToken(t.id); fill(box, signal, navigate); },
    }, 'Revoke'))));
  const shown = h('p.token-shown', { role: 'status', 'aria-live': 'polite' });
  const tokenForm = h('form.inline',
    h('label', { for: 'token-name' }, 'New token named '),
    h('input#token-name', { name: 'name', required: true, maxlength: 64, placeholder: 'e.g. living-room TV' }),
    h('button.button', { type: 'submit' }, 'Make token'));
  tokenForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const made = await api.newToken(tokenForm.elements.name.value);
    await fill(box, signal, navigate);
    box.querySelector('.token-shown').append(
      'Copy it now, it is not shown again: ', h('code', made.token),
      ' (send it as "Authorization: Bearer …")');
  });
  box.append(
    h('h2', 'Where you are signed in'),
    h('table.admin-table', h('thead', h('tr', h('th', 'Browser'), h('th', 'Address'), h('th', 'Last used'), h('th', h('span.visually-hidden', 'Actions')))),
      h('tbody', sessionRows)),
    h('p', h('button.button', {
      type: 'button',
      onclick: async () => { await api.signOutEverywhere(); await session.refresh(); navigate('/signin'); },
    }, 'Sign out everywhere'), ' (also ends every API token and every shared player link)'),
    h('h2', 'API tokens'),
    h('p', 'For apps and scripts. Revoke one to lock it out.'),
    h('table.admin-table', h('thead', h('tr', h('th', 'Name'), h('th', 'Made'), h('th', 'Last used'), h('th', h('span.visually-hidden', 'Actions')))),
      h('tbody', tokenRows)),
    tokenForm, shown);
}

export async function renderAccount(root, _param, { signal, navigate }) {
  document.title = 'Your account · cinemateca';
  if (session.local) {
    root.append(h('section.notice', h('h1', { tabindex: '-1' }, 'Local mode'),
      h('p', 'There are no accounts yet, so nobody signs in. ',
        h('a', { href: '/setup' }, 'Make the first admin'), ' to share this server.')));
    return;
  }
  const box = h('div.account');
  root.append(h('section.admin', h('h1', { tabindex: '-1' }, `Your account: ${session.user ? session.user.name : ''}`), box));
  await fill(box, signal, navigate);
}
