// Dead letters: grouped by queue, reason and exception type; searched by dossier code, message id or text; replayed.
import { get, query } from '../api.js';
import { h, replace, table, time, ago, number, empty, deadLetterPath, dossierPath } from '../dom.js';
import { openReplayDialog } from './replay-dialog.js';

export async function render(root, _params, search, { navigate }) {
  const filter = { queue: search.get('queue') ?? '', reason: search.get('reason') ?? '', text: search.get('text') ?? '' };
  const [data, queues] = await Promise.all([get(`/api/ops/dead-letters${query({ ...filter, limit: 500 })}`), get('/api/ops/queues')]);
  const selected = new Set();

  const queueSelect = h('select', { name: 'queue', 'data-testid': 'filter-queue' },
    h('option', { value: '' }, 'Tất cả hàng đợi'),
    queues.queues.map(q => h('option', { value: q.name, selected: q.name === filter.queue }, `${q.name}${q.deadLettered ? ` (${q.deadLettered})` : ''}`)));
  const reason = h('input', { name: 'reason', value: filter.reason, placeholder: 'vd. RoutingFailed', 'data-testid': 'filter-reason' });
  const text = h('input', { name: 'text', type: 'search', value: filter.text, placeholder: 'mã hồ sơ, mã thông điệp, nội dung…', size: 34, 'data-testid': 'filter-text' });
  const form = h('form', {
    class: 'search', role: 'search',
    onsubmit: event => {
      event.preventDefault();
      navigate(`/ops/dead-letters${query({ queue: queueSelect.value, reason: reason.value.trim(), text: text.value.trim() })}`, { replace: true });
    },
  },
  h('label', {}, 'Hàng đợi', queueSelect), h('label', {}, 'Lý do', reason), h('label', {}, 'Tìm', text),
  h('button', { type: 'submit', class: 'primary', 'data-testid': 'filter-submit' }, 'Tìm'),
  filter.queue || filter.reason || filter.text ? h('a', { href: '/ops/dead-letters', 'data-link': true }, 'Bỏ lọc') : null);

  const selectedButton = h('button', {
    type: 'button', disabled: true, 'data-testid': 'replay-selected',
    onclick: () => {
      const letters = data.deadLetters.filter(l => selected.has(key(l)));
      const queue = letters[0].queue;
      openReplayDialog({ queue, messageIds: letters.map(l => l.messageId) }, `${letters.length} thông điệp đã chọn của hàng đợi ${queue}.`, navigate);
    },
  }, 'Gửi lại mục đã chọn');
  const allButton = h('button', {
    type: 'button', disabled: !filter.queue || data.count === 0, 'data-testid': 'replay-matching',
    title: filter.queue ? '' : 'Chọn một hàng đợi trước',
    onclick: () => openReplayDialog(
      { queue: filter.queue, filter: { reason: filter.reason || null, text: filter.text || null } },
      `Mọi thông điệp lỗi của hàng đợi ${filter.queue} khớp bộ lọc hiện tại (${number.format(data.count)} lúc này).`, navigate),
  }, 'Gửi lại tất cả khớp bộ lọc');
  const hint = h('span', { class: 'small muted' });
  const refreshSelection = () => {
    const queuesChosen = new Set(data.deadLetters.filter(l => selected.has(key(l))).map(l => l.queue));
    selectedButton.disabled = selected.size === 0 || queuesChosen.size !== 1;
    hint.textContent = queuesChosen.size > 1 ? 'Chỉ gửi lại được các mục của cùng một hàng đợi.' : selected.size ? `${selected.size} mục đã chọn` : '';
  };

  replace(root,
    h('h1', {}, 'Thông điệp lỗi'),
    form,
    data.groups.length ? table(
      [{ label: 'Hàng đợi' }, { label: 'Lý do' }, { label: 'Ngoại lệ' }, { label: 'Số lượng', num: true }, { label: 'Cũ nhất' }, { label: 'Mới nhất' }],
      data.groups.map(g => ({
        cells: [
          h('a', { href: `/ops/dead-letters${query({ queue: g.queue, reason: g.reason, text: filter.text })}`, 'data-link': true }, g.queue),
          g.reason ?? '—', g.exceptionType ?? '—', number.format(g.count), time(g.oldest), `${time(g.newest)} (${ago(g.newest)})`,
        ],
      })), { testid: 'groups' }) : null,
    h('h2', {}, `${number.format(data.count)} thông điệp`, data.truncated ? ` (hiện ${data.deadLetters.length} mới nhất)` : ''),
    data.count === 0
      ? empty(filter.queue || filter.reason || filter.text ? 'Không có thông điệp lỗi nào khớp bộ lọc.' : 'Không có thông điệp lỗi nào.')
      : [
        h('div', { class: 'toolbar' }, selectedButton, allButton, hint),
        table(
          [{ label: '' }, { label: 'Hàng đợi' }, { label: 'Mã thông điệp' }, { label: 'Hồ sơ' }, { label: 'Lý do' }, { label: 'Chuyển vào lỗi lúc' }, { label: 'Mô tả' }],
          data.deadLetters.map(l => ({
            dataset: { messageId: l.messageId },
            cells: [
              h('input', { type: 'checkbox', 'aria-label': `Chọn ${l.messageId}`, onchange: e => { e.target.checked ? selected.add(key(l)) : selected.delete(key(l)); refreshSelection(); } }),
              h('code', {}, l.queue),
              h('a', { href: deadLetterPath(l.queue, l.messageId), 'data-link': true, 'data-testid': 'dead-letter-link' }, l.messageId),
              l.correlationId ? h('a', { href: dossierPath(l.correlationId), 'data-link': true }, l.correlationId) : '—',
              [l.reason ?? '—', l.exceptionType ? h('div', { class: 'small muted' }, l.exceptionType) : null],
              time(l.deadLetteredAt),
              h('span', { class: 'small' }, l.description ?? ''),
            ],
          })), { testid: 'dead-letters' }),
      ]);
}

function key(letter) {
  return `${letter.queue}\n${letter.messageId}`;
}
