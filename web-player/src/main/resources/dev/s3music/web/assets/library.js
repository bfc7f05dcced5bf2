// The library's pages: home, artists, artist, albums, album, search, favourites, playlists, most played, queue.
import { h, clear, fmtTime, initials, toast, menu, debounce, icon } from './dom.js';
import { api, optional, enc, coverUrl, normSong, resolveSongs, itemsOf, isMissing, markMissing } from './api.js';
import { virtualList } from './vlist.js';
import { queue, onQueueChange, playNext, addToEnd, move, removeAt, clearQueue, jump, currentSong } from './queue.js';
import { playSongs, audio } from './player.js';

// --- the user's annotations (favourites, ratings) -----------------------------------------------------------
const lib = { starred: { song: new Set(), album: new Set(), artist: new Set() }, ratings: { song: {}, album: {}, artist: {} } };
const kindOf = (k) => String(k).toLowerCase().replace(/s$/, '');

export async function loadLibrary() {
  const body = await optional('/api/me/library', 'favourites').catch(() => null);
  if (!body) return;
  const starred = body.starred || body.favourites || {};
  for (const [k, v] of Object.entries(starred)) {
    const set = lib.starred[kindOf(k)];
    if (!set) continue;
    (Array.isArray(v) ? v.map(x => typeof x === 'string' ? x : x.id) : Object.keys(v)).forEach(id => set.add(id));
  }
  const ratings = body.ratings || {};
  for (const [k, v] of Object.entries(ratings)) {
    const m = lib.ratings[kindOf(k)];
    if (!m) continue;
    if (Array.isArray(v)) v.forEach(x => { m[x.id] = x.rating; }); else Object.assign(m, v);
  }
}

function starButton(kind, id, label) {
  if (isMissing('favourites')) return null;
  const on = () => lib.starred[kind].has(id);
  const b = h('button', { class: 'star', 'aria-pressed': String(on()), 'aria-label': `Star ${label}`, title: 'Favourite' }, icon('star', 20));
  b.addEventListener('click', async (e) => {
    e.stopPropagation();
    const was = on();
    try {
      await api(`/api/me/favourites/${kind}s/${enc(id)}`, { method: was ? 'DELETE' : 'PUT', feature: 'favourites' });
      if (was) lib.starred[kind].delete(id); else lib.starred[kind].add(id);
      b.setAttribute('aria-pressed', String(!was));
    } catch (err) { toast(err.status === 404 ? 'Favourites are not available' : err.message); }
  });
  return b;
}

function ratingControl(kind, id, label) {
  if (isMissing('favourites')) return null;
  const box = h('span', { class: 'stars', role: 'group', 'aria-label': `Rating of ${label}` });
  const draw = () => {
    const r = lib.ratings[kind][id] || 0;
    box.querySelectorAll('button').forEach((b, i) => {
      b.classList.toggle('on', i < r);
      b.setAttribute('aria-pressed', String(i < r));
    });
  };
  for (let n = 1; n <= 5; n++) {
    box.append(h('button', { 'aria-label': `Rate ${n} of 5`, onclick: async () => {
      const r = lib.ratings[kind][id] === n ? 0 : n;
      try {
        await api(`/api/me/ratings/${kind}s/${enc(id)}`, { method: 'PUT', body: { rating: r }, feature: 'favourites' });
        lib.ratings[kind][id] = r;
        draw();
      } catch (err) { toast(err.message); }
    } }, icon('star', 18)));
  }
  draw();
  return box;
}

/** A song row's rating: a native select (one touch target, the phone's own picker), "Not rated" clears it. */
function songRating(id, label) {
  if (isMissing('favourites')) return null;
  const opts = [h('option', { value: '0', 'aria-label': 'Not rated' }, '☆')];
  for (let n = 1; n <= 5; n++) opts.push(h('option', { value: String(n), 'aria-label': `${n} of 5` }, `★${n}`));
  const sel = h('select', { class: 'rate', 'aria-label': `Rate ${label}`, title: 'Rating' }, opts);
  const draw = () => {
    const r = lib.ratings.song[id] || 0;
    sel.value = String(r);
    sel.classList.toggle('on', r > 0);
  };
  sel.addEventListener('click', (e) => e.stopPropagation());
  sel.addEventListener('change', async () => {
    const r = Number(sel.value);
    sel.disabled = true;
    try {
      await api(`/api/me/ratings/songs/${enc(id)}`, { method: 'PUT', body: { rating: r }, feature: 'favourites' });
      lib.ratings.song[id] = r;
    } catch (err) { toast(err.message); }
    sel.disabled = false;
    draw();
  });
  draw();
  return sel;
}

