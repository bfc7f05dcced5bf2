// Tiny DOM helpers: h('button', {onclick, 'aria-label': 'Play'}, 'text', child...)
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'value') el.value = v;
      else if (k === 'checked') el.checked = !!v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** 75 -> "1:15", 3725 -> "1:02:05"; unknown -> "--:--" */
export function fmtTime(s) {
  if (!Number.isFinite(s) || s < 0) return '--:--';
  s = Math.floor(s);
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export function initials(name) {
  return (name || '?').split(/\s+/).filter(Boolean).slice(0, 2).map(w => w[0].toUpperCase()).join('');
}

let toastTimer;
export function toast(text) {
  let t = document.querySelector('.toast');
  if (!t) { t = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' }); document.body.append(t); }
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 2500);
}

export function debounce(fn, ms) {
  let timer;
  return (...a) => { clearTimeout(timer); timer = setTimeout(() => fn(...a), ms); };
}

/** A button that opens a small menu of [label, action] pairs. */
export function menu(label, items) {
  const list = h('div', { role: 'menu', hidden: true });
  const btn = h('button', { class: 'link', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-label': label,
    title: label, onclick: (e) => {
      e.stopPropagation();
      const open = list.hidden;
      document.querySelectorAll('.menu [role=menu]').forEach(m => { m.hidden = true; });
      list.hidden = !open;
      btn.setAttribute('aria-expanded', String(open));
      if (open) list.querySelector('button')?.focus();
    } }, '⋯');
  for (const [text, action] of items) {
    if (!text) continue;
    list.append(h('button', { role: 'menuitem', onclick: (e) => { e.stopPropagation(); list.hidden = true;
      btn.setAttribute('aria-expanded', 'false'); action(); } }, text));
  }
  return h('span', { class: 'menu' }, btn, list);
}
document.addEventListener('click', () => document.querySelectorAll('.menu [role=menu]').forEach(m => { m.hidden = true; }));
