// Admin pages: users, share links, library (rescan, dead letters), upload, costs.
import { h, clear, toast } from './dom.js';
import { api, optional, enc } from './api.js';
import { UploadTask, filesOfDrop, isUploadable } from './upload.js';

export async function adminPage(main, ctx, section) {
  const tabs = [['users', 'Users'], ['shares', 'Share links'], ['library', 'Library'], ['upload', 'Upload'], ['costs', 'Costs']];
  const body = h('div');
  clear(main, h('h1', null, 'Admin'),
    h('nav', { class: 'actions', 'aria-label': 'Admin sections' }, tabs.map(([k, label]) =>
      h('a', { href: `/admin/${k}`, 'aria-current': (section || 'users') === k ? 'page' : null, class: 'link' }, label))),
    body);
  const pages = { users, shares, library, upload, costs };
  await (pages[section || 'users'] || users)(body, ctx);
}

function panel(title, ...children) { return h('section', { class: 'panel', 'aria-label': title }, h('h2', null, title), ...children); }

async function users(box) {
  const table = h('tbody');
  const draw = async () => {
    const r = await api('/api/users');
    clear(table, r.users.map(u => h('tr', null,
      h('td', null, u.username), h('td', null, u.role), h('td', null, u.disabled ? 'disabled' : 'active'),
      h('td', null,
        h('button', { class: 'link', onclick: async () => {
          const pw = prompt(`New password for ${u.username} (10 characters or more)`);
          if (!pw) return;
          try { await api(`/api/users/${enc(u.username)}`, { method: 'PATCH', body: { password: pw } }); toast('Password reset'); }
          catch (e) { toast(e.message); }
        } }, 'Reset password'),
        h('button', { class: 'link', onclick: async () => {
          try { await api(`/api/users/${enc(u.username)}`, { method: 'PATCH', body: { disabled: !u.disabled } }); draw(); }
          catch (e) { toast(e.message); }
        } }, u.disabled ? 'Enable' : 'Disable'),
        h('button', { class: 'link', onclick: async () => {
          if (!confirm(`Remove ${u.username}?`)) return;
          try { await api(`/api/users/${enc(u.username)}`, { method: 'DELETE' }); draw(); } catch (e) { toast(e.message); }
        } }, 'Remove')))));
  };
  const name = h('input', { type: 'text', 'aria-label': 'New username', placeholder: 'username', required: true, autocomplete: 'off' });
  const pw = h('input', { type: 'password', 'aria-label': 'New user password', placeholder: 'password (10+ characters)', required: true, autocomplete: 'new-password' });
  const role = h('select', { 'aria-label': 'Role' }, h('option', { value: 'listener' }, 'listener (student)'), h('option', { value: 'admin' }, 'admin'));
  const form = h('form', { class: 'actions', onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api('/api/users', { method: 'POST', body: { username: name.value.trim(), password: pw.value, role: role.value } });
      toast(`Created ${name.value.trim()}`);
      form.reset();
      draw();
    } catch (err) { toast(err.message); }
  } }, name, pw, role, h('button', { type: 'submit', class: 'primary' }, 'Create user'));
  clear(box, panel('Users', form, h('table', null, h('thead', null, h('tr', null, h('th', null, 'User'), h('th', null, 'Role'),
    h('th', null, 'State'), h('th', null, ''))), table)));
  await draw();
}

async function shares(box) {
  const tbody = h('tbody');
  const draw = async () => {
    const r = await api('/api/shares');
    clear(tbody, r.shares.length ? r.shares.map(s => h('tr', null,
      h('td', null, s.songId ? 'song' : 'album'),
      h('td', null, s.albumId ? h('a', { href: `/albums/${enc(s.albumId)}` }, 'open') : (s.songId ? s.songId.slice(0, 12) + '…' : '')),
      h('td', null, s.owner), h('td', null, new Date(s.expiresAt).toLocaleString()),
      h('td', null, h('button', { class: 'link', onclick: async () => {
        try { await api(`/api/shares/${enc(s.id)}`, { method: 'DELETE' }); draw(); } catch (e) { toast(e.message); }
      } }, 'Revoke')))) : h('tr', null, h('td', { colspan: 5, class: 'muted' }, 'No share link. Create one from an album or a song menu (Share).')));
  };
  clear(box, panel('Share links', h('p', { class: 'muted' }, 'A link is shown once, when created (it is copied then).'),
    h('table', null, h('thead', null, h('tr', null, h('th', null, 'What'), h('th', null, ''), h('th', null, 'Owner'),
      h('th', null, 'Expires'), h('th', null, ''))), tbody)));
  await draw();
}

function kv(obj) {
  return h('table', null, h('tbody', null, Object.entries(obj || {}).map(([k, v]) =>
    h('tr', null, h('th', null, k), h('td', null, jsonView(v))))));
}

/** Any JSON as tables: arrays of objects as one table, objects as key/value rows. */
export function jsonView(v) {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) {
    if (v.length && v.every(x => x && typeof x === 'object' && !Array.isArray(x))) {
      const keys = [...new Set(v.flatMap(Object.keys))];
      return h('table', null, h('thead', null, h('tr', null, keys.map(k => h('th', null, k)))),
        h('tbody', null, v.map(row => h('tr', null, keys.map(k => h('td', null, jsonView(row[k])))))));
    }
    return v.map(x => typeof x === 'object' ? JSON.stringify(x) : String(x)).join(', ');
  }
  if (typeof v === 'object') return kv(v);
  if (typeof v === 'number' && !Number.isInteger(v)) return v.toFixed(4);
  return String(v);
}