// --- shared pieces -------------------------------------------------------------------------------------------
function cover(albumId, name, size = 300) {
  const fallback = () => h('div', { class: 'cover', 'aria-hidden': 'true' }, initials(name));
  if (!albumId || isMissing('cover')) return fallback();
  const img = h('img', { class: 'cover', alt: '', loading: 'lazy', decoding: 'async', src: coverUrl(albumId, size) });
  img.addEventListener('error', () => img.replaceWith(fallback()), { once: true });
  return img;
}

function albumTile(a) {
  const artist = a.artist && (a.artist.name || a.artist);
  return h('a', { class: 'tile', href: `/albums/${enc(a.id)}`, 'aria-label': `${a.name}${artist ? ' by ' + artist : ''}` },
    cover(a.id, a.name), h('div', { class: 'name' }, a.name),
    artist ? h('div', { class: 'sub' }, artist, a.year ? ` · ${a.year}` : '') : null);
}

async function addToPlaylistDialog(songs) {
  const lists = await optional('/api/playlists', 'playlists').catch(() => null);
  if (!lists) { toast('Playlists are not available'); return; }
  const mine = itemsOf(lists, 'playlists');
  const dlg = h('dialog', { 'aria-label': 'Add to playlist' });
  const name = h('input', { type: 'text', 'aria-label': 'New playlist name', placeholder: 'New playlist' });
  const close = () => { dlg.close(); dlg.remove(); };
  const add = async (p) => {
    await api(`/api/playlists/${enc(p.id)}`, { method: 'PATCH', body: { append: songs.map(s => s.id) } });
    toast(`Added to ${p.name}`);
    close();
  };
  dlg.append(h('h2', null, 'Add to playlist'),
    h('ul', { class: 'plain' }, mine.map(p => h('li', null, h('button', { class: 'link', onclick: () => add(p).catch(e => toast(e.message)) }, p.name)))),
    h('form', { method: 'dialog', onsubmit: async (e) => {
      e.preventDefault();
      if (!name.value.trim()) return;
      try {
        await api('/api/playlists', { method: 'POST', body: { name: name.value.trim(), songIds: songs.map(s => s.id) } });
        toast(`Created ${name.value.trim()}`);
        close();
      } catch (err) { toast(err.message); }
    } }, name, ' ', h('button', { type: 'submit' }, 'Create')),
    h('p', null, h('button', { onclick: close }, 'Cancel')));
  document.body.append(dlg);
  dlg.showModal();
}

async function share(body) {
  try {
    const r = await api('/api/shares', { method: 'POST', body: { ...body, expiresIn: 'P7D' } });
    const url = new URL(r.url, location.origin).href;
    try { await navigator.clipboard.writeText(url); toast('Share link copied'); } catch { prompt('Share link', url); }
  } catch (e) { toast(e.message); }
}

function songActions(songs, i, label) {
  const s = songs[i];
  return menu(`More for ${label}`, [
    ['Play now', () => playSongs(songs, i)],
    ['Play next', () => { playNext([s]); toast('Plays next'); }],
    ['Add to queue', () => { addToEnd([s]); toast('Added to the queue'); }],
    isMissing('playlists') ? [] : ['Add to playlist…', () => addToPlaylistDialog([s])],
    ['Share link', () => share({ songId: s.id })],
  ]);
}

