// The player: two <audio> elements (the current one and the next track preloaded, swapped at the end), the bar
// with its controls, keyboard shortcuts and Media Session. Streams are /api/songs/{id}/stream: the browser asks
// byte ranges itself, so a seek fetches from there on, never the whole file.
import { h, fmtTime, initials, icon } from './dom.js';
import { api, streamUrl, coverUrl, isMissing } from './api.js';
import { queue, playNow as playNowQueue, onQueueChange, currentSong, nextIndex, prevIndex, jump, setShuffle, cycleRepeat, saveQueue,
  setPositionSource } from './queue.js';

let cur = new Audio();
let pre = new Audio();
let preId = null;          // song id loaded in `pre`
let loadedId = null;       // song id loaded in `cur`
let playedReported = null; // song id whose play was recorded
let seeking = false;
const ui = {};

for (const a of [cur, pre]) { setup(a); a.dataset.role = 'player'; document.body.append(a); }
cur.volume = pre.volume = Number(localStorage.getItem('s3music.volume') ?? 1);
setPositionSource(() => (loadedId ? cur.currentTime * 1000 : queue.positionMs));

function setup(a) {
  a.preload = 'auto';
  a.addEventListener('timeupdate', () => { if (a === cur) onTime(); });
  a.addEventListener('durationchange', () => { if (a === cur) onTime(); });
  a.addEventListener('play', () => { if (a === cur) onPlayState(); });
  a.addEventListener('pause', () => { if (a === cur) { onPlayState(); saveQueue(); } });
  a.addEventListener('playing', () => { if (a === cur) { onPlayState(); preloadNext(); } });
  a.addEventListener('ended', () => { if (a === cur) next(true); });
  a.addEventListener('seeked', () => { if (a === cur) saveQueue(); });
  a.addEventListener('error', () => { if (a === cur && loadedId) onError(); });
}

function onError() {
  const s = currentSong();
  if (ui.status) ui.status.textContent = `Cannot play ${s ? s.title : 'this song'}`;
  // a song that left the bucket: go on with the next one
  if (!cur.paused || queue.current < queue.songs.length - 1) setTimeout(() => next(true), 500);
}

/** Loads the current song of the queue; plays it when `play`; `atMs` to start elsewhere than 0. */
function load(play, atMs = 0) {
  const s = currentSong();
  if (!s) {
    cur.pause();
    cur.removeAttribute('src');
    cur.load();
    loadedId = null;
    render();
    return;
  }
  if (loadedId !== s.id) {
    if (preId === s.id) {
      // the next track was preloaded: swap the elements, it starts at once
      cur.pause();
      [cur, pre] = [pre, cur];
      preId = null;
      pre.removeAttribute('src');
    } else {
      cur.pause();
      cur.src = streamUrl(s.id);
    }
    loadedId = s.id;
    playedReported = null;
    if (atMs > 0) {
      const seekTo = () => { cur.currentTime = atMs / 1000; };
      if (cur.readyState >= 1) seekTo(); else cur.addEventListener('loadedmetadata', seekTo, { once: true });
    } else if (cur.currentTime > 0) {
      cur.currentTime = 0;
    }
  } else if (play && cur.ended) {
    cur.currentTime = 0;
  }
  if (play) cur.play().catch(e => { if (e.name !== 'AbortError') console.warn('play', e); });
  if (ui.status) ui.status.textContent = '';
  mediaSession(s);
  render();
}

function preloadNext() {
  const i = nextIndex(true);
  const s = i >= 0 ? queue.songs[i] : null;
  if (!s || s.id === loadedId || s.id === preId) return;
  preId = s.id;
  pre.src = streamUrl(s.id);
  pre.load();
}

export function toggle() {
  if (!currentSong()) return;
  if (!loadedId) { load(true, queue.positionMs); return; }
  if (cur.paused) cur.play().catch(e => console.warn('play', e)); else cur.pause();
}

export function next(auto = false) {
  const i = nextIndex(auto);
  if (i < 0) { if (auto) { cur.pause(); render(); } return; }
  if (i === queue.current) { cur.currentTime = 0; cur.play(); return; }
  jumpAndPlay(i);
}

export function previous() {
  if (cur.currentTime > 3) { cur.currentTime = 0; return; }
  const i = prevIndex();
  if (i >= 0) jumpAndPlay(i);
}

let autoplayNext = false;
function jumpAndPlay(i) { autoplayNext = true; jump(i); }

export function seek(seconds) {
  if (!loadedId) return;
  const d = cur.duration;
  cur.currentTime = Math.max(0, Number.isFinite(d) ? Math.min(seconds, d - 0.25) : seconds);
}

export function audio() { return cur; }

