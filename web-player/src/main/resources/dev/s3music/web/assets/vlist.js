// A virtual list over a paged endpoint: only the rows in view (and a margin) exist in the DOM, pages of
// PAGE items are fetched as they come into view. 10,000 artists stay as smooth as 10.
const ROW = 48;
const PAGE = 200;

/**
 * @param fetchPage (offset, limit) => Promise<{items, total}>
 * @param renderRow (item, index) => Element (absolutely placed by the list)
 */
export function virtualList({ fetchPage, renderRow, label }) {
  const box = document.createElement('div');
  box.className = 'vlist';
  box.setAttribute('role', 'list');
  if (label) box.setAttribute('aria-label', label);
  const spacer = document.createElement('div');
  box.append(spacer);
  const pages = new Map();   // page index -> items (or a pending promise)
  const rows = new Map();    // index -> element
  let total = 0;
  let frame = 0;

  async function loadPage(p) {
    if (pages.has(p)) return;
    const pending = fetchPage(p * PAGE, PAGE).then(res => {
      pages.set(p, res.items || []);
      if (typeof res.total === 'number' && res.total !== total) { total = res.total; spacer.style.height = `${total * ROW}px`; }
      schedule();
    }).catch(e => { pages.delete(p); console.warn('list page', e); });
    pages.set(p, pending);
  }

  function itemAt(i) {
    const page = pages.get(Math.floor(i / PAGE));
    return Array.isArray(page) ? page[i % PAGE] : undefined;
  }

  function draw() {
    frame = 0;
    const first = Math.max(0, Math.floor(box.scrollTop / ROW) - 10);
    const last = Math.min(total - 1, Math.ceil((box.scrollTop + box.clientHeight) / ROW) + 10);
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last) / PAGE); p++) loadPage(p);
    for (const [i, el] of rows) {
      if (i < first || i > last) { el.remove(); rows.delete(i); }
    }
    for (let i = first; i <= last; i++) {
      if (rows.has(i)) continue;
      const item = itemAt(i);
      if (item === undefined) continue;
      const el = renderRow(item, i);
      el.classList.add('row');
      el.setAttribute('role', 'listitem');
      el.style.top = `${i * ROW}px`;
      rows.set(i, el);
      box.append(el);
    }
  }

  function schedule() { if (!frame) frame = requestAnimationFrame(draw); }

  box.addEventListener('scroll', schedule, { passive: true });
  if (window.ResizeObserver) new ResizeObserver(schedule).observe(box); else addEventListener('resize', schedule);
  loadPage(0);
  return box;
}
