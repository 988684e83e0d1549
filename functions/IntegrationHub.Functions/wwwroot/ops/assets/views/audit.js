// The operator audit log: who did what, when, to which messages, and why. Append-only.
import { get, query } from '../api.js';
import { h, replace, table, time, empty, link, deadLetterPath } from '../dom.js';

const ACTIONS = {
  replay: 'Gửi lại', dryRun: 'Chạy thử gửi lại', editAndReplay: 'Sửa và gửi lại', editDryRun: 'Xem trước bản sửa', cancelJob: 'Dừng lượt gửi lại',
};

export function auditTable(entries) {
  return table(
    [{ label: 'Lúc' }, { label: 'Người' }, { label: 'Thao tác' }, { label: 'Hàng đợi' }, { label: 'Thông điệp / lượt' }, { label: 'Lý do' }, { label: 'Chi tiết' }],
    entries.map(e => ({
      dataset: { action: e.action },
      cells: [
        time(e.at),
        [e.actorName, h('div', { class: 'small muted' }, [e.actor, e.unit].filter(Boolean).join(' · '))],
        ACTIONS[e.action] ?? e.action,
        e.queue ? h('code', {}, e.queue) : '—',
        [e.messageId && e.queue ? link(deadLetterPath(e.queue, e.messageId), e.messageId) : null, e.jobId ? h('div', {}, link(`/ops/replays/${encodeURIComponent(e.jobId)}`, e.jobId)) : null],
        e.comment,
        detail(e),
      ],
    })), { testid: 'audit' });
}

function detail(e) {
  const d = e.detail ?? {};
  if (Array.isArray(d.changes)) {
    return h('ul', { class: 'small' }, d.changes.map(c => h('li', {}, h('code', {}, c.path), ': ', h('code', {}, c.before === undefined ? '∅' : JSON.stringify(c.before)), ' → ', h('code', {}, c.after === undefined ? '∅' : JSON.stringify(c.after)))));
  }
  if (typeof d.count === 'number') return `${d.count} thông điệp${d.maxPerSecond ? `, tối đa ${d.maxPerSecond}/giây` : ''}`;
  if (typeof d.replayed === 'number') return `đã gửi lại ${d.replayed}, còn ${d.pending}`;
  return '';
}

export async function render(root, _params, search, { navigate }) {
  const actor = h('input', { name: 'actor', value: search.get('actor') ?? '', placeholder: 'tài khoản' });
  const action = h('select', { name: 'action' }, h('option', { value: '' }, 'Mọi thao tác'), Object.entries(ACTIONS).map(([k, v]) => h('option', { value: k, selected: search.get('action') === k }, v)));
  const messageId = h('input', { name: 'messageId', value: search.get('messageId') ?? '', placeholder: 'mã thông điệp', size: 30 });
  const data = await get(`/api/ops/audit${query({ actor: actor.value, action: action.value, messageId: messageId.value, limit: 200 })}`);
  replace(root,
    h('h1', {}, 'Nhật ký thao tác'),
    h('p', { class: 'small muted' }, 'Mọi thao tác gửi lại, chạy thử, sửa và dừng của cán bộ vận hành. Nhật ký chỉ được ghi thêm, không sửa hay xoá được.'),
    h('form', {
      class: 'search',
      onsubmit: ev => { ev.preventDefault(); navigate(`/ops/audit${query({ actor: actor.value.trim(), action: action.value, messageId: messageId.value.trim() })}`, { replace: true }); },
    }, h('label', {}, 'Người', actor), h('label', {}, 'Thao tác', action), h('label', {}, 'Thông điệp', messageId), h('button', { type: 'submit', class: 'primary' }, 'Lọc')),
    data.entries.length ? auditTable(data.entries) : empty('Chưa có thao tác nào khớp.'));
}
