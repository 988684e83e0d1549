// Connector health: the circuit of each national and sector system, and the hub's readiness.
import { get } from '../api.js';
import { h, replace, table, time, ago, badge, problem } from '../dom.js';

const STATES = {
  closed: ['Bình thường', 'ok'],
  open: ['Ngắt mạch', 'bad'],
  halfOpen: ['Đang thử lại', 'warn'],
  isolated: ['Cách ly', 'bad'],
};

const SYSTEMS = {
  portal: 'Cổng Dịch vụ công quốc gia',
  population: 'CSDL quốc gia về dân cư',
  land: 'Hệ thống đất đai (VPĐKĐĐ)',
  business: 'Hệ thống đăng ký kinh doanh',
};

export function circuitBadge(state) {
  const [text, kind] = STATES[state] ?? [state, ''];
  return badge(text, kind);
}

export async function render(root) {
  let timer = null;
  let stopped = false;
  const draw = async () => {
    try {
      const [circuits, ready] = await Promise.all([get('/api/ops/connectors'), fetch('/health/ready', { cache: 'no-store' }).then(r => r.json())]);
      if (stopped) return;
      replace(root,
        h('span', { class: 'updated' }, `Cập nhật ${time(new Date().toISOString())}`),
        h('h1', {}, 'Kết nối'),
        table(
          [{ label: 'Hệ thống' }, { label: 'Trạng thái' }, { label: 'Từ lúc' }, { label: 'Lỗi gần nhất' }, { label: 'Đang gọi', num: true }, { label: 'Đang chờ', num: true }],
          circuits.connectors.map(c => ({
            dataset: { system: c.system },
            cells: [h('span', {}, SYSTEMS[c.system] ?? c.system, ' ', h('code', { class: 'muted' }, c.system)), circuitBadge(c.state), c.since ? `${time(c.since)} (${ago(c.since)})` : 'từ khi khởi động', c.lastFailure ?? '—', c.inFlight, c.queued],
          })), { testid: 'circuits' }),
        h('h2', {}, 'Sẵn sàng'),
        h('p', { 'data-testid': 'readiness' }, badge(ready.status === 'ready' ? 'Sẵn sàng' : 'Chưa sẵn sàng', ready.status === 'ready' ? 'ok' : 'bad'), ' ',
          Object.entries(ready.checks).map(([name, c]) => [badge(`${name}: ${c.ready ? 'ổn' : 'lỗi'}`, c.ready ? 'ok' : 'bad'), c.detail ? ` ${c.detail} ` : ' '])),
        h('p', { class: 'small muted' }, 'Ngắt mạch: hub tạm ngừng gọi hệ thống đó sau nhiều lỗi liên tiếp; các thông điệp cần hệ thống đó được thử lại sau, không bị mất.'));
    } catch (e) {
      if (!stopped) replace(root, h('h1', {}, 'Kết nối'), problem(e, draw));
    }
    if (!stopped) timer = setTimeout(draw, 10000);
  };
  await draw();
  return () => { stopped = true; clearTimeout(timer); };
}
