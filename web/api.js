// api: the cinemateca JSON API under /api/v1, as small async functions.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || `The server answered ${status}`);
    this.status = status;
    this.code = code;
  }
}

async function get(path, { signal } = {}) {
  let res;
  try {
    res = await fetch(path, { signal, headers: { Accept: 'application/json' } });
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
    throw new ApiError(res.status, e && e.code, e && e.message);
  }
  return body;
}

// PUT or DELETE with an optional JSON body; keepalive lets a report sent
// while the page closes still reach the server.
async function send(method, path, body, { keepalive = false } = {}) {
  let res;
  try {
    res = await fetch(path, {
      method,
      keepalive,
      headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Is cinemateca still running?');
  }
  let out = null;
  try {
    out = await res.json();
  } catch {
    out = null;
  }
  if (!res.ok) {
    const e = out && out.error;
    throw new ApiError(res.status, e && e.code, e && e.message);
  }
  return out;
}

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
  progress: (fileId, position, duration, opts) => send('PUT',
    `/api/v1/files/${encodeURIComponent(fileId)}/progress`, { position, duration }, opts),
  setWatched: (filmId, watched) => send(watched ? 'PUT' : 'DELETE',
    `/api/v1/films/${encodeURIComponent(filmId)}/watched`),
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
