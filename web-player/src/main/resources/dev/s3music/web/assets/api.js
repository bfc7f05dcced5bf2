// The server's JSON API, same origin, session cookie. A feature whose endpoint answers 404 "no such endpoint" is
// marked missing, and the views hide it (the server may not have every part yet).
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

const missing = new Set();
let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }
export function isMissing(feature) { return missing.has(feature); }
export function markMissing(feature) { missing.add(feature); }

export async function api(path, opts = {}) {
  const init = { method: opts.method || 'GET', headers: { Accept: 'application/json' }, credentials: 'same-origin',
    signal: opts.signal, keepalive: !!opts.keepalive };
  if (opts.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  const res = await fetch(path, init);
  if (res.status === 204 || res.status === 202 && res.headers.get('content-length') === '0') return null;
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = { message: text }; }
  if (!res.ok) {
    if (res.status === 401 && !opts.noAuthRedirect) onUnauthorized();
    if (res.status === 404 && opts.feature && isEndpointMissing(body)) missing.add(opts.feature);
    throw new ApiError(res.status, body);
  }
  return body;
}

/** The router's answer for a route nobody serves (vs. an unknown id on a route that exists). */
export function isEndpointMissing(body) {
  return !body || /no such endpoint/i.test(body.message || '');
}

/** GET that answers null when the feature is not on this server (and remembers it). */
export async function optional(path, feature, opts = {}) {
  if (missing.has(feature)) return null;
  try {
    return await api(path, { ...opts, feature });
  } catch (e) {
    if (e.status === 404 && isEndpointMissing(e.body)) { missing.add(feature); return null; }
    throw e;
  }
}

export const enc = encodeURIComponent;
export const streamUrl = (id) => `/api/songs/${enc(id)}/stream`;
export const coverUrl = (albumId, size = 300) => `/api/albums/${enc(albumId)}/cover?size=${size}`;

// --- songs: one shape for every list the server gives -------------------------------------------------------
const songCache = new Map();

/** {id,title,track,disc,duration,artist:{id,name},album:{id,name},format} from any of the server's song shapes. */
export function normSong(s, album) {
  if (!s) return null;
  const ref = (v, idKey) => (v && typeof v === 'object') ? { id: v.id, name: v.name }
    : { id: idKey || null, name: v || '' };
  const dur = s.durationSeconds ?? s.duration ?? (s.tags && s.tags.durationSeconds) ?? null;
  const out = {
    id: s.id, title: s.title || s.name || '', track: s.track ?? null, disc: s.disc ?? null,
    duration: typeof dur === 'number' ? dur : null, format: s.format || '',
    artist: s.artist ? ref(s.artist, s.artistId) : (album ? album.artist : { id: null, name: '' }),
    album: s.album ? ref(s.album, s.albumId) : (album ? { id: album.id, name: album.name } : { id: null, name: '' }),
  };
  const known = songCache.get(out.id);
  if (known && out.duration == null) out.duration = known.duration;
  if (!known || (known.duration == null && out.duration != null)) songCache.set(out.id, out);
  return out;
}

/** The song by id, from the cache or GET /api/songs/{id}; null when it is gone. */
export async function songById(id) {
  const c = songCache.get(id);
  if (c && c.duration != null) return c;
  try {
    return normSong(await api(`/api/songs/${enc(id)}`));
  } catch (e) {
    if (e.status === 404) return c || null;
    throw e;
  }
}

/** Songs for ids or song objects, at most `parallel` requests at once, in order; unknown ids dropped. */
export async function resolveSongs(list, parallel = 6) {
  const out = new Array(list.length);
  let next = 0;
  async function worker() {
    while (next < list.length) {
      const i = next++;
      const v = list[i];
      const id = typeof v === 'string' ? v : (v && (v.songId || v.id));
      out[i] = (v && typeof v === 'object' && v.title) ? normSong(v) : (id ? await songById(id).catch(() => null) : null);
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, list.length) }, worker));
  return out.filter(Boolean);
}

/** items of a page-ish answer: {items}, {songs}, {albums}, a bare array... */
export function itemsOf(body, ...keys) {
  if (!body) return [];
  if (Array.isArray(body)) return body;
  for (const k of [...keys, 'items', 'songs', 'albums', 'ids', 'songIds', 'results']) {
    if (Array.isArray(body[k])) return body[k];
  }
  return [];
}
