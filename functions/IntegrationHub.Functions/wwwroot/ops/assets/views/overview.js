// Overview: the queues, what failed and how, deadline risk, and the connected systems, refreshed every 15 s.
import { get, query } from '../api.js';
import { h, replace, table, time, ago, number, badge, empty, problem, deadLetterPath } from '../dom.js';
import { circuitBadge } from './connectors.js';

const REFRESH = 15000;

export async function render(root) {
  let timer = null;
  let stopped = false;
  const draw = async () => {
    try {
      const [data, audit] = await Promise.all([get('/api/ops/overview'), get('/api/audit/status').catch(() => null)]);
      if (!stopped) replace(root, ...content(data, audit));
    } catch (e) {
      if (!stopped) replace(root, h('h1', {}, 'Tổng quan'), problem(e, draw));
    }
    if (!stopped) timer = setTimeout(draw, REFRESH);
  };
  await draw();
  return () => { stopped = true; clearTimeout(timer); };
}

function content(data, audit) {
  const failing = data.queues.filter(q => q.deadLettered > 0).length;
  const open = data.connectors.filter(c => c.state !== 'closed');
  const d = data.deadlines;
  return [
    h('span', { class: 'updated' }, `Cập nhật ${time(data.now)}`),
    h('h1', {}, 'Tổng quan'),
    h('div', { class: 'cards', 'data-testid': 'overview-cards' },
      card('/ops/dead-letters', data.deadLetters.count, 'thông điệp lỗi', `${failing} hàng đợi có lỗi`, data.deadLetters.count > 0 ? 'bad' : 'ok'),
      card('/ops/deadlines', d.overdue, 'hồ sơ quá hạn', d.truncated ? 'chỉ tính 1000 hồ sơ đầu' : '', d.overdue > 0 ? 'bad' : 'ok'),
      card('/ops/deadlines', d.dueToday, 'đến hạn hôm nay', `${number.format(d.nearDue)} sắp đến hạn`, d.dueToday > 0 ? 'warn' : ''),
      card('/ops/deadlines', d.paused, 'tạm dừng chờ bổ sung', ''),
      card('/ops/connectors', open.length, 'kết nối đang ngắt', open.map(c => c.system).join(', ') || 'tất cả bình thường', open.length > 0 ? 'bad' : 'ok'),
      integrityCard(audit)),
    h('h2', {}, 'Lỗi theo loại'),
    data.deadLetters.groups.length === 0 ? empty('Không có thông điệp lỗi nào.') : table(
      [{ label: 'Hàng đợi' }, { label: 'Lý do' }, { label: 'Ngoại lệ' }, { label: 'Số lượng', num: true }, { label: 'Mới nhất' }],
      data.deadLetters.groups.map(g => ({
        cells: [
          h('a', { href: `/ops/dead-letters${query({ queue: g.queue, reason: g.reason })}`, 'data-link': true }, g.queue),
          g.reason ?? '—', g.exceptionType ?? '—', number.format(g.count), `${time(g.newest)} (${ago(g.newest)})`,
        ],
      })), { testid: 'failure-groups' }),
    data.deadLetters.latest.length ? h('p', { class: 'small muted' }, 'Mới nhất: ', data.deadLetters.latest.map((l, i) => [i ? ', ' : '', h('a', { href: deadLetterPath(l.queue, l.messageId), 'data-link': true }, l.messageId)])) : null,
    h('h2', {}, 'Hàng đợi'),
    table(
      [{ label: 'Hàng đợi' }, { label: 'Đơn vị' }, { label: 'Đang chờ', num: true }, { label: 'Đang xử lý', num: true }, { label: 'Hẹn giờ', num: true }, { label: 'Lỗi', num: true }, { label: 'Lỗi mới/phút', num: true }, { label: 'Tồn đọng/phút', num: true }],
      [...data.queues].sort(byUrgency).map(q => ({
        class: q.active + q.locked + q.scheduled + q.deadLettered === 0 ? 'zero' : null,
        dataset: { queue: q.name },
        cells: [
          h('code', {}, q.name),
          q.kind === 'department' ? `${q.departmentName ?? q.department}` : 'hub',
          number.format(q.active), number.format(q.locked), number.format(q.scheduled),
          q.deadLettered > 0 ? h('a', { href: `/ops/dead-letters${query({ queue: q.name })}`, 'data-link': true }, badge(number.format(q.deadLettered), 'bad')) : '0',
          q.rates ? number.format(q.rates.deadLettered) : '…',
          q.rates ? trend(q.rates.backlog) : '…',
        ],
      })), { testid: 'queues' }),
    h('h2', {}, 'Kết nối'),
    h('p', {}, data.connectors.map(c => [circuitBadge(c.state), ' ', c.system, '   '])),
  ];
}

function card(href, value, label, note, kind = '') {
  return h('a', { class: `card ${kind}`, href, 'data-link': true },
    h('div', { class: 'value' }, number.format(value)), h('div', { class: 'label' }, label), note ? h('div', { class: 'small muted' }, note) : null);
}

// The audit chains: the last signed checkpoint, and what is not yet sealed.
function integrityCard(audit) {
  if (!audit) return null;
  const unsealed = audit.chains.reduce((n, c) => n + c.unsealed, 0);
  const last = audit.lastCheckpoint;
  const verified = audit.lastVerification;
  const state = verified ? (verified.intact ? `nguyên vẹn (kiểm tra lúc ${time(verified.at)})` : 'BỊ THAY ĐỔI: xem chi tiết') : '';
  const note = [last ? `lúc ${time(last.at)}` : '', `${number.format(unsealed)} mục chưa niêm phong`, state].filter(Boolean).join('; ');
  const kind = verified && !verified.intact ? 'bad' : !audit.chaining || !last ? 'warn' : 'ok';
  return h('a', { class: `card ${kind}`, href: '/ops/integrity', 'data-link': true, 'data-testid': 'integrity-card' },
    h('div', { class: 'value' }, last ? `#${last.number}` : '—'), h('div', { class: 'label' }, audit.chaining ? 'điểm kiểm đã ký' : 'nối chuỗi đang tắt'), h('div', { class: 'small muted' }, note));
}

function trend(value) {
  if (value > 0) return badge(`+${number.format(value)}`, 'warn');
  return number.format(value);
}

// Queues with dead letters first, then the hub's own, then the departments', each by name.
function byUrgency(a, b) {
  return (b.deadLettered > 0) - (a.deadLettered > 0) || (a.kind === 'department') - (b.kind === 'department') || a.name.localeCompare(b.name);
}
