// A dossier by its portal or city code (its deep link): where it is, when it is due, and every step
// of its timeline (who, unit, what, when).
import { get, query } from '../api.js';
import { h, replace, time, ago, facts, badge, link, empty } from '../dom.js';

export const STATUS = {
  newlyRegistered: 'Mới đăng ký', accepted: 'Đã tiếp nhận', notAccepted: 'Không tiếp nhận', inProcessing: 'Đang xử lý',
  supplementRequested: 'Yêu cầu bổ sung', paymentRequested: 'Yêu cầu nộp phí', withdrawn: 'Công dân rút hồ sơ',
  processingStopped: 'Dừng xử lý', processingFinished: 'Đã có kết quả', resultReturned: 'Đã trả kết quả',
};

export const STAGE = {
  received: ['Đã nhận', ''], verified: ['Đã xác thực', ''], routed: ['Đã chuyển đơn vị giải quyết', 'ok'],
  rejected: ['Không tiếp nhận', 'warn'], deadLettered: ['Đang lỗi, chờ vận hành', 'bad'],
};

export function timeline(steps) {
  return h('ol', { class: 'timeline', 'data-testid': 'timeline' }, steps.map(s => h('li', {
    class: s.action.startsWith('Chưa thể') ? 'failure' : s.action.startsWith('Gửi lại') || s.action.startsWith('Sửa nội dung') ? 'operator' : null,
  },
  h('div', { class: 'when' }, time(s.at)),
  h('div', {}, h('span', { class: 'who' }, s.actor), ' · ', h('span', { class: 'muted' }, s.unit), s.status ? [' ', badge(STATUS[s.status] ?? s.status)] : null),
  h('div', {}, s.action))));
}

// Stages a dossier leaves by itself soon (or after a replay): the page looks again while it is in one.
const MOVING = new Set(['received', 'verified', 'deadLettered']);

export async function render(root, params, _search, context) {
  let timer = null;
  let stopped = false;
  let looks = 0;
  const draw = async () => {
    const stage = await show(root, params, context);
    if (!stopped && MOVING.has(stage) && looks++ < 40) timer = setTimeout(() => draw().catch(() => {}), 3000);
  };
  await draw();
  return () => { stopped = true; clearTimeout(timer); };
}

async function show(root, [code], { navigate }) {
  const input = h('input', { type: 'search', value: code ?? '', placeholder: 'G22.99-241203-000245 hoặc 000.00.00.H26-241203-0001', size: 44, 'data-testid': 'dossier-code', required: true });
  const form = h('form', {
    class: 'search', role: 'search',
    onsubmit: event => { event.preventDefault(); if (input.value.trim()) navigate(`/ops/dossiers/${encodeURIComponent(input.value.trim())}`); },
  }, h('label', {}, 'Mã hồ sơ (Cổng hoặc thành phố)', input), h('button', { type: 'submit', class: 'primary' }, 'Xem'));

  if (!code) {
    replace(root, h('h1', {}, 'Hồ sơ'), form, empty('Nhập mã hồ sơ để xem tiến trình xử lý.'));
    input.focus();
    return;
  }

  let d;
  try {
    d = await get(`/api/dossiers/${encodeURIComponent(code)}/timeline`);
  } catch (e) {
    if (e.status !== 404) throw e;
    replace(root, h('h1', {}, 'Hồ sơ'), form, empty(`Hub không có hồ sơ nào mã ${code}.`));
    return;
  }

  const [stage, kind] = STAGE[d.stage] ?? [d.stage, ''];
  const paused = d.pausedAt ? [`Tạm dừng từ ${time(d.pausedAt)} (chờ bổ sung)`] : null;
  replace(root,
    h('h1', {}, 'Hồ sơ ', h('code', { 'data-testid': 'dossier-title' }, d.portalCode)),
    form,
    h('section', { class: 'panel', 'data-testid': 'dossier' },
      facts([
        ['Giai đoạn', h('span', { 'data-testid': 'dossier-stage' }, badge(stage, kind))],
        ['Trạng thái', d.status ? badge(STATUS[d.status] ?? d.status) : '—'],
        ['Mã hồ sơ thành phố', d.cityCode],
        ['Thủ tục', d.procedureCode],
        ['Đơn vị giải quyết', h('span', { 'data-testid': 'dossier-department' }, d.departmentCode ?? '—')],
        ['Nơi tiếp nhận', d.receivingBranch],
        ['Nhận lúc', time(d.receivedAt)],
        ['Hạn trả kết quả', d.dueAt ? `${time(d.dueAt)} (${ago(d.dueAt)})` : '—'],
        paused ? ['Đồng hồ', paused] : null,
        ['Mã vết (trace)', h('code', { 'data-testid': 'dossier-trace' }, '…')],
      ]),
      d.stage === 'deadLettered' ? h('p', {}, link(`/ops/dead-letters${query({ text: d.portalCode })}`, 'Xem thông điệp lỗi của hồ sơ này')) : null),
    h('h2', {}, 'Tiến trình'),
    d.steps.length ? timeline(d.steps) : empty('Chưa có bước nào.'));
  const trace = root.querySelector('[data-testid="dossier-trace"]');
  traceIdOf(d.portalCode).then(id => { trace.textContent = id; }, () => { trace.textContent = '—'; });
  return d.stage;
}

// The hub derives a dossier's trace id from its portal code (SHA-256, first 16 bytes), so the
// tracing system can be searched with it.
async function traceIdOf(portalCode) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(portalCode));
  return [...new Uint8Array(digest).slice(0, 16)].map(b => b.toString(16).padStart(2, '0')).join('');
}
