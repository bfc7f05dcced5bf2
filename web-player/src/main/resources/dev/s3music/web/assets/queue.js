// The play queue: songs, current index, shuffle and repeat. It is the user's server-side play queue
// (GET/PUT /api/me/queue), so another device resumes it; without that endpoint, this browser's storage keeps it.
import { api, optional, resolveSongs, isMissing } from './api.js';
import { debounce } from './dom.js';

export const queue = { songs: [], current: -1, shuffle: false, repeat: 'off', positionMs: 0, loaded: false };
const listeners = new Set();
let user = '';
let positionOf = () => 0;

export function onQueueChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }
export function setPositionSource(fn) { positionOf = fn; }
export function currentSong() { return queue.songs[queue.current] || null; }

function emit(what) { for (const fn of listeners) fn(what); }

function changed(what = 'list') {
  emit(what);
  saveSoon();
}

/** Replaces the queue with `songs` and makes `start` current (the player starts it). */
export function playNow(songs, start = 0) {
  queue.songs = songs.slice();
  queue.current = songs.length ? Math.min(start, songs.length - 1) : -1;
  if (queue.shuffle) shuffleAfterCurrent();
  changed('current');
}

export function playNext(songs) {
  const at = queue.current < 0 ? 0 : queue.current + 1;
  queue.songs.splice(at, 0, ...songs);
  if (queue.current < 0 && queue.songs.length) { queue.current = 0; changed('current'); return; }
  changed();
}

export function addToEnd(songs) {
  const wasEmpty = queue.songs.length === 0;
  queue.songs.push(...songs);
  if (wasEmpty && queue.songs.length) { queue.current = 0; changed('current-idle'); return; }
  changed();
}

export function move(from, to) {
  if (from === to || from < 0 || to < 0 || from >= queue.songs.length || to >= queue.songs.length) return;
  const [s] = queue.songs.splice(from, 1);
  queue.songs.splice(to, 0, s);
  if (queue.current === from) queue.current = to;
  else if (from < queue.current && to >= queue.current) queue.current--;
  else if (from > queue.current && to <= queue.current) queue.current++;
  changed();
}

export function removeAt(i) {
  if (i < 0 || i >= queue.songs.length) return;
  queue.songs.splice(i, 1);
  if (i < queue.current) { queue.current--; changed(); return; }
  if (i === queue.current) {
    if (queue.current >= queue.songs.length) queue.current = queue.songs.length - 1;
    changed('current');
    return;
  }
  changed();
}

export function clearQueue() {
  queue.songs = [];
  queue.current = -1;
  queue.positionMs = 0;
  changed('current');
}

export function jump(i) {
  if (i < 0 || i >= queue.songs.length) return;
  queue.current = i;
  changed('current');
}

/** The index after the current one by the repeat mode, or -1 at the end. */
export function nextIndex(auto) {
  if (!queue.songs.length) return -1;
  if (auto && queue.repeat === 'one') return queue.current;
  if (queue.current + 1 < queue.songs.length) return queue.current + 1;
  return queue.repeat === 'off' ? -1 : 0;
}

export function prevIndex() {
  if (queue.current > 0) return queue.current - 1;
  return queue.repeat === 'all' && queue.songs.length ? queue.songs.length - 1 : -1;
}

export function setShuffle(on) {
  queue.shuffle = on;
  if (on) shuffleAfterCurrent();
  localStorage.setItem('s3music.shuffle', on ? '1' : '0');
  changed('modes');
}

export function cycleRepeat() {
  queue.repeat = queue.repeat === 'off' ? 'all' : queue.repeat === 'all' ? 'one' : 'off';
  localStorage.setItem('s3music.repeat', queue.repeat);
  emit('modes');
}

function shuffleAfterCurrent() {
  const start = queue.current + 1;
  for (let i = queue.songs.length - 1; i > start; i--) {
    const j = start + Math.floor(Math.random() * (i - start + 1));
    [queue.songs[i], queue.songs[j]] = [queue.songs[j], queue.songs[i]];
  }
}

// --- persistence ---------------------------------------------------------------------------------------------
function snapshot() {
  return { songIds: queue.songs.map(s => s.id), current: queue.current,
    positionMs: Math.max(0, Math.round(positionOf() || 0)), client: 'web' };
}

/** Saves now (keepalive: also while the page goes away). */
export async function saveQueue(keepalive = false) {
  if (!queue.loaded) return;
  const body = snapshot();
  if (!isMissing('queue')) {
    try {
      await api('/api/me/queue', { method: 'PUT', body, feature: 'queue', keepalive });
      document.documentElement.dataset.queueSaved = String(Date.now());
      return;
    } catch (e) {
      if (!isMissing('queue')) { console.warn('saving the queue', e); return; }
    }
  }
  localStorage.setItem('s3music.queue.' + user, JSON.stringify(body));
  document.documentElement.dataset.queueSaved = String(Date.now());
}
const saveSoon = debounce(() => saveQueue(), 800);

/** Loads the saved queue of `username` (server, else this browser); answers the saved position in ms. */
export async function loadQueue(username) {
  user = username;
  queue.shuffle = localStorage.getItem('s3music.shuffle') === '1';
  queue.repeat = localStorage.getItem('s3music.repeat') || 'off';
  let saved = null;
  try {
    saved = await optional('/api/me/queue', 'queue');
  } catch (e) { console.warn('reading the queue', e); }
  if (!saved && isMissing('queue')) {
    try { saved = JSON.parse(localStorage.getItem('s3music.queue.' + user) || 'null'); } catch { saved = null; }
  }
  // the server answers the songs themselves ({id, missing: true} for one that left the bucket: dropped here,
  // and the current index moves with what is kept); this browser's copy has their ids
  const entries = (saved && (saved.songs || saved.songIds)) || [];
  const cur = saved && typeof saved.current === 'number' ? saved.current : -1;
  const kept = entries.map((x, i) => [x, i]).filter(([x]) => !(x && x.missing));
  const songs = kept.length ? await resolveSongs(kept.map(([x]) => x)) : [];
  queue.songs = songs;
  let current = kept.findIndex(([, i]) => i === cur);
  if (current < 0) current = kept.findIndex(([, i]) => i > cur);
  queue.current = songs.length ? Math.max(0, Math.min(current < 0 ? 0 : current, songs.length - 1)) : -1;
  queue.positionMs = saved ? (saved.positionMs ?? saved.position ?? 0) : 0;
  queue.loaded = true;
  emit('loaded');
  return queue.positionMs;
}
