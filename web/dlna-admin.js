// dlna-admin: the admin page's "DLNA" section: whether TVs and other UPnP
// players on the network see this server (GET /api/v1/dlna), and a button
// that switches it off or on (PUT /api/v1/dlna). The server saves the
// switch in its catalog, so it outlives a restart.
import { h, clear } from './dom.js';
import { api } from './api.js';

function describe(state) {
  if (!state.available) {
    return 'This server was started without --dlna: TVs cannot find it. Start it with --dlna to offer it to them.';
  }
  return state.enabled
    ? 'On: TVs and other UPnP/DLNA players on the local network find this server and play its films.'
    : 'Off: the server is not announced and answers no TV. It stays off after a restart until switched on here.';
}

export function dlnaSection() {
  const body = h('div#dlna', h('p', 'Asking the server…'));
  const status = h('p.form-status', { role: 'status', 'aria-live': 'polite' });
  const show = (state) => {
    clear(body);
    body.append(h('p#dlna-state', describe(state)));
    if (!state.available) return;
    const button = h('button.button#dlna-switch', {
      type: 'button',
      'aria-pressed': String(state.enabled),
      onclick: async () => {
        button.disabled = true;
        status.textContent = '';
        try {
          show(await api.setDlna(!state.enabled));
          status.textContent = state.enabled ? 'DLNA is off.' : 'DLNA is on.';
        } catch (err) {
          status.textContent = err.message;
          button.disabled = false;
        }
      },
    }, state.enabled ? 'Turn DLNA off' : 'Turn DLNA on');
    body.append(h('p', button));
  };
  api.dlna().then(show, (err) => { clear(body); body.append(h('p', err.message)); });
  return h('section.admin-section', h('h2', 'DLNA (TVs on the network)'), body, status);
}