function songTable(songs, { showAlbum = false, numbers = true, extra } = {}) {
  const rows = songs.map((s, i) => {
    const tr = h('tr', { dataset: { id: s.id } },
      h('td', { class: 'num' }, numbers ? (s.track ?? i + 1) : i + 1),
      h('td', null, h('button', { class: 'link', 'aria-label': `Play ${s.title}`, onclick: () => playSongs(songs, i) }, s.title)),
      showAlbum ? h('td', { class: 'hide-sm' }, s.artist.id ? h('a', { href: `/artists/${enc(s.artist.id)}` }, s.artist.name) : s.artist.name) : null,
      showAlbum ? h('td', { class: 'hide-sm' }, s.album.id ? h('a', { href: `/albums/${enc(s.album.id)}` }, s.album.name) : s.album.name) : null,
      h('td', { class: 'dur' }, fmtTime(s.duration)),
      h('td', { class: 'row-actions' }, starButton('song', s.id, s.title), songRating(s.id, s.title), songActions(songs, i, s.title),
        extra ? extra(s, i) : null));
    return tr;
  });
  const table = h('table', { class: 'tracks' },
    h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, 'Title'),
      showAlbum ? h('th', { class: 'hide-sm' }, 'Artist') : null, showAlbum ? h('th', { class: 'hide-sm' }, 'Album') : null,
      h('th', null, 'Time'), h('th', null, h('span', { class: 'visually-hidden' }, 'Actions')))),
    h('tbody', null, rows));
  const mark = () => {
    const c = currentSong();
    table.querySelectorAll('tbody tr').forEach(tr => tr.classList.toggle('playing', !!c && tr.dataset.id === c.id));
  };
  mark();
  const off = onQueueChange(mark);
  table.addEventListener('s3m:gone', off);
  return table;
}

/** Fills in durations the list did not carry (the song's tags), a few requests at a time. */
function fillDurations(songs, table) {
  const missing = songs.filter(s => s.duration == null);
  if (!missing.length) return;
  resolveSongs(missing.map(s => s.id), 4).then(full => {
    const byId = new Map(full.map(s => [s.id, s]));
    songs.forEach(s => { const f = byId.get(s.id); if (f && f.duration != null) s.duration = f.duration; });
    table.querySelectorAll('tbody tr').forEach((tr, i) => {
      const td = tr.querySelector('td.dur');
      if (td && songs[i]) td.textContent = fmtTime(songs[i].duration);
    });
  });
}

/** Polls `load` every 2 s while the metadata is pending (up to 2 minutes), calling `show` when it turns ready. */
function whenMetadataReady(first, load, show, alive) {
  if (first.metadataStatus === 'ready') { show(first.metadata); return; }
  if (first.metadataStatus !== 'pending') { show(null, first.metadataStatus); return; }
  show(null, 'pending');
  let tries = 0;
  const tick = async () => {
    if (!alive() || ++tries > 60) return;
    try {
      const again = await load();
      if (again.metadataStatus === 'ready') { show(again.metadata); return; }
      if (again.metadataStatus !== 'pending') { show(null, again.metadataStatus); return; }
    } catch { /* retry */ }
    setTimeout(tick, 2000);
  };
  setTimeout(tick, 2000);
}

// --- pages ---------------------------------------------------------------------------------------------------
export async function homePage(main, ctx) {
  clear(main, h('h1', null, `Hello, ${ctx.user.username}`));
  const recent = await optional('/api/albums?sort=added&limit=12', 'albums').catch(() => null);
  if (recent) {
    main.append(h('h2', null, h('a', { href: '/recent' }, 'Recently added')),
      h('div', { class: 'grid' }, itemsOf(recent, 'albums').map(albumTile)));
  }
  const most = await optional('/api/me/plays/most?limit=10', 'plays').catch(() => null);
  if (most) {
    const songs = await resolveSongs(itemsOf(most).map(x => typeof x === 'string' ? x : (x.song || x)));
    if (songs.length) main.append(h('h2', null, h('a', { href: '/most-played' }, 'Most played')), songTable(songs, { showAlbum: true, numbers: false }));
  }
  const played = await optional('/api/me/plays/recent?limit=10', 'plays').catch(() => null);
  if (played) {
    const songs = await resolveSongs(itemsOf(played).map(x => typeof x === 'string' ? x : (x.song || x)));
    if (songs.length) main.append(h('h2', null, 'Recently played'), songTable(songs, { showAlbum: true, numbers: false }));
  }
  if (!recent) {
    const artists = await api('/api/artists?limit=24');
    main.append(h('h2', null, h('a', { href: '/artists' }, 'Artists')),
      h('ul', { class: 'plain' }, artists.items.map(a => h('li', null, h('a', { href: `/artists/${enc(a.id)}` }, a.name)))));
  }
}

