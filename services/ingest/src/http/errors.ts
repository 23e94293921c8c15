/**
 * HTTP errors as values: routes and middleware throw (or pass to `next`) an HttpError; the error
 * middleware turns it into `{"error":{"code","message"}}` — or the Elasticsearch error shape on
 * that surface — with the status and headers it carries.
 */

export class HttpError extends Error {
  constructor(
    /** HTTP status (4xx/5xx). */
    readonly status: number,
    /** Stable machine-readable reason, e.g. `queue_full`. */
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. Retry-After or WWW-Authenticate. */
    readonly headers: Readonly<Record<string, string>> = {},
    /** Server-side detail for the log (e.g. the Redis driver's message); never sent to the client. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** 503 (429 on the ES surface) with Retry-After: the queue is over its waiting limit. */
export function backpressure(retryAfterSeconds: number, waiting: number, limit: number): HttpError {
  return new HttpError(503, 'queue_full', `the score queue holds ${waiting} waiting batches (limit ${limit}); retry later`, {
    'Retry-After': String(retryAfterSeconds),
  });
}

/** 503 with Retry-After: Redis did not accept the work. */
export function redisUnavailable(retryAfterSeconds: number, what: string, cause?: unknown): HttpError {
  return new HttpError(
    503,
    'redis_unavailable',
    `Redis is unavailable (${what}); nothing was accepted, retry later`,
    { 'Retry-After': String(retryAfterSeconds) },
    cause === undefined ? undefined : cause instanceof Error ? cause.message : String(cause),
  );
}

/** 503 with Retry-After: the jobs reached the master but fewer replicas than required confirmed them. */
export function notReplicated(retryAfterSeconds: number, acked: number, required: number, timeoutMs: number): HttpError {
  return new HttpError(
    503,
    'not_replicated',
    `Redis replicated the batch to ${acked} of ${required} required replicas within ${timeoutMs} ms; retry later`,
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

/** Body of an error answer on our own API. */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** ES error type names for our codes (what Elasticsearch clients log). */
const ES_TYPES: Record<number, string> = {
  400: 'parse_exception',
  401: 'security_exception',
  403: 'security_exception',
  404: 'resource_not_found_exception',
  405: 'illegal_argument_exception',
  413: 'content_too_long_exception',
  415: 'media_type_header_exception',
  429: 'es_rejected_execution_exception',
  503: 'unavailable_shards_exception',
};

/**
 * Elasticsearch's error shape (`{"error":{"root_cause":[…],"type","reason"},"status"}`), with our
 * `code`/`message` kept inside `error` so one parser reads both surfaces.
 */
export function esErrorBody(status: number, code: string, message: string): Record<string, unknown> {
  const type = ES_TYPES[status] ?? 'exception';
  return { error: { root_cause: [{ type, reason: message }], type, reason: message, code, message }, status };
}
