// Replay jobs: the latest ones, and one job's progress (live while it runs), with a way to stop it.
import { get, post } from '../api.js';
import { h, replace, table, time, ago, facts, badge, problem, empty, number, link, deadLetterPath, dossierPath } from '../dom.js';

const STATUS = { running: ['Đang chạy', 'warn'], completed: ['Hoàn tất', 'ok'], cancelled: ['Đã dừng', 'bad'] };
const ITEM = { pending: ['Chờ', ''], replayed: ['Đã gửi lại', 'ok'], notFound: ['Không còn trong hàng lỗi', 'warn'], failed: ['Lỗi', 'bad'] };

function statusBadge(map, value) {
  const [text, kind] = map[value] ?? [value, ''];
  return badge(text, kind);
}

export async function render(root, [id]) {
  return id ? job(root, id) : list(root);
}

async function list(root) {
  const data = await get('/api/ops/replays?limit=50');
  replace(root,
    h('h1', {}, 'Các lượt gửi lại'),
    data.jobs.length === 0 ? empty('Chưa có lượt gửi lại nào. Chọn thông điệp ở trang Thông điệp lỗi để gửi lại.') : table(
      [{ label: 'Lượt' }, { label: 'Hàng đợi' }, { label: 'Trạng thái' }, { label: 'Đã gửi lại', num: true }, { label: 'Người thực hiện' }, { label: 'Bắt đầu' }, { label: 'Lý do' }],
      data.jobs.map(j => ({
        cells: [link(`/ops/replays/${encodeURIComponent(j.id)}`, h('code', {}, j.id)), h('code', {}, j.queue), statusBadge(STATUS, j.status), `${number.format(j.replayed)}/${number.format(j.total)}`, j.actorName, `${time(j.createdAt)} (${ago(j.createdAt)})`, j.comment],
      })), { testid: 'jobs' }));
}

async function job(root, id) {
  let timer = null;
  let stopped = false;
  const message = h('div');
  const draw = async () => {
    let data;
    try {
      data = await get(`/api/ops/replays/${encodeURIComponent(id)}?limit=1000`);
    } catch (e) {
      if (!stopped) replace(root, h('h1', {}, 'Lượt gửi lại'), problem(e, draw));
      return;
    }
    if (stopped) return;
    const j = data.job;
    const done = j.replayed + j.notFound + j.failed;
    replace(root,
      h('h1', {}, 'Lượt gửi lại ', h('code', {}, j.id)),
      h('section', { class: 'panel', 'data-testid': 'job' },
        h('p', {}, h('span', { 'data-testid': 'job-status', 'data-status': j.status }, statusBadge(STATUS, j.status)), ' ',
          h('strong', { 'data-testid': 'job-progress' }, `${number.format(done)}/${number.format(j.total)}`), ' đã xử lý · ',
          `${number.format(j.replayed)} đã gửi lại`, j.notFound ? ` · ${number.format(j.notFound)} không còn trong hàng lỗi` : '', j.failed ? ` · ${number.format(j.failed)} lỗi` : ''),
        h('progress', { max: Math.max(1, j.total), value: done }),
        facts([
          ['Hàng đợi', h('code', {}, j.queue)],
          ['Người thực hiện', `${j.actorName} (${j.actor})`],
          ['Lý do', j.comment],
          ['Tốc độ tối đa', `${j.maxPerSecond} thông điệp/giây`],
          ['Bắt đầu', time(j.createdAt)],
          j.finishedAt ? ['Kết thúc', time(j.finishedAt)] : null,
          j.cancelledBy ? ['Người dừng', j.cancelledBy] : null,
          ['Lựa chọn', h('code', {}, JSON.stringify(j.selection))],
        ]),
        j.status === 'running' ? h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'danger', 'data-testid': 'job-cancel', onclick: () => cancel(j, message, draw) }, 'Dừng lượt gửi lại')) : null,
        message),
      h('h2', {}, 'Từng thông điệp'),
      table([{ label: '#', num: true }, { label: 'Mã thông điệp' }, { label: 'Hồ sơ' }, { label: 'Lý do lỗi' }, { label: 'Kết quả' }, { label: 'Lúc' }],
        data.items.map(i => ({
          dataset: { messageId: i.messageId, state: i.state },
          cells: [i.position + 1, i.state === 'pending' ? link(deadLetterPath(j.queue, i.messageId), i.messageId) : h('code', {}, i.messageId),
            i.correlationId ? link(dossierPath(i.correlationId), i.correlationId) : '—', i.reason ?? '—', [statusBadge(ITEM, i.state), i.error ? h('div', { class: 'small' }, i.error) : null], time(i.triedAt)],
        })), { testid: 'job-items' }));
    clearTimeout(timer);
    if (j.status === 'running') timer = setTimeout(draw, 1000);
  };
  await draw();
  return () => { stopped = true; clearTimeout(timer); };
}

async function cancel(job, message, redraw) {
  const comment = h('textarea', { required: true, 'data-testid': 'cancel-comment' });
  const result = h('div');
  const dialog = h('dialog', { onclose: () => dialog.remove() },
    h('h2', {}, 'Dừng lượt gửi lại'),
    h('p', {}, 'Các thông điệp chưa gửi lại vẫn ở trong hàng lỗi.'),
    h('label', {}, 'Lý do (bắt buộc)', comment),
    result,
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => dialog.close() }, 'Đóng'),
      h('button', {
        type: 'button', class: 'danger', 'data-testid': 'cancel-confirm',
        onclick: async () => {
          if (!comment.value.trim()) { comment.focus(); return; }
          try {
            await post(`/api/ops/replays/${encodeURIComponent(job.id)}/cancel`, { comment: comment.value.trim() });
            dialog.close();
            replace(message, h('div', { class: 'notice' }, 'Đã dừng.'));
            redraw();
          } catch (e) {
            replace(result, problem(e));
          }
        },
      }, 'Dừng')));
  document.body.append(dialog);
  dialog.showModal();
  comment.focus();
}