export async function artistsPage(main) {
  const count = h('span', { class: 'muted' });
  const list = virtualList({
    label: 'Artists',
    fetchPage: async (offset, limit) => {
      const p = await api(`/api/artists?offset=${offset}&limit=${limit}`);
      count.textContent = ` ${p.total} artists`;
      return p;
    },
    renderRow: (a) => h('div', null, h('div', { class: 'cover', 'aria-hidden': 'true' }, initials(a.name)),
      h('a', { href: `/artists/${enc(a.id)}` }, a.name)),
  });
  clear(main, h('h1', null, 'Artists', count), list);
}

export async function artistPage(main, ctx, id) {
  const load = () => api(`/api/artists/${enc(id)}`);
  const a = await load();
  const details = h('div', { class: 'details', 'aria-live': 'polite', hidden: true });
  const albums = a.albums || [];
  clear(main,
    h('div', { class: 'album-head' },
      albums.length ? cover(albums[0].id, a.name, 300) : h('div', { class: 'cover', style: 'width:160px;height:160px' }, initials(a.name)),
      h('div', null, h('p', { class: 'muted' }, 'Artist'), h('h1', null, a.name),
        h('div', { class: 'actions' }, starButton('artist', a.id, a.name),
          h('button', { class: 'primary', onclick: () => playArtist(albums, false) }, 'Play all'),
          h('button', { onclick: () => playArtist(albums, true) }, 'Shuffle')))),
    h('h2', null, 'Albums'),
    h('div', { class: 'grid' }, albums.map(al => albumTile({ id: al.id, name: al.name }))),
    details);
  whenMetadataReady(a, load, (m, status) => {
    if (!m) {
      details.hidden = status !== 'pending';
      clear(details, h('p', { class: 'muted' }, 'Looking up Discogs…'));
      return;
    }
    details.hidden = false;
    clear(details, h('h2', null, 'About'),
      m.realName ? h('p', null, h('strong', null, 'Real name: '), m.realName) : null,
      m.profile ? h('p', { class: 'profile' }, m.profile.replace(/\[[a-z]=?([^\]]*)\]/gi, '$1')) : null,
      m.members && m.members.length ? h('p', null, h('strong', null, 'Members: '), m.members.join(', ')) : null,
      m.discogsUrl ? h('p', null, h('a', { href: m.discogsUrl, rel: 'noopener', target: '_blank' }, 'On Discogs')) : null);
  }, () => main.isConnected);
}

async function playArtist(albums, shuffle) {
  const lists = await Promise.all(albums.map(al => api(`/api/albums/${enc(al.id)}`).catch(() => null)));
  let songs = lists.filter(Boolean).flatMap(al => al.songs.map(s => normSong(s, al)));
  if (shuffle) songs = songs.map(s => [Math.random(), s]).sort((x, y) => x[0] - y[0]).map(x => x[1]);
  playSongs(songs, 0);
}

export async function albumPage(main, ctx, id) {
  const load = () => api(`/api/albums/${enc(id)}`);
  const al = await load();
  const songs = al.songs.map(s => normSong(s, al));
  const details = h('div', { class: 'details', 'aria-live': 'polite', hidden: true, 'aria-label': 'Album details' });
  const table = songTable(songs);
  clear(main,
    h('div', { class: 'album-head' }, cover(al.id, al.name, 300),
      h('div', null, h('p', { class: 'muted' }, 'Album'), h('h1', null, al.name),
        h('p', null, h('a', { href: `/artists/${enc(al.artist.id)}` }, al.artist.name), h('span', { class: 'muted', id: 'album-year' }),
          h('span', { class: 'muted' }, ` · ${songs.length} songs`)))),
    h('div', { class: 'actions' },
      h('button', { class: 'primary', 'aria-label': `Play ${al.name}`, onclick: () => playSongs(songs, 0) }, icon('play', 18), ' Play album'),
      h('button', { onclick: () => playSongs([...songs].sort(() => Math.random() - 0.5), 0) }, 'Shuffle'),
      h('button', { onclick: () => { playNext(songs); toast('Plays next'); } }, 'Play next'),
      h('button', { onclick: () => { addToEnd(songs); toast('Added to the queue'); } }, 'Add to queue'),
      isMissing('playlists') ? null : h('button', { onclick: () => addToPlaylistDialog(songs) }, 'Add to playlist'),
      h('button', { onclick: () => share({ albumId: al.id }) }, 'Share'),
      starButton('album', al.id, al.name), ratingControl('album', al.id, al.name)),
    table, details);
  fillDurations(songs, table);
  whenMetadataReady(al, load, (m, status) => {
    if (!m) {
      details.hidden = status !== 'pending';
      clear(details, h('p', { class: 'muted' }, 'Looking up Discogs…'));
      return;
    }
    details.hidden = false;
    const year = main.querySelector('#album-year');
    if (year && m.year) year.textContent = ` · ${m.year}`;
    clear(details, h('h2', null, 'Details'),
      h('dl', null,
        m.year ? [h('dt', null, 'Year'), h('dd', null, m.year)] : null,
        m.released ? [h('dt', null, 'Released'), h('dd', null, m.released)] : null,
        m.country ? [h('dt', null, 'Country'), h('dd', null, m.country)] : null,
        m.labels && m.labels.length ? [h('dt', null, 'Label'), h('dd', null, m.labels.map(l => l.catno ? `${l.name} (${l.catno})` : l.name).join(', '))] : null,
        m.genres && m.genres.length ? [h('dt', null, 'Genres'), h('dd', null, [...m.genres, ...(m.styles || [])].join(', '))] : null,
        m.images && m.images.length ? [h('dt', null, 'Images'), h('dd', null, `${m.images.length} on Discogs`)] : null),
      m.profile ? h('p', null, m.profile) : null,
      m.discogsUrl ? h('p', null, h('a', { href: m.discogsUrl, rel: 'noopener', target: '_blank' }, 'On Discogs')) : null);
  }, () => main.isConnected);
}

