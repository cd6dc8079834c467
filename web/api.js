// api: the cinemateca JSON API under /api/v1, as small async functions.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || `The server answered ${status}`);
    this.status = status;
    this.code = code;
  }
}

// Every 401 (not signed in, or the session ended) tells the app, which
// shows the sign-in page.
function unauthorized() {
  window.dispatchEvent(new CustomEvent('cinemateca:signin-needed'));
}

async function request(method, path, { signal, body: payload } = {}) {
  let res;
  const headers = { Accept: 'application/json' };
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  try {
    res = await fetch(path, {
      method, signal, headers, credentials: 'same-origin',
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'The server cannot be reached. Is cinemateca still running?');
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const e = body && body.error;
    if (res.status === 401 && !path.startsWith('/api/v1/auth/')) unauthorized();
    const error = new ApiError(res.status, e && e.code, e && e.message);
    error.retryAfter = Number(res.headers.get('Retry-After')) || 0;
    throw error;
  }
  return body;
}

const get = (path, opts) => request('GET', path, opts);
const send = (method, path, body, opts = {}) => request(method, path, { ...opts, body });

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// Lists come as {items: [...]} (or, from older servers, a bare array).
function items(body, key) {
  if (Array.isArray(body)) return body;
  return (body && (body.items || body[key])) || [];
}

export const api = {
  films: (params, opts) => get(`/api/v1/films${query(params)}`, opts),
  film: (id, opts) => get(`/api/v1/films/${encodeURIComponent(id)}`, opts),
  person: (id, opts) => get(`/api/v1/people/${encodeURIComponent(id)}`, opts),
  extra: (id, opts) => get(`/api/v1/extras/${encodeURIComponent(id)}`, opts),
  search: (q, opts) => get(`/api/v1/search${query({ q })}`, opts),
  genres: async (opts) => items(await get('/api/v1/genres', opts), 'genres'),
  festivals: async (opts) => items(await get('/api/v1/festivals', opts), 'festivals'),
  status: (opts) => get('/api/v1/status', opts),
  continueWatching: (opts) => get('/api/v1/continue', opts),
  // Browsing a big library (shelf.js, home.js, collection.js, results.js)
  letters: (params, opts) => get(`/api/v1/films/letters${query(params)}`, opts),
  collections: async (opts) => items(await get('/api/v1/collections', opts), 'collections'),
  collection: (id, opts) => get(`/api/v1/collections/${encodeURIComponent(id)}`, opts),
  similar: (id, opts) => get(`/api/v1/films/${encodeURIComponent(id)}/similar`, opts),
  searchAll: (q, limit, opts) => get(`/api/v1/search${query({ q, limit })}`, opts),
  progress: (fileId, position, duration, opts) => send('PUT',
    `/api/v1/files/${encodeURIComponent(fileId)}/progress`, { position, duration }, opts),
  setWatched: (filmId, watched) => send(watched ? 'PUT' : 'DELETE',
    `/api/v1/films/${encodeURIComponent(filmId)}/watched`),
  // Accounts
  me: (opts) => get('/api/v1/me', opts),
  login: (name, password) => send('POST', '/api/v1/auth/login', { name, password }),
  logout: () => send('POST', '/api/v1/auth/logout', {}),
  setupState: (opts) => get('/api/v1/auth/setup', opts),
  setup: (name, password) => send('POST', '/api/v1/auth/setup', { name, password }),
  sessions: (opts) => get('/api/v1/me/sessions', opts),
  endSession: (id) => send('DELETE', `/api/v1/me/sessions/${encodeURIComponent(id)}`),
  signOutEverywhere: () => send('DELETE', '/api/v1/me/sessions'),
  tokens: (opts) => get('/api/v1/me/tokens', opts),
  newToken: (name) => send('POST', '/api/v1/me/tokens', { name }),
  revokeToken: (id) => send('DELETE', `/api/v1/me/tokens/${encodeURIComponent(id)}`),
  fileUrls: (id, opts) => get(`/api/v1/files/${encodeURIComponent(id)}/urls`, opts),
  // Administration
  users: async (opts) => items(await get('/api/v1/users', opts), 'users'),
  addUser: (user) => send('POST', '/api/v1/users', user),
  changeUser: (id, changes) => send('PATCH', `/api/v1/users/${encodeURIComponent(id)}`, changes),
  removeUser: (id) => send('DELETE', `/api/v1/users/${encodeURIComponent(id)}`),
  signOutUser: (id) => send('DELETE', `/api/v1/users/${encodeURIComponent(id)}/sessions`),
  roots: async (opts) => items(await get('/api/v1/roots', opts), 'roots'),
  addRoot: (path) => send('POST', '/api/v1/roots', { path }),
  removeRoot: (path) => send('DELETE', '/api/v1/roots', { path }),
  scan: (opts) => get('/api/v1/scan', opts),
  scanNow: () => send('POST', '/api/v1/scan', {}),
  failed: (opts) => get('/api/v1/scan/failed', opts),
  discTitles: (filmId, opts) => get(`/api/v1/films/${encodeURIComponent(filmId)}/disctitle`, opts),
  setDiscTitle: (filmId, title) => send('PUT', `/api/v1/films/${encodeURIComponent(filmId)}/disctitle`, { title }),
  dlna: (opts) => get('/api/v1/dlna', opts),
  setDlna: (enabled) => send('PUT', '/api/v1/dlna', { enabled }),
};

export function posterUrl(film, width) {
  const url = film.poster_url;
  if (!url) return null;
  return width ? `${url}${url.includes('?') ? '&' : '?'}w=${width}` : url;
}

export function streamUrl(fileId) {
  return `/api/v1/files/${encodeURIComponent(fileId)}/stream`;
}

export function hlsUrl(fileId) {
  return `/api/v1/files/${encodeURIComponent(fileId)}/hls/master.m3u8`;
}
