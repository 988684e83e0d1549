// The operations page: signs the operator in with a pasted bearer token, then routes every path
// under /ops/ to its view. Paths are stable, so a link in an alert e-mail opens the right view.
import { api, token } from './api.js';
import { h, replace, problem } from './dom.js';
import * as overview from './views/overview.js';
import * as deadLetters from './views/dead-letters.js';
import * as deadLetter from './views/dead-letter.js';
import * as replays from './views/replays.js';
import * as dossier from './views/dossier.js';
import * as deadlines from './views/deadlines.js';
import * as connectors from './views/connectors.js';
import * as audit from './views/audit.js';
import * as integrity from './views/integrity.js';

const routes = [
  [/^\/ops\/?$/, overview, 'overview'],
  [/^\/ops\/dead-letters\/?$/, deadLetters, 'dead-letters'],
  [/^\/ops\/dead-letters\/([^/]+)\/([^/]+)\/?$/, deadLetter, 'dead-letters'],
  [/^\/ops\/replays\/?$/, replays, 'replays'],
  [/^\/ops\/replays\/([^/]+)\/?$/, replays, 'replays'],
  [/^\/ops\/dossiers\/?$/, dossier, 'dossiers'],
  [/^\/ops\/dossiers\/([^/]+)\/?$/, dossier, 'dossiers'],
  [/^\/ops\/deadlines\/?$/, deadlines, 'deadlines'],
  [/^\/ops\/connectors\/?$/, connectors, 'connectors'],
  [/^\/ops\/audit\/?$/, audit, 'audit'],
  [/^\/ops\/integrity\/?$/, integrity, 'integrity'],
];

const view = document.getElementById('view');
let cleanup = null;
let caller = null;

export function navigate(path, { replace: replacing = false } = {}) {
  if (replacing) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

async function render() {
  if (cleanup) { cleanup(); cleanup = null; }
  if (!token.get()) { signIn(); return; }
  if (!caller) {
    try {
      caller = await api('/api/me');
    } catch (e) {
      token.clear();
      signIn(e);
      return;
    }
    showCaller();
  }

  const path = location.pathname;
  const match = routes.map(([pattern, module, nav]) => ({ m: path.match(pattern), module, nav })).find(r => r.m);
  document.querySelectorAll('nav a').forEach(a => a.toggleAttribute('aria-current', false));
  if (!match) {
    replace(view, h('h1', {}, 'Không có trang này'), h('p', {}, 'Đường dẫn ', h('code', {}, path), ' không tồn tại. ', h('a', { href: '/ops/', 'data-link': true }, 'Về trang tổng quan')));
    return;
  }

  document.querySelector(`nav a[data-nav="${match.nav}"]`)?.setAttribute('aria-current', 'page');
  if (!caller.roles.includes('ops')) {
    replace(view, problem({ problem: { title: 'Thiếu quyền vận hành', detail: `Mã truy cập của ${caller.name} không có vai trò ops (có: ${caller.roles.join(', ') || 'không'}). Hãy đăng nhập bằng mã truy cập của cán bộ vận hành.` } }));
    if (!caller.roles.includes('auditor') || !['audit', 'integrity'].includes(match.nav)) return;
  }

  const params = match.m.slice(1).map(decodeURIComponent);
  replace(view, h('p', { class: 'muted' }, 'Đang tải…'));
  try {
    cleanup = (await match.module.render(view, params, new URLSearchParams(location.search), { navigate, caller })) ?? null;
  } catch (e) {
    replace(view, problem(e, render));
  }
  view.focus({ preventScroll: true });
}

function showCaller() {
  const who = document.querySelector('[data-testid="signed-in"]');
  who.hidden = false;
  who.querySelector('.who-name').textContent = `${caller.name}${caller.unit ? ` · ${caller.unit}` : ''}`;
  who.title = `${caller.subject} — vai trò: ${caller.roles.join(', ')}`;
}

function signIn(error) {
  caller = null;
  document.querySelector('[data-testid="signed-in"]').hidden = true;
  const input = h('textarea', { id: 'token', 'data-testid': 'token-input', required: true, spellcheck: 'false', autocomplete: 'off', placeholder: 'eyJhbGciOi…' });
  const form = h('form', {
    class: 'panel signin',
    'data-testid': 'sign-in',
    onsubmit: event => {
      event.preventDefault();
      if (!input.value.trim()) return;
      token.set(input.value);
      render();
    },
  },
    h('h1', {}, 'Đăng nhập trang vận hành'),
    h('p', {}, 'Dán mã truy cập (bearer token) có vai trò ', h('code', {}, 'ops'), '. Mã chỉ được giữ trong thẻ trình duyệt này và mất khi đóng thẻ.'),
    h('p', { class: 'muted small' }, 'Trên máy phát triển: ', h('code', {}, './scripts/hub token --role ops --role auditor --subject <tài khoản> --name "<họ tên>"'), '; lệnh ', h('code', {}, './scripts/run'), ' in sẵn một mã.'),
    error ? problem(error) : null,
    h('label', { for: 'token' }, 'Mã truy cập', input),
    h('div', { class: 'toolbar' }, h('button', { type: 'submit', class: 'primary', 'data-testid': 'sign-in-button' }, 'Đăng nhập')));
  replace(view, form);
  input.focus();
}

document.addEventListener('click', event => {
  const a = event.target.closest('a[href]');
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || a.target) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith('/ops')) return;
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});

document.querySelector('[data-action="sign-out"]').addEventListener('click', () => {
  token.clear();
  caller = null;
  render();
});

window.addEventListener('ops:unauthorized', () => {
  token.clear();
  caller = null;
  signIn({ problem: { title: 'Phiên đăng nhập đã hết hạn', detail: 'Hub không còn chấp nhận mã truy cập này; hãy dán mã mới.' } });
});

window.addEventListener('popstate', render);
render();