export async function albumsPage(main, ctx, params) {
  const sort = params.get('sort') || 'name';
  const genre = params.get('genre') || '';
  const title = sort === 'added' ? 'Recently added' : 'Albums';
  const grid = h('div', { class: 'grid' });
  const more = h('button', { hidden: true }, 'More');
  const sortSel = h('select', { 'aria-label': 'Sort albums', onchange: () => ctx.navigate(`/albums?sort=${sortSel.value}${genre ? '&genre=' + enc(genre) : ''}`) },
    ['name', 'artist', 'added', 'year', 'random'].map(s => h('option', { value: s, selected: s === sort }, `by ${s}`)));
  const genreSel = h('select', { 'aria-label': 'Genre', hidden: true, onchange: () => ctx.navigate(`/albums?sort=${sort}${genreSel.value ? '&genre=' + enc(genreSel.value) : ''}`) },
    h('option', { value: '' }, 'All genres'));
  clear(main, h('h1', null, title), h('div', { class: 'actions' }, sortSel, genreSel), grid, h('p', null, more));
  optional('/api/genres', 'genres').then(g => {
    const list = itemsOf(g, 'genres');
    if (!list.length) return;
    genreSel.hidden = false;
    list.forEach(x => { const name = x.name || x.value || x; genreSel.append(h('option', { value: name, selected: name === genre }, name)); });
  }).catch(() => {});
  let offset = 0;
  const page = async () => {
    const body = await optional(`/api/albums?sort=${sort}&offset=${offset}&limit=60${genre ? '&genre=' + enc(genre) : ''}`, 'albums');
    if (!body) { clear(grid, h('p', { class: 'muted' }, 'Album lists are not available on this server: browse by artist.')); return; }
    const items = itemsOf(body, 'albums');
    items.forEach(a => grid.append(albumTile(a)));
    offset += items.length;
    more.hidden = !(items.length && (body.total == null ? items.length === 60 : offset < body.total)) || sort === 'random';
  };
  more.onclick = () => page();
  await page();
}

export async function searchPage(main, ctx, params) {
  const q = (params.get('q') || '').trim();
  clear(main, h('h1', null, q ? `Search: ${q}` : 'Search'));
  if (!q) { main.append(h('p', { class: 'muted' }, 'Type in the search box.')); return; }
  const r = await api(`/api/search?q=${enc(q)}&limit=20`);
  const songs = r.songs.map(s => normSong(s));
  const box = h('div', { class: 'search-results', 'aria-live': 'polite' });
  if (!r.artists.length && !r.albums.length && !songs.length) box.append(h('p', { class: 'muted' }, 'Nothing found.'));
  if (r.artists.length) box.append(h('section', { 'aria-label': 'Artists' }, h('h2', null, 'Artists'),
    h('ul', { class: 'plain' }, r.artists.map(a => h('li', null, h('a', { href: `/artists/${enc(a.id)}` }, a.name))))));
  if (r.albums.length) box.append(h('section', { 'aria-label': 'Albums' }, h('h2', null, 'Albums'),
    h('div', { class: 'grid' }, r.albums.map(albumTile))));
  if (songs.length) box.append(h('section', { 'aria-label': 'Songs' }, h('h2', null, 'Songs'), songTable(songs, { showAlbum: true, numbers: false })));
  main.append(box);
}

