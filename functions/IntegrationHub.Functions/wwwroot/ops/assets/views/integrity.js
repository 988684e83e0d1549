// Integrity of the three logs: the chains at a glance, the last signed checkpoint, and the verifier's
// answer (intact up to a checkpoint, or each place that does not hold). The copy of the checkpoints
// an auditor keeps is downloaded here.
import { get } from '../api.js';
import { h, replace, table, time, number, badge, empty, problem, facts } from '../dom.js';

export const LOGS = { timeline: 'Dòng thời gian hồ sơ', identity: 'Nhật ký tra cứu danh tính', operator: 'Nhật ký thao tác' };

const PROBLEMS = {
  entryAltered: 'Mục bị sửa', entryMissing: 'Mục bị xoá', linkBroken: 'Đứt liên kết', positionMissing: 'Thiếu vị trí',
  checkpointMismatch: 'Chuỗi bị viết lại', chainShort: 'Chuỗi bị cắt', signatureInvalid: 'Chữ ký sai', unknownKey: 'Khoá lạ',
  checkpointMissing: 'Mất điểm kiểm', checkpointDiffers: 'Điểm kiểm khác bản sao',
};

export async function render(root, _params, _search, { caller }) {
  const status = await get('/api/audit/status');
  const result = h('section', { 'data-testid': 'verification' });
  const auditor = caller.roles.includes('auditor');
  const verify = async () => {
    replace(result, h('p', { class: 'muted' }, 'Đang kiểm tra toàn bộ chuỗi…'));
    try {
      replace(result, ...report(await get('/api/audit/verification')));
    } catch (e) {
      replace(result, problem(e, verify));
    }
  };
  replace(root,
    h('h1', {}, 'Toàn vẹn nhật ký'),
    h('p', { class: 'small muted' }, 'Dòng thời gian hồ sơ, nhật ký tra cứu danh tính và nhật ký thao tác được nối chuỗi băm và ký định kỳ bằng khoá kiểm toán của hub. Mọi sửa, xoá hay đảo thứ tự đều bị phát hiện.'),
    facts([
      ['Điểm kiểm gần nhất', status.lastCheckpoint ? `#${status.lastCheckpoint.number} lúc ${time(status.lastCheckpoint.at)}` : 'chưa có'],
      ['Khoá ký', status.lastCheckpoint ? h('code', {}, status.lastCheckpoint.keyId) : '—'],
      ['Nối chuỗi', status.chaining ? 'đang chạy' : badge('đang tắt', 'warn')],
      ['Hub tự kiểm tra', status.lastVerification ? [status.lastVerification.intact ? badge('nguyên vẹn', 'ok') : badge('bị thay đổi', 'bad'), ` lúc ${time(status.lastVerification.at)}`] : 'chưa chạy'],
    ]),
    table(
      [{ label: 'Nhật ký' }, { label: 'Chuỗi' }, { label: 'Số mục', num: true }, { label: 'Sau điểm kiểm', num: true }, { label: 'Chưa niêm phong', num: true }],
      status.chains.map(c => ({ dataset: { chain: c.chain }, cells: [LOGS[c.chain] ?? c.log, h('code', {}, c.chain), number.format(c.length), number.format(c.afterLastCheckpoint), number.format(c.unsealed)] })),
      { testid: 'chains' }),
    h('p', {},
      auditor ? h('button', { type: 'button', class: 'primary', onclick: verify }, 'Kiểm tra lại') : null, ' ',
      auditor ? h('button', { type: 'button', onclick: download }, 'Tải bản sao các điểm kiểm') : null),
    auditor ? result : h('p', { class: 'muted' }, 'Cần vai trò auditor để kiểm tra và tải bản sao các điểm kiểm.'));
  if (auditor) await verify();
}

function report(r) {
  return [
    h('h2', {}, r.intact ? badge('Nguyên vẹn', 'ok') : badge('Bị thay đổi', 'bad'), ' Kết quả kiểm tra'),
    h('p', { 'data-testid': 'summary' }, r.summary),
    h('p', { class: 'small muted' }, `Kiểm tra lúc ${time(r.verifiedAt)}: ${number.format(r.entries)} mục, ${r.checkpoints} điểm kiểm.`),
    r.findings.length === 0 ? empty('Không có chỗ nào sai lệch.') : table(
      [{ label: 'Nhật ký' }, { label: 'Vị trí', num: true }, { label: 'Vấn đề' }, { label: 'Lẽ ra' }, { label: 'Thực tế' }],
      r.findings.map(f => ({
        dataset: { problem: f.problem },
        cells: [[LOGS[f.chain] ?? f.log, f.chain ? h('div', { class: 'small muted' }, f.chain) : null], number.format(f.position), [PROBLEMS[f.problem] ?? f.problem, h('div', { class: 'small muted' }, f.message)], h('code', { class: 'small' }, f.expected), h('code', { class: 'small' }, f.found)],
      })), { testid: 'findings' }),
  ];
}

async function download() {
  const data = await get('/api/audit/checkpoints');
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const a = h('a', { href: url, download: `integrationhub-checkpoints-${data.checkpoints.at(-1)?.number ?? 0}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
