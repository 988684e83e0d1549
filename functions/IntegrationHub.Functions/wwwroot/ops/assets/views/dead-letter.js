// One dead letter (the target of an alert's deep link): what it is, why it failed, its dossier's
// timeline, what operators did with it; replay it as it is, or correct its body and replay it.
import { get, post, query } from '../api.js';
import { h, replace, table, time, ago, facts, badge, problem, empty, link, dossierPath } from '../dom.js';
import { openReplayDialog } from './replay-dialog.js';
import { timeline, STAGE } from './dossier.js';
import { auditTable } from './audit.js';

export async function render(root, [queue, messageId], _search, { navigate }) {
  let data;
  try {
    data = await get(`/api/ops/dead-letters/${encodeURIComponent(queue)}/${encodeURIComponent(messageId)}`);
  } catch (e) {
    if (e.status !== 404) throw e;
    const history = await get(`/api/ops/audit${query({ messageId })}`);
    replace(root,
      h('h1', {}, 'Thông điệp ', h('code', {}, messageId)),
      h('div', { class: 'notice', 'data-testid': 'gone' }, `Thông điệp này không còn trong hàng lỗi của ${queue}: có thể đã được gửi lại hoặc sửa rồi gửi lại.`),
      h('h2', {}, 'Thao tác đã làm với thông điệp này'),
      history.entries.length ? auditTable(history.entries) : empty('Chưa có thao tác nào được ghi cho thông điệp này.'));
    return;
  }

  const l = data.deadLetter;
  const editor = h('div');
  replace(root,
    h('h1', {}, 'Thông điệp lỗi ', h('code', { 'data-testid': 'message-id' }, l.messageId)),
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'primary', 'data-testid': 'replay-one', onclick: () => openReplayDialog({ queue: l.queue, messageIds: [l.messageId] }, `Thông điệp ${l.messageId} trở lại hàng đợi ${data.replayTo}.`, navigate) }, 'Gửi lại'),
      data.body ? h('button', { type: 'button', 'data-testid': 'edit-open', onclick: () => openEditor(editor, l, data) }, 'Sửa rồi gửi lại') : null,
      h('span', { class: 'small muted' }, 'Đường dẫn cố định: ', h('code', {}, location.pathname))),
    h('div', { class: 'grid2' },
      h('section', { class: 'panel' },
        facts([
          ['Hàng đợi', h('code', {}, l.queue)],
          ['Hồ sơ', l.correlationId ? link(dossierPath(l.correlationId), l.correlationId) : '—'],
          ['Loại thông điệp', l.subject],
          ['Lý do', badge(l.reason ?? '—', 'bad')],
          ['Mô tả', h('span', { 'data-testid': 'description' }, l.description ?? '—')],
          l.exceptionType ? ['Ngoại lệ', h('code', {}, l.exceptionType)] : null,
          ['Số lần giao', String(l.deliveryCount)],
          ['Vào hàng đợi lúc', time(l.enqueuedAt)],
          ['Chuyển vào lỗi lúc', h('span', { 'data-testid': 'dead-lettered-at' }, `${time(l.deadLetteredAt)} (${ago(l.deadLetteredAt)})`)],
          ['Gửi lại vào', h('code', {}, data.replayTo)],
          data.traceId ? ['Mã vết (trace)', h('code', {}, data.traceId)] : null,
        ])),
      h('section', { class: 'panel' },
        h('h2', {}, 'Hồ sơ'),
        data.dossier
          ? facts([['Mã hồ sơ Cổng', link(dossierPath(data.dossier.portalCode), data.dossier.portalCode)], ['Mã hồ sơ thành phố', data.dossier.cityCode], ['Thủ tục', data.dossier.procedureCode], ['Giai đoạn', badge(...(STAGE[data.dossier.stage] ?? [data.dossier.stage, '']))], ['Đơn vị', data.dossier.departmentCode]])
          : h('p', { class: 'muted' }, 'Hub không có hồ sơ nào cho thông điệp này (ví dụ: dữ liệu từ Cổng không đọc được).'))),
    editor,
    h('h2', {}, 'Nội dung'),
    h('pre', { 'data-testid': 'body' }, data.body ? JSON.stringify(data.body, null, 2) : data.bodyText),
    Object.keys(data.properties).length ? [h('h2', {}, 'Thuộc tính'), table([{ label: 'Tên' }, { label: 'Giá trị' }], Object.entries(data.properties).map(([k, v]) => ({ cells: [h('code', {}, k), h('code', {}, v)] })))] : null,
    data.timeline.length ? [h('h2', {}, 'Tiến trình hồ sơ'), timeline(data.timeline)] : null,
    h('h2', {}, 'Thao tác đã làm với thông điệp này'),
    data.history.length ? auditTable(data.history) : empty('Chưa có thao tác nào.'));
}

function openEditor(container, letter, data) {
  const json = h('textarea', { class: 'json', spellcheck: 'false', 'data-testid': 'edit-body' });
  json.value = JSON.stringify(data.body, null, 2);
  const comment = h('textarea', { required: true, maxlength: 1000, 'data-testid': 'edit-comment', placeholder: 'Vì sao sửa, ai xác nhận' });
  const result = h('div');
  const send = async dryRun => {
    let body;
    try {
      body = JSON.parse(json.value);
    } catch (e) {
      replace(result, problem({ problem: { title: 'Nội dung không phải JSON', detail: e.message } }));
      return;
    }
    if (!comment.value.trim()) {
      replace(result, problem({ problem: { title: 'Cần lý do', detail: 'Ghi lý do sửa: nó được lưu vào nhật ký thao tác cùng các thay đổi.' } }));
      return;
    }
    try {
      const outcome = await post(`/api/ops/dead-letters/${encodeURIComponent(letter.queue)}/${encodeURIComponent(letter.messageId)}/edit`, { body, comment: comment.value.trim(), dryRun });
      replace(result,
        h('div', { class: 'notice' }, dryRun ? `Xem trước: ${outcome.changes.length} trường thay đổi; chưa gửi lại.` : `Đã sửa và gửi lại vào hàng đợi ${outcome.queue}.`),
        table([{ label: 'Trường' }, { label: 'Trước' }, { label: 'Sau' }], outcome.changes.map(c => ({ cells: [h('code', {}, c.path), h('code', {}, c.before === undefined ? '(không có)' : JSON.stringify(c.before)), h('code', {}, c.after === undefined ? '(bỏ)' : JSON.stringify(c.after))] }))),
        dryRun ? null : h('p', {}, h('a', { href: location.pathname, 'data-link': true }, 'Tải lại trang')));
    } catch (e) {
      replace(result, problem(e));
    }
  };
  replace(container, h('section', { class: 'panel', 'data-testid': 'editor' },
    h('h2', {}, 'Sửa nội dung rồi gửi lại'),
    h('p', { class: 'small muted' }, 'Thông điệp giữ mã cũ. Nội dung mới phải đúng hợp đồng của loại thông điệp; từng trường thay đổi (trước và sau) và người sửa được ghi vào nhật ký thao tác.'),
    h('label', {}, 'Nội dung (JSON)', json),
    h('label', {}, 'Lý do (bắt buộc)', comment),
    result,
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', 'data-testid': 'edit-preview', onclick: () => send(true) }, 'Xem thay đổi'),
      h('button', { type: 'button', class: 'primary', 'data-testid': 'edit-replay', onclick: () => send(false) }, 'Sửa và gửi lại'),
      h('button', { type: 'button', onclick: () => replace(container) }, 'Huỷ'))));
  json.focus();
}