export async function favouritesPage(main) {
  clear(main, h('h1', null, 'Favourites'));
  const body = await optional('/api/me/favourites', 'favourites');
  if (!body) { main.append(h('p', { class: 'muted' }, 'Favourites are not available on this server.')); return; }
  const pick = (k) => itemsOf(body[k] || body[k.replace(/s$/, '')] || []);
  const artists = pick('artists'), albums = pick('albums');
  const songs = await resolveSongs(pick('songs'));
  if (!artists.length && !albums.length && !songs.length) main.append(h('p', { class: 'muted' }, 'Star songs, albums and artists to find them here.'));
  if (artists.length) main.append(h('h2', null, 'Artists'), h('ul', { class: 'plain' },
    artists.map(a => h('li', null, h('a', { href: `/artists/${enc(a.id || a)}` }, a.name || a)))));
  if (albums.length) main.append(h('h2', null, 'Albums'), h('div', { class: 'grid' },
    albums.map(a => albumTile(typeof a === 'string' ? { id: a, name: '' } : a))));
  if (songs.length) main.append(h('h2', null, 'Songs'), songTable(songs, { showAlbum: true, numbers: false }));
}

export async function mostPlayedPage(main) {
  clear(main, h('h1', null, 'Most played'));
  const body = await optional('/api/me/plays/most?limit=100', 'plays');
  if (!body) { main.append(h('p', { class: 'muted' }, 'Play counts are not available on this server.')); return; }
  const songs = await resolveSongs(itemsOf(body).map(x => typeof x === 'string' ? x : (x.song || x)));
  main.append(songs.length ? songTable(songs, { showAlbum: true, numbers: false }) : h('p', { class: 'muted' }, 'Nothing played yet.'));
}

export async function playlistsPage(main, ctx) {
  const body = await optional('/api/playlists', 'playlists');
  clear(main, h('h1', null, 'Playlists'));
  if (!body) { main.append(h('p', { class: 'muted' }, 'Playlists are not available on this server.')); return; }
  const name = h('input', { type: 'text', 'aria-label': 'New playlist name', placeholder: 'New playlist', required: true });
  main.append(h('form', { class: 'actions', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const p = await api('/api/playlists', { method: 'POST', body: { name: name.value.trim(), songIds: [] } });
      ctx.navigate(`/playlists/${enc(p.id)}`);
    } catch (err) { toast(err.message); }
  } }, name, h('button', { type: 'submit' }, 'Create playlist')));
  const lists = itemsOf(body, 'playlists');
  main.append(lists.length ? h('ul', { class: 'plain' }, lists.map(p => h('li', null,
    h('a', { class: 'grow', href: `/playlists/${enc(p.id)}` }, p.name),
    h('span', { class: 'muted' }, `${(p.songIds || []).length || p.songCount || 0} songs${p.owner && p.owner !== ctx.user.username ? ' · ' + p.owner : ''}`))))
    : h('p', { class: 'muted' }, 'No playlist yet.'));
}

