// signin: the sign-in page, and the first-run setup page (offered by the
// server only to a browser on the server's own machine, while no account
// exists).
import { h } from './dom.js';
import { api } from './api.js';
import { session } from './session.js';

function field(label, attrs) {
  const id = `f-${attrs.name}`;
  return h('p.field', h('label', { for: id }, label), h('input', { id, required: true, ...attrs }));
}

function form({ heading, intro, submitLabel, onSubmit, passwordAutocomplete }) {
  const status = h('p.form-status', { role: 'status', 'aria-live': 'polite' });
  const button = h('button.button', { type: 'submit' }, submitLabel);
  const f = h('form.signin',
    h('h1', { tabindex: '-1' }, heading),
    intro ? h('p', intro) : null,
    field('Name', { name: 'name', autocomplete: 'username', maxlength: 64 }),
    field('Password', { name: 'password', type: 'password', autocomplete: passwordAutocomplete, minlength: 8 }),
    button, status);
  f.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    status.textContent = '';
    try {
      await onSubmit(f.elements.name.value, f.elements.password.value);
    } catch (err) {
      status.textContent = err.status === 429
        ? `Too many attempts. Try again in ${err.retryAfter || 'a few'} seconds.`
        : err.message;
    } finally {
      button.disabled = false;
    }
  });
  return f;
}

export async function renderSignIn(root, _param, { navigate, params }) {
  document.title = 'Sign in · cinemateca';
  const next = params.get('next');
  root.append(h('section.auth-page', form({
    heading: 'Sign in',
    submitLabel: 'Sign in',
    passwordAutocomplete: 'current-password',
    onSubmit: async (name, password) => {
      await api.login(name, password);
      await session.refresh();
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    },
  })));
}

export async function renderSetup(root, _param, { navigate, signal }) {
  document.title = 'First admin · cinemateca';
  const state = await api.setupState({ signal });
  if (!state.needed) {
    root.append(h('section.notice', h('h1', { tabindex: '-1' }, 'Setup is done'),
      h('p', 'This server has accounts already. ', h('a', { href: '/signin' }, 'Sign in'))));
    return;
  }
  if (!state.allowed) {
    root.append(h('section.notice', h('h1', { tabindex: '-1' }, 'Setup from the server only'),
      h('p', 'The first admin can only be made from a browser on the machine cinemateca runs on, '
        + 'or with `cinemateca user add --db FILE --admin NAME`.')));
    return;
  }
  root.append(h('section.auth-page', form({
    heading: 'Make the first admin',
    intro: 'Once an account exists, everyone signs in, and the server may be shared on the network.',
    submitLabel: 'Make admin and sign in',
    passwordAutocomplete: 'new-password',
    onSubmit: async (name, password) => {
      await api.setup(name, password);
      await session.refresh();
      navigate('/admin', { replace: true });
    },
  })));
}
