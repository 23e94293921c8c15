/**
 * The console's only way out: the public HTTP API of ingest (described by /openapi.json), on the
 * page's own origin. The token lives in this tab's sessionStorage, never in localStorage or a
 * cookie, and goes out as `Authorization: Bearer`.
 */

const TOKEN_KEY = 'logforest.token';

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

/** An API answer that was not 2xx, with the server's `{error: {code, message}}` when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function api<T>(method: 'GET' | 'POST', path: string, body?: string): Promise<T> {
  const headers: Record<string, string> = {};
  const token = getToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'network', 'the ingest service does not answer');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `${method} ${path} answered ${res.status}`);
  }
  return json as T;
}

/** What a token grants, found by asking (no route tells it directly). */
export type Grant = 'admin' | 'ingest' | 'open';

/**
 * `GET /models` needs an ingest token; `GET /retrain/<no such id>` needs the admin token and then
 * answers 404 (403 for an ingest-only token). An open deployment answers both without a token.
 */
export async function probeGrant(): Promise<Grant> {
  await api('GET', '/models');
  try {
    await api('GET', '/retrain/console-probe');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return getToken() ? 'admin' : 'open';
    if (err instanceof ApiError && (err.status === 403 || err.status === 401)) return 'ingest';
    throw err;
  }
  return 'admin';
}

// The shapes of the answers (the fields the console reads) are in wire.ts.
export type * from './wire.ts';