export async function playlistPage(main, ctx, id) {
  const p = await api(`/api/playlists/${enc(id)}`, { feature: 'playlists' });
  const songs = await resolveSongs(p.songIds || itemsOf(p, 'songs'));
  const mine = !p.owner || p.owner === ctx.user.username;
  const patch = (body) => api(`/api/playlists/${enc(id)}`, { method: 'PATCH', body });
  const title = h('h1', null, p.name);
  clear(main, h('p', { class: 'muted' }, 'Playlist'), title,
    p.comment ? h('p', null, p.comment) : null,
    h('div', { class: 'actions' },
      h('button', { class: 'primary', onclick: () => playSongs(songs, 0) }, icon('play', 18), ' Play'),
      h('button', { onclick: () => { addToEnd(songs); toast('Added to the queue'); } }, 'Add to queue'),
      mine ? h('button', { onclick: async () => {
        const n = prompt('Rename playlist', p.name);
        if (n && n.trim()) { await patch({ name: n.trim() }).catch(e => toast(e.message)); title.textContent = n.trim(); }
      } }, 'Rename') : null,
      mine ? h('button', { onclick: async () => {
        if (!confirm(`Delete ${p.name}?`)) return;
        await api(`/api/playlists/${enc(id)}`, { method: 'DELETE' }).catch(e => toast(e.message));
        ctx.navigate('/playlists');
      } }, 'Delete') : null));
  if (!songs.length) { main.append(h('p', { class: 'muted' }, 'Empty: add songs from any album or song menu.')); return; }
  const order = songs.slice();
  const list = h('ol', { class: 'plain queue', 'aria-label': 'Playlist songs' });
  const draw = () => clear(list, order.map((s, i) => reorderItem(s, i, order.length, {
    onMove: mine ? async (from, to) => {
      const [x] = order.splice(from, 1); order.splice(to, 0, x); draw();
      await patch({ songIds: order.map(s2 => s2.id) }).catch(e => toast(e.message));
    } : null,
    onRemove: mine ? async (i2) => {
      order.splice(i2, 1); draw();
      await patch({ songIds: order.map(s2 => s2.id) }).catch(e => toast(e.message));
    } : null,
    onPlay: () => playSongs(order, i),
  })));
  draw();
  main.append(list);
}

/** One row of a reorderable list: drag it, or use its Move up/down buttons. */
function reorderItem(s, i, n, { onMove, onRemove, onPlay, current }) {
  const li = h('li', { class: current ? 'current' : '', draggable: onMove ? 'true' : null, dataset: { index: i } },
    onMove ? h('span', { class: 'handle', 'aria-hidden': 'true' }, icon('drag', 18)) : null,
    h('button', { class: 'link grow', 'aria-label': `Play ${s.title}`, onclick: onPlay, style: 'text-align:left' },
      s.title, h('span', { class: 'muted' }, ` — ${s.artist.name}`)),
    h('span', { class: 'muted' }, fmtTime(s.duration)),
    onMove ? h('button', { class: 'link', 'aria-label': `Move ${s.title} up`, disabled: i === 0, onclick: () => onMove(i, i - 1) }, icon('up', 20)) : null,
    onMove ? h('button', { class: 'link', 'aria-label': `Move ${s.title} down`, disabled: i === n - 1, onclick: () => onMove(i, i + 1) }, icon('down', 20)) : null,
    onRemove ? h('button', { class: 'link', 'aria-label': `Remove ${s.title}`, onclick: () => onRemove(i) }, icon('close', 18)) : null);
  if (onMove) {
    li.addEventListener('dragstart', (e) => { e.dataTransfer.setData('text/x-index', String(i)); e.dataTransfer.effectAllowed = 'move'; li.classList.add('dragging'); });
    li.addEventListener('dragend', () => li.classList.remove('dragging'));
    li.addEventListener('dragover', (e) => { e.preventDefault(); li.classList.add('over'); });
    li.addEventListener('dragleave', () => li.classList.remove('over'));
    li.addEventListener('drop', (e) => {
      e.preventDefault();
      li.classList.remove('over');
      const from = Number(e.dataTransfer.getData('text/x-index'));
      if (Number.isInteger(from) && from !== i) onMove(from, i);
    });
  }
  return li;
}

export function queuePage(main) {
  const list = h('ol', { class: 'plain queue', 'aria-label': 'Queue' });
  const info = h('p', { class: 'muted' });
  const draw = () => {
    info.textContent = queue.songs.length ? `${queue.songs.length} songs` : 'The queue is empty: play an album or add songs.';
    clear(list, queue.songs.map((s, i) => reorderItem(s, i, queue.songs.length, {
      current: i === queue.current, onMove: (from, to) => move(from, to), onRemove: (k) => removeAt(k),
      onPlay: () => { jump(i); if (audio().paused) audio().play().catch(() => {}); },
    })));
  };
  clear(main, h('h1', null, 'Queue'), info,
    h('div', { class: 'actions' }, h('button', { onclick: () => clearQueue() }, 'Clear queue'),
      isMissing('playlists') ? null : h('button', { onclick: () => addToPlaylistDialog(queue.songs) }, 'Save as playlist')),
    list);
  draw();
  const off = onQueueChange(() => { if (!main.contains(list)) { off(); return; } draw(); });
}

export { debounce, markMissing };