async function library(box) {
  const status = h('div', { 'aria-live': 'polite' });
  const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Rescan progress', hidden: true });
  const dlq = h('div', { 'aria-live': 'polite' });
  let timer;
  const showRescan = (s) => {
    clear(status, kv(s));
    const state = String(s.state || s.status || '').toLowerCase();
    const total = s.total ?? s.listed ?? s.objects;
    const done = s.processed ?? s.done ?? s.upserted;
    bar.hidden = !(typeof total === 'number' && typeof done === 'number' && total > 0);
    if (!bar.hidden) { bar.max = total; bar.value = done; }
    clearTimeout(timer);
    if (/run|progress|start|list/.test(state) && box.isConnected) timer = setTimeout(poll, 1000);
  };
  const poll = () => api('/api/admin/rescan').then(showRescan).catch(e => clear(status, h('p', { class: 'error' }, e.message)));
  const rescan = h('button', { class: 'primary', onclick: async () => {
    try { showRescan(await api('/api/admin/rescan', { method: 'POST', body: {} })); } catch (e) { toast(e.message); }
  } }, 'Rescan the bucket');
  const redrive = h('button', { onclick: async () => {
    try { const r = await api('/api/admin/dlq/redrive', { method: 'POST', body: {} }); toast(`Moved ${r.moved}, ${r.remaining} left`); drawDlq(); }
    catch (e) { toast(e.message); }
  } }, 'Redrive');
  const drawDlq = () => api('/api/admin/dlq').then(r => clear(dlq, h('p', null, `Dead-letter queue: ${r.messages} messages `), r.messages > 0 ? redrive : null))
    .catch(e => clear(dlq, h('p', { class: 'muted' }, `Dead-letter queue: ${e.message}`)));
  clear(box, panel('Rescan', h('div', { class: 'actions' }, rescan), bar, status), panel('Dead letters', dlq));
  poll();
  drawDlq();
}

async function costs(box) {
  const r = await optional('/api/admin/costs', 'costs').catch(e => ({ error: e.message }));
  clear(box, panel('Costs', r ? jsonView(r) : h('p', { class: 'muted' }, 'Cost figures are not available on this server.')));
}

const tasks = [];

async function upload(box) {
  const prefix = h('input', { type: 'text', 'aria-label': 'Folder in the bucket', placeholder: 'Artist/Album (for loose files)',
    value: localStorage.getItem('s3music.upload.prefix') || '' });
  const input = h('input', { type: 'file', multiple: true, 'aria-label': 'Choose files', accept: 'audio/*,image/*,.flac,.opus,.ogg,.m4a' });
  const dirInput = h('input', { type: 'file', multiple: true, webkitdirectory: true, 'aria-label': 'Choose a folder' });
  const list = h('ul', { class: 'plain', 'aria-label': 'Uploads' });
  const drop = h('div', { class: 'drop', tabindex: 0, 'aria-label': 'Drop files or folders here' },
    h('p', null, 'Drop files or whole folders here (Artist/Album/song.flac), or choose them:'),
    h('div', { class: 'actions', style: 'justify-content:center' }, h('label', null, 'Files ', input), h('label', null, 'Folder ', dirInput)));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => { e.preventDefault(); drop.classList.remove('over'); start(await filesOfDrop(e.dataTransfer)); });
  input.addEventListener('change', () => { start([...input.files].map(f => ({ file: f, path: f.name }))); input.value = ''; });
  dirInput.addEventListener('change', () => { start([...dirInput.files].map(f => ({ file: f, path: f.webkitRelativePath || f.name }))); dirInput.value = ''; });

  function start(files) {
    const p = prefix.value.trim().replace(/^\/+|\/+$/g, '');
    localStorage.setItem('s3music.upload.prefix', p);
    for (const { file, path } of files) {
      if (!isUploadable(path) || file.size === 0) continue;
      const depth = path.split('/').length;
      // a loose file or a folder of songs goes under the prefix; Artist/Album/song keeps its own path
      const key = depth >= 3 || !p ? path : `${p}/${path}`;
      const task = new UploadTask(file, key);
      tasks.push(task);
      list.append(row(task));
      runTask(task);
    }
  }

  function row(task) {
    const prog = h('progress', { max: task.file.size, value: 0, 'aria-label': `Upload of ${task.key}` });
    const state = h('span', { class: 'muted' }, 'waiting');
    const retry = h('button', { class: 'link', hidden: true, onclick: () => { retry.hidden = true; runTask(task); } }, 'Resume');
    const cancel = h('button', { class: 'link', onclick: async () => { await task.cancel(); li.remove(); } }, 'Cancel');
    task.onProgress = (done, total) => { prog.max = total; prog.value = done; };
    task.onState = (s) => {
      state.textContent = s;
      if (s === 'done') { cancel.remove(); retry.remove(); }
    };
    task.onFail = (e) => { state.textContent = `stopped: ${e.message}`; retry.hidden = false; };
    const li = h('li', { class: 'upload', dataset: { key: task.key } }, h('span', { class: 'grow' }, task.key), prog, state, retry, cancel);
    return li;
  }

  clear(box, panel('Upload', h('p', { class: 'muted' },
    'Files go straight to S3, in parts, and appear in the library when S3 tells the indexer.'),
    h('label', null, 'Folder for loose files ', prefix), drop, list));
  for (const t of tasks) if (!t.done) list.append(row(t));
}

let running = 0;
const waiting = [];
function runTask(task) {
  if (running >= 2) { waiting.push(task); return; }
  running++;
  task.failed = false;
  task.run().catch(e => { task.failed = true; if (task.onFail) task.onFail(e); })
    .finally(() => { running--; const n = waiting.shift(); if (n) runTask(n); });
}
// after a network drop: resume what stopped
addEventListener('online', () => { for (const t of tasks) if (!t.done && t.failed) runTask(t); });
