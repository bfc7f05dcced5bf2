// Uploads straight to S3: the server signs each part (POST /api/admin/uploads...), the browser PUTs the parts
// to S3 itself, a few at a time, retried with backoff, and completes the upload. The upload id is kept in this
// browser's storage, so after a network drop (or a reload) the same file resumes with the parts S3 already has.
import { api, enc } from './api.js';

const PARALLEL = 4;
const RETRIES = 5;
const URL_BATCH = 8;

const AUDIO = /\.(mp3|flac|ogg|oga|opus|m4a|mp4|aac|wav|aif|aiff|wma|ape|wv|mpc|jpg|jpeg|png|webp|gif)$/i;

export function isUploadable(name) { return AUDIO.test(name) && !name.split('/').some(p => p.startsWith('.')); }

/** Files of a drop, folders walked: [{file, path}] with path relative to what was dropped. */
export async function filesOfDrop(dataTransfer) {
  const entries = [...dataTransfer.items || []].map(i => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
  if (!entries.length) return [...dataTransfer.files].map(f => ({ file: f, path: f.name }));
  const out = [];
  async function walk(entry, prefix) {
    if (entry.isFile) {
      const file = await new Promise((res, rej) => entry.file(res, rej));
      out.push({ file, path: prefix + file.name });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
        if (!batch.length) break;
        for (const e of batch) await walk(e, prefix + entry.name + '/');
      }
    }
  }
  for (const e of entries) await walk(e, '');
  return out;
}

function contentType(file) {
  if (file.type) return file.type;
  const ext = (file.name.split('.').pop() || '').toLowerCase();
  return { mp3: 'audio/mpeg', flac: 'audio/flac', ogg: 'audio/ogg', opus: 'audio/ogg', m4a: 'audio/mp4', wav: 'audio/wav',
    jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png' }[ext] || 'application/octet-stream';
}

const sleep = (ms) => new Promise(r => setTimeout(r, ms));
const backoff = (attempt) => Math.min(8000, 300 * 2 ** attempt) * (0.5 + Math.random());

/** PUTs one part; answers its ETag. XHR for the upload progress events that fetch lacks. */
function putPart(url, blob, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      const etag = xhr.getResponseHeader('ETag');
      if (xhr.status >= 200 && xhr.status < 300 && etag) resolve(etag);
      else reject(Object.assign(new Error(xhr.status >= 200 && xhr.status < 300
        ? 'S3 sent no ETag (its CORS must expose it)' : `S3 answered ${xhr.status}`), { status: xhr.status }));
    };
    xhr.onerror = () => reject(Object.assign(new Error('network error'), { status: 0 }));
    xhr.ontimeout = xhr.onerror;
    xhr.timeout = 120000;
    if (signal) signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.onabort = () => reject(Object.assign(new Error('cancelled'), { status: -1 }));
    xhr.send(blob);
  });
}

/**
 * One file's upload. `task.onProgress(done, total)`, `task.onState(text)`; `run()` resolves when S3 has the object,
 * rejects (resumable) on failure; `cancel()` aborts it on S3 too.
 */
export class UploadTask {
  constructor(file, key) {
    this.file = file;
    this.key = key;
    this.storeKey = `s3music.upload.${key}.${file.size}.${file.lastModified}`;
    this.controller = null;
    this.onProgress = () => {};
    this.onState = () => {};
    this.done = false;
  }

  async run() {
    this.controller = new AbortController();
    const { file, key } = this;
    let state = JSON.parse(localStorage.getItem(this.storeKey) || 'null');
    const etags = new Map();
    if (state) {
      try {
        const have = await api(`/api/admin/uploads/${enc(state.uploadId)}/parts?key=${enc(key)}`);
        for (const p of (have.parts || have.items || have || [])) etags.set(p.partNumber, p.etag || p.eTag);
        this.onState('resuming');
      } catch (e) {
        if (e.status === 404) state = null; else throw e;
      }
    }
    if (!state) {
      const r = await api('/api/admin/uploads', { method: 'POST', body: { key, size: file.size, contentType: contentType(file) } });
      state = { uploadId: r.uploadId, key: r.key || key, partSize: r.partSize, partCount: r.partCount };
      localStorage.setItem(this.storeKey, JSON.stringify(state));
    }
    const partCount = state.partCount || Math.max(1, Math.ceil(file.size / state.partSize));
    const sizeOf = (n) => Math.min(state.partSize, file.size - (n - 1) * state.partSize);
    const progress = new Map();
    for (const n of etags.keys()) progress.set(n, sizeOf(n));
    const report = () => this.onProgress([...progress.values()].reduce((a, b) => a + b, 0), file.size);
    report();
    const todo = [];
    for (let n = 1; n <= partCount; n++) if (!etags.has(n)) todo.push(n);
    const urls = new Map();
    const signFor = async (n) => {
      const batch = [n, ...todo.filter(x => !urls.has(x) && x !== n).slice(0, URL_BATCH - 1)];
      const r = await api(`/api/admin/uploads/${enc(state.uploadId)}/parts`, { method: 'POST',
        body: { key: state.key, partNumbers: batch } });
      for (const [k, v] of Object.entries(r.urls || {})) urls.set(Number(k), v);
    };
    this.onState('uploading');
    const worker = async () => {
      while (todo.length) {
        const n = todo.shift();
        for (let attempt = 0; ; attempt++) {
          if (this.controller.signal.aborted) throw new Error('cancelled');
          try {
            if (!urls.has(n)) await signFor(n);
            const start = (n - 1) * state.partSize;
            const etag = await putPart(urls.get(n), file.slice(start, start + sizeOf(n)),
              (loaded) => { progress.set(n, loaded); report(); }, this.controller.signal);
            etags.set(n, etag);
            progress.set(n, sizeOf(n));
            report();
            break;
          } catch (e) {
            progress.set(n, 0);
            if (e.status === -1 || attempt >= RETRIES) throw e;
            if (e.status === 403) urls.delete(n); // an expired signature: sign again
            this.onState(`retrying part ${n}`);
            await sleep(backoff(attempt));
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, todo.length) }, worker));
    this.onState('completing');
    const parts = [...etags.entries()].sort((a, b) => a[0] - b[0]).map(([partNumber, etag]) => ({ partNumber, etag }));
    await api(`/api/admin/uploads/${enc(state.uploadId)}/complete`, { method: 'POST', body: { key: state.key, parts } });
    localStorage.removeItem(this.storeKey);
    this.done = true;
    this.onState('done');
  }

  async cancel() {
    if (this.controller) this.controller.abort();
    const state = JSON.parse(localStorage.getItem(this.storeKey) || 'null');
    localStorage.removeItem(this.storeKey);
    if (state) await api(`/api/admin/uploads/${enc(state.uploadId)}?key=${enc(state.key)}`, { method: 'DELETE' }).catch(() => {});
  }
}
