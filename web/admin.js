// admin: the administration page (admins only; the server refuses these
// calls to anyone else): server status (catalog size, transcodes, offline
// folders), the daily backups, "Scan now" with live progress,
// library folders, users (add, password, disable, remove, folders,
// certification limit, sign out), and the files that failed.
import { h, clear } from './dom.js';
import { api } from './api.js';
import { session } from './session.js';
import { when } from './account.js';
import { sharesSection } from './shares-admin.js';
import { dlnaSection } from './dlna-admin.js';

function section(title, ...children) {
  return h('section.admin-section', h('h2', title), ...children);
}

function errorLine() {
  return h('p.form-status', { role: 'status', 'aria-live': 'polite' });
}

async function guarded(status, fn) {
  status.textContent = '';
  try {
    await fn();
  } catch (err) {
    status.textContent = err.message;
  }
}

function statusBox(st) {
  const c = st.counts || {};
  return h('dl.admin-facts',
    h('dt', 'Version'), h('dd', st.version),
    h('dt', 'Up for'), h('dd', st.uptime !== undefined ? `${Math.round(st.uptime / 60)} min` : '—'),
    h('dt', 'Films'), h('dd', String(c.films ?? '—')),
    h('dt', 'Files'), h('dd', String(c.files ?? '—')),
    h('dt', 'Failed files'), h('dd', String(c.failed_files ?? '—')),
    h('dt', 'Sign-in'), h('dd', st.sign_in_required ? 'required' : 'local mode (no accounts)'),
    h('dt', 'Catalog size'), h('dd', st.catalog ? megabytes(st.catalog.bytes) : '—'),
    h('dt', 'Transcodes running'), h('dd', st.transcodes ? `${st.transcodes.running} of ${st.transcodes.limit}` : '—'),
    h('dt', 'Offline folders'), h('dd', (st.offline_roots || []).length
      ? h('ul.admin-list#offline-roots', st.offline_roots.map((r) => h('li', h('code', r.path), r.reason ? ` (${r.reason})` : '')))
      : 'none'));
}

