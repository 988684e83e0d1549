// The operations API with the operator's bearer token, kept for this tab only (sessionStorage).

const KEY = 'integrationhub.ops.token';

export class ApiError extends Error {
  constructor(status, problem, message) {
    super(message ?? problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: value => sessionStorage.setItem(KEY, value.trim().replace(/^Bearer\s+/i, '')),
  clear: () => sessionStorage.removeItem(KEY),
};

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  const bearer = token.get();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, null, `Không kết nối được tới hub (${e.message}).`);
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    if (response.status === 401) window.dispatchEvent(new CustomEvent('ops:unauthorized', { detail: json }));
    throw new ApiError(response.status, json, json?.detail ?? `HTTP ${response.status}`);
  }
  return json;
}

export const get = path => api(path);
export const post = (path, body) => api(path, { method: 'POST', body });

export function query(params) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, v);
  const s = search.toString();
  return s ? `?${s}` : '';
}
