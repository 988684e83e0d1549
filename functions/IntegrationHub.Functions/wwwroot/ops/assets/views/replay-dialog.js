// The replay dialog: why (kept in the audit log), how fast, a dry run that shows what would go where, then the job.
import { post } from '../api.js';
import { h, replace, table, problem, number } from '../dom.js';

/**
 * Opens the dialog for a replay request without its comment ({ queue, messageIds } or { queue, filter });
 * starting it navigates to the job's page.
 */
export function openReplayDialog(request, description, navigate) {
  const comment = h('textarea', { required: true, maxlength: 1000, 'data-testid': 'replay-comment', placeholder: 'Ví dụ: đã bổ sung thủ tục vào danh mục' });
  const rate = h('input', { type: 'number', min: 1, max: 1000, placeholder: 'mặc định của hub', 'data-testid': 'replay-rate' });
  const result = h('div', { 'data-testid': 'replay-result' });
  const body = () => ({ ...request, comment: comment.value.trim(), maxPerSecond: rate.value ? Number(rate.value) : null });
  const needComment = () => {
    if (comment.value.trim()) return false;
    replace(result, problem({ problem: { title: 'Cần lý do', detail: 'Ghi lý do gửi lại: nó được lưu vào nhật ký thao tác.' } }));
    comment.focus();
    return true;
  };
  const dryRun = h('button', {
    type: 'button', 'data-testid': 'replay-dry-run',
    onclick: async () => {
      if (needComment()) return;
      dryRun.disabled = true;
      try {
        const plan = await post('/api/ops/replays', { ...body(), dryRun: true });
        replace(result,
          h('p', { class: 'notice' }, `Chạy thử: ${number.format(plan.count)} thông điệp sẽ được gửi lại. Chưa có gì thay đổi.`),
          table([{ label: 'Mã thông điệp' }, { label: 'Hồ sơ' }, { label: 'Lý do lỗi' }, { label: 'Từ' }, { label: 'Đến' }],
            plan.deadLetters.map(d => ({ cells: [h('code', {}, d.letter.messageId), d.letter.correlationId ?? '—', d.letter.reason ?? '—', h('code', {}, d.from), h('code', {}, d.to)] })),
            { testid: 'replay-plan' }));
      } catch (e) {
        replace(result, problem(e));
      } finally {
        dryRun.disabled = false;
      }
    },
  }, 'Chạy thử');
  const start = h('button', {
    type: 'button', class: 'primary', 'data-testid': 'replay-start',
    onclick: async () => {
      if (needComment()) return;
      start.disabled = true;
      try {
        const job = await post('/api/ops/replays', body());
        dialog.close();
        navigate(`/ops/replays/${encodeURIComponent(job.id)}`);
      } catch (e) {
        replace(result, problem(e));
        start.disabled = false;
      }
    },
  }, 'Bắt đầu gửi lại');
  const dialog = h('dialog', { 'data-testid': 'replay-dialog', onclose: () => dialog.remove() },
    h('h2', {}, 'Gửi lại thông điệp lỗi'),
    h('p', {}, description),
    h('p', { class: 'small muted' }, 'Mỗi thông điệp giữ nguyên mã thông điệp; nơi nhận đã xử lý thông điệp đó rồi thì không xử lý lại. Việc gửi lại chạy nền với tốc độ giới hạn và tiếp tục nếu hub khởi động lại.'),
    h('label', {}, 'Lý do (bắt buộc, lưu vào nhật ký thao tác)', comment),
    h('label', {}, 'Tốc độ tối đa (thông điệp/giây)', rate),
    result,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => dialog.close() }, 'Đóng'), dryRun, start));
  document.body.append(dialog);
  dialog.showModal();
  comment.focus();
}
