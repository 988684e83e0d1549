// Small DOM helpers. Everything from the hub is put on the page as text, never as HTML.

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'text') el.textContent = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const hanoi = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

/** A time as Hanoi reads it, e.g. 14:05:09 21/11/2026. */
export function time(iso) {
  if (!iso) return '—';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? String(iso) : hanoi.format(at);
}

/** How long ago, in words an operator reads at a glance. */
export function ago(iso, now = Date.now()) {
  if (!iso) return '';
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const text = s < 60 ? `${s} giây` : s < 3600 ? `${Math.round(s / 60)} phút` : s < 172800 ? `${Math.round(s / 3600)} giờ` : `${Math.round(s / 86400)} ngày`;
  return future ? `còn ${text}` : `${text} trước`;
}

export function link(href, ...children) {
  return h('a', { href, 'data-link': true }, ...children);
}

export function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}`.trim() }, text);
}

export function empty(text) {
  return h('div', { class: 'empty', 'data-testid': 'empty' }, text);
}

export function table(columns, rows, options = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', { 'data-testid': options.testid },
      h('thead', {}, h('tr', {}, columns.map(c => h('th', { class: c.num ? 'num' : null, scope: 'col' }, c.label)))),
      h('tbody', {}, rows.map(row => {
        const tr = h('tr', { class: row.class ?? null, dataset: row.dataset ?? null });
        columns.forEach((c, i) => tr.append(h('td', { class: c.num ? 'num' : null }, row.cells[i])));
        return tr;
      }))));
}

/** A problem from the hub (RFC 9457) or a network failure, with a way to try again. */
export function problem(error, retry) {
  const p = error?.problem;
  const fields = Array.isArray(p?.errors) ? p.errors.map(e => h('li', {}, h('code', {}, e.field), ': ', e.error)) : [];
  return h('div', { class: 'problem', role: 'alert', 'data-testid': 'problem' },
    h('strong', {}, p?.title ?? 'Không gọi được hub'),
    h('div', {}, p?.detail ?? error?.message ?? String(error)),
    fields.length ? h('ul', {}, fields) : null,
    retry ? h('button', { type: 'button', onclick: retry }, 'Thử lại') : null);
}

export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]));
}

export const number = new Intl.NumberFormat('vi-VN');

/** The path of a dead letter's page (its deep link). */
export function deadLetterPath(queue, messageId) {
  return `/ops/dead-letters/${encodeURIComponent(queue)}/${encodeURIComponent(messageId)}`;
}

/** The path of a dossier's page (its deep link). */
export function dossierPath(code) {
  return `/ops/dossiers/${encodeURIComponent(code)}`;
}
