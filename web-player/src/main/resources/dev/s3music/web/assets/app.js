// The app: sign-in and setup, the layout, the router (History API: every page has its own URL, which the server
// answers with index.html), the search box.
import { h, clear, debounce } from './dom.js';
import { api, setUnauthorizedHandler, optional } from './api.js';
import { playerBar } from './player.js';
import { loadQueue } from './queue.js';
import * as lib from './library.js';

const root = document.getElementById('app');
const ctx = { user: null, navigate };
let main;
let nav;
let searchBox;

setUnauthorizedHandler(() => { if (ctx.user) location.assign('/login'); });

function navigate(path, replace = false) {
  if (replace) history.replaceState(null, '', path); else history.pushState(null, '', path);
  route();
}

addEventListener('popstate', () => route());
document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[href]');
  if (!a || a.target || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/s/')) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});

async function boot() {
  let me = null;
  try {
    me = await api('/api/me', { noAuthRedirect: true });
  } catch (e) {
    if (e.status !== 401) { clear(root, h('p', { class: 'boot error' }, `The server did not answer: ${e.message}`)); return; }
  }
  if (!me) {
    const setup = await api('/api/setup').catch(() => ({ open: false }));
    if (setup.open) setupScreen(); else loginScreen();
    return;
  }
  ctx.user = me;
  if (location.pathname === '/login' || location.pathname === '/setup') history.replaceState(null, '', '/');
  layout();
  route();
  lib.loadLibrary().then(() => { if (/^\/(albums|artists|search)/.test(location.pathname)) route(); });
  loadQueue(me.username);
}

function loginScreen(message) {
  if (location.pathname !== '/login') history.replaceState(null, '', '/login');
  const user = h('input', { type: 'text', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const pass = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const err = h('p', { class: 'error', role: 'alert' }, message || '');
  const btn = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  clear(root, h('form', { class: 'login', 'aria-label': 'Sign in', onsubmit: async (e) => {
    e.preventDefault();
    btn.disabled = true;
    err.textContent = '';
    try {
      await api('/api/auth/login', { method: 'POST', body: { username: user.value.trim(), password: pass.value }, noAuthRedirect: true });
      history.replaceState(null, '', '/');
      await boot();
    } catch (ex) {
      err.textContent = ex.status === 401 ? 'Wrong username or password.' : ex.status === 429 ? 'Too many attempts: wait a moment.' : ex.message;
      btn.disabled = false;
    }
  } }, h('h1', null, 'S3 music'),
  h('label', null, 'Username', user), h('label', null, 'Password', pass), btn, err));
  user.focus();
}

function setupScreen() {
  if (location.pathname !== '/setup') history.replaceState(null, '', '/setup');
  const code = h('input', { type: 'text', name: 'code', autocomplete: 'one-time-code', required: true });
  const user = h('input', { type: 'text', name: 'username', autocomplete: 'username', value: 'admin', required: true });
  const pass = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const err = h('p', { class: 'error', role: 'alert' });
  clear(root, h('form', { class: 'login', 'aria-label': 'Set up', onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api('/api/setup', { method: 'POST', body: { code: code.value.trim(), username: user.value.trim(), password: pass.value }, noAuthRedirect: true });
      history.replaceState(null, '', '/');
      await boot();
    } catch (ex) { err.textContent = ex.message; }
  } }, h('h1', null, 'Set up S3 music'),
  h('p', { class: 'muted' }, 'Create the admin account with the one-time code the server printed when it started.'),
  h('label', null, 'Setup code', code), h('label', null, 'Username', user), h('label', null, 'Password', pass),
  h('button', { type: 'submit', class: 'primary' }, 'Create admin'), err));
}

function layout() {
  const assets = root.dataset.assets;
  searchBox = h('input', { type: 'search', 'aria-label': 'Search', placeholder: 'Search artists, albums, songs', autocomplete: 'off' });
  const go = debounce(() => {
    const q = searchBox.value.trim();
    const path = q ? `/search?q=${encodeURIComponent(q)}` : '/search';
    navigate(path, location.pathname === '/search');
  }, 200);
  searchBox.addEventListener('input', go);
  const links = [['/', 'Home'], ['/artists', 'Artists'], ['/albums', 'Albums', 'albums'], ['/recent', 'Recently added', 'albums'],
    ['/most-played', 'Most played', 'plays'], ['/favourites', 'Favourites', 'favourites'], ['/playlists', 'Playlists', 'playlists'],
    ['/queue', 'Queue']];
  if (ctx.user.role === 'admin') links.push(['/admin', 'Admin']);
  nav = h('nav', { class: 'side', 'aria-label': 'Library' }, links.map(([href, text, feature]) =>
    h('a', { href, dataset: { feature: feature || '' } }, text)));
  main = h('main', { id: 'main', tabindex: -1 });
  clear(root, h('div', { class: 'layout' },
    h('div', { class: 'brand' }, h('img', { src: `${assets}/icon.svg`, alt: '' }), 'S3 music'),
    h('header', { class: 'top' }, searchBox, h('span', { class: 'user' }, ctx.user.username, ' · ',
      h('button', { class: 'link', onclick: async () => { await api('/api/auth/logout', { method: 'POST' }).catch(() => {}); location.assign('/login'); } }, 'Sign out'))),
    nav, main, playerBar()));
  // hide what this server does not have (yet)
  for (const [feature, path] of [['albums', '/api/albums?limit=1'], ['playlists', '/api/playlists'], ['favourites', '/api/me/library'], ['plays', '/api/me/plays/recent?limit=1']]) {
    optional(path, feature).then(r => { if (r === null) nav.querySelectorAll(`a[data-feature="${feature}"]`).forEach(a => a.remove()); }).catch(() => {});
  }
}

let routeSeq = 0;
async function route() {
  if (!ctx.user) return;
  const seq = ++routeSeq;
  const url = new URL(location.href);
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const params = url.searchParams;
  const seg = path.split('/').slice(1).map(decodeURIComponent);
  nav.querySelectorAll('a').forEach(a => {
    const href = a.getAttribute('href');
    a.setAttribute('aria-current', (href === '/' ? path === '/' : path.startsWith(href)) ? 'page' : 'false');
  });
  if (path !== '/search' && searchBox) searchBox.value = ''; else if (searchBox && document.activeElement !== searchBox) searchBox.value = params.get('q') || '';
  const fresh = h('main', { id: 'main', tabindex: -1 });
  main.replaceWith(fresh);
  main = fresh;
  try {
    switch (seg[0] || '') {
      case '': await lib.homePage(main, ctx); break;
      case 'artists': seg[1] ? await lib.artistPage(main, ctx, seg[1]) : await lib.artistsPage(main, ctx); break;
      case 'albums': seg[1] ? await lib.albumPage(main, ctx, seg[1]) : await lib.albumsPage(main, ctx, params); break;
      case 'recent': await lib.albumsPage(main, ctx, new URLSearchParams('sort=added')); break;
      case 'search': await lib.searchPage(main, ctx, params); break;
      case 'favourites': await lib.favouritesPage(main, ctx); break;
      case 'most-played': await lib.mostPlayedPage(main, ctx); break;
      case 'playlists': seg[1] ? await lib.playlistPage(main, ctx, seg[1]) : await lib.playlistsPage(main, ctx); break;
      case 'queue': lib.queuePage(main, ctx); break;
      case 'admin':
        if (ctx.user.role !== 'admin') { notFound(); break; }
        await (await import('./admin.js')).adminPage(main, ctx, seg[1]);
        break;
      default: notFound();
    }
  } catch (e) {
    if (seq !== routeSeq) return;
    clear(main, h('h1', null, e.status === 404 ? 'Not found' : 'Something went wrong'), h('p', { class: 'error' }, e.message));
  }
  if (seq === routeSeq && document.activeElement === document.body) main.focus({ preventScroll: true });
}

function notFound() {
  clear(main, h('h1', null, 'Not found'), h('p', null, h('a', { href: '/' }, 'Home')));
}

boot();