onQueueChange((what) => {
  if (what === 'current' || what === 'current-idle') {
    const play = what === 'current' && (autoplayNext || !cur.paused || pendingPlay);
    autoplayNext = false;
    pendingPlay = false;
    load(play);
  } else if (what === 'loaded') {
    // another device's queue: ready at its position, not playing
    render();
    const s = currentSong();
    if (s) { mediaSession(s); }
  } else {
    if (preId && queue.songs[nextIndex(true)]?.id !== preId) { preId = null; }
    if (!cur.paused) preloadNext();
    render();
  }
});

let pendingPlay = false;
/** Play now: replaces the queue with `songs` and starts `start`. */
export function playSongs(songs, start = 0) {
  if (!songs.length) return;
  pendingPlay = true;
  playNowQueue(songs, start);
  if (currentSong() && currentSong().id === loadedId) { cur.currentTime = 0; cur.play(); }
}

// --- the bar ----------------------------------------------------------------------------------------------------
export function playerBar() {
  ui.cover = h('div', { class: 'cover', 'aria-hidden': 'true' });
  ui.title = h('div', { class: 'title' }, '');
  ui.artist = h('div', { class: 'artist' }, '');
  ui.status = h('div', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  ui.play = h('button', { class: 'icon primary', 'aria-label': 'Play', title: 'Play (space)', onclick: toggle }, icon('play', 28));
  ui.prev = h('button', { class: 'icon', 'aria-label': 'Previous', title: 'Previous (shift+←)', onclick: previous }, icon('prev'));
  ui.next = h('button', { class: 'icon', 'aria-label': 'Next', title: 'Next (shift+→)', onclick: () => next() }, icon('next'));
  ui.shuffle = h('button', { class: 'icon', 'aria-label': 'Shuffle', 'aria-pressed': 'false', title: 'Shuffle',
    onclick: () => setShuffle(!queue.shuffle) }, icon('shuffle', 20));
  ui.repeat = h('button', { class: 'icon', 'aria-label': 'Repeat: off', 'aria-pressed': 'false', title: 'Repeat',
    onclick: cycleRepeat }, icon('repeat', 20));
  ui.elapsed = h('span', { 'aria-label': 'Elapsed' }, '0:00');
  ui.total = h('span', { 'aria-label': 'Total' }, '--:--');
  ui.seek = h('input', { type: 'range', min: 0, max: 1000, step: 1, value: 0, 'aria-label': 'Seek',
    'aria-valuetext': '0:00' });
  ui.seek.addEventListener('input', () => { seeking = true; const d = cur.duration;
    ui.elapsed.textContent = fmtTime(d * ui.seek.value / 1000); });
  ui.seek.addEventListener('change', () => { seeking = false; const d = cur.duration;
    if (Number.isFinite(d)) seek(d * ui.seek.value / 1000); });
  ui.volume = h('input', { type: 'range', min: 0, max: 100, step: 1, value: Math.round(cur.volume * 100),
    'aria-label': 'Volume' });
  ui.volume.addEventListener('input', () => setVolume(ui.volume.value / 100));
  ui.queueLink = h('a', { href: '/queue', 'aria-label': 'Queue', title: 'Queue', class: 'link' }, icon('queue', 20), ' Queue');
  const bar = h('section', { class: 'player', 'aria-label': 'Player' },
    h('div', { class: 'now' }, ui.cover, h('div', { class: 'text' }, ui.title, ui.artist, ui.status)),
    h('div', { class: 'center' },
      h('div', { class: 'buttons' }, ui.shuffle, ui.prev, ui.play, ui.next, ui.repeat),
      h('div', { class: 'seekrow' }, ui.elapsed, ui.seek, ui.total)),
    h('div', { class: 'right' }, ui.queueLink, icon('volume', 20), ui.volume));
  render();
  return bar;
}

export function setVolume(v) {
  v = Math.max(0, Math.min(1, v));
  cur.volume = pre.volume = v;
  localStorage.setItem('s3music.volume', String(v));
  if (ui.volume) ui.volume.value = Math.round(v * 100);
}

function onPlayState() {
  if (!ui.play) return;
  const playing = !cur.paused;
  ui.play.setAttribute('aria-label', playing ? 'Pause' : 'Play');
  ui.play.title = playing ? 'Pause (space)' : 'Play (space)';
  ui.play.replaceChildren(icon(playing ? 'pause' : 'play', 28));
  if ('mediaSession' in navigator) navigator.mediaSession.playbackState = playing ? 'playing' : 'paused';
  document.dispatchEvent(new CustomEvent('s3m:playstate'));
}

let lastSaved = 0;
function onTime() {
  const d = cur.duration, t = cur.currentTime;
  if (ui.seek && !seeking) {
    ui.seek.value = Number.isFinite(d) && d > 0 ? Math.round(t / d * 1000) : 0;
    ui.seek.setAttribute('aria-valuetext', `${fmtTime(t)} of ${fmtTime(d)}`);
    ui.elapsed.textContent = fmtTime(t);
    ui.total.textContent = fmtTime(d);
  }
  if (!cur.paused && Date.now() - lastSaved > 15000) { lastSaved = Date.now(); saveQueue(); }
  // a play counts once half of the song (or 4 minutes) was heard
  if (loadedId && playedReported !== loadedId && Number.isFinite(d) && (t > d / 2 || t > 240)) {
    playedReported = loadedId;
    if (!isMissing('plays')) {
      api('/api/me/plays', { method: 'POST', body: { songId: loadedId, at: new Date().toISOString() }, feature: 'plays' })
        .catch(() => {});
    }
  }
  if ('mediaSession' in navigator && Number.isFinite(d) && d > 0 && navigator.mediaSession.setPositionState) {
    try { navigator.mediaSession.setPositionState({ duration: d, position: Math.min(t, d), playbackRate: 1 }); } catch {}
  }
}

function render() {
  if (!ui.play) return;
  const s = currentSong();
  ui.title.textContent = s ? s.title : 'Nothing playing';
  ui.artist.textContent = s ? [s.artist.name, s.album.name].filter(Boolean).join(' — ') : '';
  renderCover(s);
  ui.shuffle.setAttribute('aria-pressed', String(queue.shuffle));
  ui.repeat.setAttribute('aria-pressed', String(queue.repeat !== 'off'));
  ui.repeat.setAttribute('aria-label', `Repeat: ${queue.repeat}`);
  ui.repeat.replaceChildren(icon(queue.repeat === 'one' ? 'repeatOne' : 'repeat', 20));
  ui.prev.disabled = !s;
  ui.next.disabled = !s;
  ui.play.disabled = !s;
  if (!loadedId) {
    const d = s && s.duration;
    ui.elapsed.textContent = fmtTime(s ? queue.positionMs / 1000 : 0);
    ui.total.textContent = fmtTime(d);
    ui.seek.value = d ? Math.round(queue.positionMs / 1000 / d * 1000) : 0;
  }
  onPlayState();
  document.title = s ? `${s.title} · S3 music` : 'S3 music';
}

let coverFor = null;
function renderCover(s) {
  const albumId = s && s.album && s.album.id;
  if (coverFor === albumId) return;
  coverFor = albumId;
  const fallback = h('div', { class: 'cover', 'aria-hidden': 'true' }, initials(s ? s.album.name : ''));
  if (!albumId || isMissing('cover')) { ui.cover.replaceWith(fallback); ui.cover = fallback; return; }
  const img = h('img', { class: 'cover', alt: '', src: coverUrl(albumId, 120), width: 52, height: 52 });
  img.addEventListener('error', () => { if (ui.cover === img) { img.replaceWith(fallback); ui.cover = fallback; } });
  ui.cover.replaceWith(img);
  ui.cover = img;
}

// --- Media Session and keys --------------------------------------------------------------------------------------
function mediaSession(s) {
  if (!('mediaSession' in navigator) || !s) return;
  const art = s.album.id && !isMissing('cover') ? [96, 256, 512].map(n => ({ src: coverUrl(s.album.id, n),
    sizes: `${n}x${n}`, type: 'image/jpeg' })) : [];
  navigator.mediaSession.metadata = new MediaMetadata({ title: s.title, artist: s.artist.name, album: s.album.name,
    artwork: art });
}

if ('mediaSession' in navigator) {
  const ms = navigator.mediaSession;
  const set = (a, fn) => { try { ms.setActionHandler(a, fn); } catch {} };
  set('play', () => toggle());
  set('pause', () => cur.pause());
  set('previoustrack', () => previous());
  set('nexttrack', () => next());
  set('seekbackward', (d) => seek(cur.currentTime - (d.seekOffset || 10)));
  set('seekforward', (d) => seek(cur.currentTime + (d.seekOffset || 10)));
  set('seekto', (d) => seek(d.seekTime));
}

document.addEventListener('keydown', (e) => {
  const t = e.target;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  // typing, a slider's own arrows, a button's own space: theirs
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  if (t && /^(BUTTON|A)$/.test(t.tagName) && (e.key === ' ' || e.key === 'Enter')) return;
  switch (e.key) {
    case ' ': e.preventDefault(); toggle(); break;
    case 'ArrowRight': e.preventDefault(); if (e.shiftKey) next(); else seek(cur.currentTime + 10); break;
    case 'ArrowLeft': e.preventDefault(); if (e.shiftKey) previous(); else seek(cur.currentTime - 10); break;
    case 'ArrowUp': e.preventDefault(); setVolume(cur.volume + 0.05); break;
    case 'ArrowDown': e.preventDefault(); setVolume(cur.volume - 0.05); break;
    default:
  }
});

addEventListener('pagehide', () => saveQueue(true));
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') saveQueue(true); });