function megabytes(bytes) {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

function backupList(backups) {
  return (backups || []).length
    ? h('table.admin-table#backups', h('thead', h('tr', h('th', 'Backup'), h('th', 'Size'), h('th', 'Written'))),
      h('tbody', backups.map((b) => h('tr', h('td', h('code', b.name)), h('td', megabytes(b.bytes)), h('td', when(b.written_at))))))
    : h('p', 'No backup yet (the server takes one a day).');
}

function scanLine(scan) {
  if (!scan) return 'No library service runs (no folders).';
  const base = `${scan.state}: ${scan.probed}/${scan.to_probe} probed, ${scan.found} found, ${scan.scans} scans done`;
  return scan.error ? `${base}. Last error: ${scan.error}` : base;
}

export async function renderAdmin(root, _param, { signal }) {
  document.title = 'Administration · cinemateca';
  if (!session.admin) {
    root.append(h('section.notice', h('h1', { tabindex: '-1' }, 'Not in the library'),
      h('p', 'Nothing in the library has this address.')));
    return;
  }
  const [status, roots, users, failed, scan] = await Promise.all([
    api.status({ signal }), api.roots({ signal }), api.users({ signal }),
    api.failed({ signal }), api.scan({ signal })]);

  // Scan now, with progress polled while it runs.
  const progress = h('p#scan-progress', { role: 'status', 'aria-live': 'polite' }, scanLine(scan.scan));
  let timer = null;
  const poll = async () => {
    try {
      const now = await api.scan({ signal });
      progress.textContent = scanLine(now.scan);
      if (now.scan && (now.scan.state === 'scanning' || now.scan.state === 'starting')) {
        timer = setTimeout(poll, 1000);
      }
    } catch { /* the page went away */ }
  };
  const scanStatus = errorLine();
  const scanButton = h('button.button', {
    type: 'button',
    onclick: () => guarded(scanStatus, async () => { await api.scanNow(); timer = setTimeout(poll, 300); }),
  }, 'Scan now');

  // Library folders.
  const rootStatus = errorLine();
  const rootForm = h('form.inline',
    h('label', { for: 'root-path' }, 'Add folder '),
    h('input#root-path', { name: 'path', required: true, placeholder: '/srv/films' }),
    h('button.button', { type: 'submit' }, 'Add'));
  rootForm.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(rootStatus, async () => { await api.addRoot(rootForm.elements.path.value); refresh(); });
  });
  const rootList = h('ul.admin-list', roots.map((r) => h('li', h('code', r.path), ` (${r.source}) `,
    r.source === 'added' ? h('button.button.small', {
      type: 'button', onclick: () => guarded(rootStatus, async () => { await api.removeRoot(r.path); refresh(); }),
    }, 'Remove') : null)));

  // Users.
  const userStatus = errorLine();
  const rootPaths = roots.map((r) => r.path);
  const userRows = users.map((u) => {
    const folderBoxes = rootPaths.map((p) => h('label.check',
      h('input', { type: 'checkbox', value: p, checked: !!u.roots && u.roots.includes(p) }), ` ${p}`));
    const allBox = h('input', { type: 'checkbox', checked: !u.roots });
    const cert = h('input', { value: u.max_certification || '', size: 6, placeholder: 'none', 'aria-label': `Highest certification for ${u.name}` });
    const save = () => guarded(userStatus, async () => {
      const picked = folderBoxes.map((l) => l.firstChild).filter((b) => b.checked).map((b) => b.value);
      await api.changeUser(u.id, { roots: allBox.checked ? null : picked, max_certification: cert.value || null });
      refresh();
    });
    return h('tr', { dataset: { user: u.name } },
      h('td', u.name, u.admin ? h('span.tag', ' admin') : null, u.disabled ? h('span.tag', ' disabled') : null),
      h('td', h('label.check', allBox, ' every folder'), folderBoxes),
      h('td', cert),
      h('td.actions',
        h('button.button.small', { type: 'button', onclick: save }, 'Save'),
        h('button.button.small', {
          type: 'button',
          onclick: () => guarded(userStatus, async () => {
            const password = prompt(`New password for ${u.name} (at least 8 characters)`);
            if (password) { await api.changeUser(u.id, { password }); userStatus.textContent = `Password of ${u.name} changed; signed out everywhere.`; }
          }),
        }, 'Password'),
        h('button.button.small', {
          type: 'button',
          onclick: () => guarded(userStatus, async () => { await api.changeUser(u.id, { disabled: !u.disabled }); refresh(); }),
        }, u.disabled ? 'Enable' : 'Disable'),
        h('button.button.small', {
          type: 'button',
          onclick: () => guarded(userStatus, async () => { await api.signOutUser(u.id); userStatus.textContent = `${u.name} is signed out everywhere.`; }),
        }, 'Sign out'),
        h('button.button.small', {
          type: 'button',
          onclick: () => guarded(userStatus, async () => {
            if (confirm(`Remove ${u.name}? Their sessions and tokens end.`)) { await api.removeUser(u.id); refresh(); }
          }),
        }, 'Remove')));
  });
  const addForm = h('form.inline#add-user',
    h('label', { for: 'new-user-name' }, 'Name '), h('input#new-user-name', { name: 'name', required: true, maxlength: 64 }),
    h('label', { for: 'new-user-password' }, ' Password '),
    h('input#new-user-password', { name: 'password', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' }),
    h('label.check', h('input', { name: 'admin', type: 'checkbox' }), ' admin'),
    h('button.button', { type: 'submit' }, 'Add user'));
  addForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = addForm.elements;
    guarded(userStatus, async () => {
      await api.addUser({ name: f.name.value, password: f.password.value, admin: f.admin.checked });
      refresh();
    });
  });

  const failedList = (failed.files || []).length
    ? h('table.admin-table', h('thead', h('tr', h('th', 'File'), h('th', 'Why'))),
      h('tbody', failed.files.map((f) => h('tr', h('td', h('code', f.path)), h('td', f.error)))))
    : h('p', 'No file failed.');
  const scanErrors = (failed.scan_errors || []).length
    ? h('ul.admin-list', failed.scan_errors.map((e) => h('li', h('code', e.path), ` ${e.kind}: ${e.error}`)))
    : null;

  const page = h('section.admin',
    h('h1', { tabindex: '-1' }, 'Administration'),
    section('Server', statusBox(status)),
    section('Backups', backupList(status.backups)),
    section('Scan', h('p', scanButton), progress, scanStatus),
    section('Library folders', rootList, rootForm, rootStatus),
    section('Users', h('table.admin-table#users',
      h('thead', h('tr', h('th', 'User'), h('th', 'Folders'), h('th', 'Highest certification'), h('th', h('span.visually-hidden', 'Actions')))),
      h('tbody', userRows)), addForm, userStatus),
    section('Files that failed', failedList, scanErrors),
    sharesSection(users),
    dlnaSection(),
    section('Sessions and tokens', h('p', h('a', { href: '/account' }, 'Your sessions and API tokens'),
      '. Use "Sign out" on a user above to end all of theirs.')),
    h('p.small', `Page loaded ${when(new Date().toISOString())}`));
  root.append(page);

  async function refresh() {
    const fresh = h('div');
    await renderAdmin(fresh, null, { signal });
    clear(root);
    root.append(...fresh.childNodes);
  }
  return () => clearTimeout(timer);
}
