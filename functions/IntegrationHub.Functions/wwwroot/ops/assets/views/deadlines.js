// The deadlines board: overdue, due today, near due (working time), and paused for supplementary documents.
import { get } from '../api.js';
import { h, replace, table, time, ago, number, empty, link, dossierPath, badge } from '../dom.js';
import { STATUS } from './dossier.js';

export async function render(root) {
  const b = await get('/api/ops/deadlines?limit=500');
  const section = (title, testid, rows, when, note) => [
    h('h2', { id: testid }, `${title} (${number.format(rows.length)})`),
    note ? h('p', { class: 'small muted' }, note) : null,
    rows.length === 0 ? empty('Không có hồ sơ nào.') : table(
      [{ label: 'Hồ sơ' }, { label: 'Mã thành phố' }, { label: 'Thủ tục' }, { label: 'Đơn vị' }, { label: 'Trạng thái' }, { label: when.label }],
      rows.map(d => ({ cells: [link(dossierPath(d.portalCode), d.portalCode), d.cityCode ?? '—', d.procedureCode, d.departmentCode ?? '—', d.status ? badge(STATUS[d.status] ?? d.status) : '—', when.value(d)] })),
      { testid }),
  ];
  replace(root,
    h('span', { class: 'updated' }, `Lúc ${time(b.now)}`),
    h('h1', {}, 'Hạn xử lý'),
    h('div', { class: 'cards' },
      h('a', { class: `card ${b.overdue.length ? 'bad' : 'ok'}`, href: '#overdue' }, h('div', { class: 'value' }, number.format(b.overdue.length)), h('div', { class: 'label' }, 'quá hạn')),
      h('a', { class: `card ${b.dueToday.length ? 'warn' : ''}`, href: '#due-today' }, h('div', { class: 'value' }, number.format(b.dueToday.length)), h('div', { class: 'label' }, 'đến hạn hôm nay')),
      h('a', { class: 'card', href: '#near-due' }, h('div', { class: 'value' }, number.format(b.nearDue.length)), h('div', { class: 'label' }, 'sắp đến hạn')),
      h('a', { class: 'card', href: '#paused' }, h('div', { class: 'value' }, number.format(b.paused.length)), h('div', { class: 'label' }, 'tạm dừng chờ bổ sung'))),
    b.truncated ? h('p', { class: 'small muted' }, 'Chỉ hiện 500 hồ sơ đầu của mỗi nhóm.') : null,
    section('Quá hạn', 'overdue', b.overdue, { label: 'Hạn', value: d => `${time(d.dueAt)} (${ago(d.dueAt)})` }),
    section('Đến hạn hôm nay', 'due-today', b.dueToday, { label: 'Hạn', value: d => `${time(d.dueAt)} (${ago(d.dueAt)})` }, 'Hạn trước nửa đêm hôm nay, giờ Hà Nội.'),
    section('Sắp đến hạn', 'near-due', b.nearDue, { label: 'Hạn', value: d => time(d.dueAt) }, 'Còn ít hơn một ngày làm việc.'),
    section('Tạm dừng chờ bổ sung', 'paused', b.paused, { label: 'Tạm dừng từ', value: d => `${time(d.pausedAt)} (${ago(d.pausedAt)})` }, 'Đồng hồ dừng khi đơn vị yêu cầu bổ sung giấy tờ; hạn được lùi tương ứng khi xử lý tiếp.'));
}
