/**
 * The stack tests' HTTP client: one request with a bearer token, the answer's status and its
 * JSON body (undefined when empty). A body without an explicit type is sent as NDJSON, what
 * `/ingest/:tag` reads.
 */
export interface ApiOptions {
  token: string;
  body?: string;
  /** Content-Type of `body`; `application/x-ndjson` by default. */
  type?: string;
  timeoutMs?: number;
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
}

export async function apiCall<T>(base: string, method: string, path: string, opts: ApiOptions): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${opts.token}` };
  if (opts.body !== undefined) headers['content-type'] = opts.type ?? 'application/x-ndjson';
  const res = await fetch(`${base}${path}`, { method, headers, body: opts.body, signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}
