/**
 * The last middleware: every error becomes a JSON answer with the right status.
 *
 * - HttpError (ours) → its status, code and headers;
 * - FormatError (core's decoders) → its status (400/413/415) and code;
 * - zod errors → 400 `invalid_request` naming the bad fields;
 * - errors carrying an HTTP status (body-parser style `type`/`status`) → that 4xx;
 * - anything else → 500 `internal` with a generic message; logged once, with no headers or body —
 *   or 503 `redis_unavailable` + Retry-After when the Redis connection is down at that moment
 *   (registry and queue reads fail with plain errors then; an outage is not a bug).
 *
 * On the Elasticsearch surface the body is ES-shaped (our code/message kept inside `error`) and
 * "try again later" (503) becomes 429, the code every ES client retries.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { isFormatError } from '@logforest/core';
import { HttpError, errorBody, esErrorBody, redisUnavailable } from '../../http/errors.ts';
import type { IngestMetrics, RejectReason } from '@logforest/runtime';

/** Request-scoped values the error middleware reads from `res.locals`. */
export interface RouteLocals {
  /** `es` for the Elasticsearch surface. */
  surface?: 'api' | 'es';
  /** Metrics surface of event-carrying routes (`ingest`, `bulk`, `analyze`, `retrain`). */
  events?: string;
}

function reasonFor(status: number, code: string): RejectReason {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 413) return 'too_large';
  if (status === 415) return 'unsupported';
  if (code === 'queue_full') return 'backpressure';
  if (status >= 500) return 'unavailable';
  return 'bad_request';
}

/** Normalise anything thrown into an HttpError; undefined = unexpected (a bug). */
export function toHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (isFormatError(err)) return new HttpError(err.status, err.code, err.message);
  if (err instanceof z.ZodError) {
    return new HttpError(400, 'invalid_request', z.prettifyError(err).replaceAll('\n', '; '));
  }
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; expose?: unknown; message?: unknown };
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== undefined && status >= 400 && status < 500) {
    if (e.type === 'entity.too.large') return new HttpError(413, 'body_too_large', 'request body too large');
    if (e.type === 'entity.parse.failed') return new HttpError(400, 'invalid_json', 'request body is not valid JSON');
    const message = e.expose === true && typeof e.message === 'string' ? e.message : 'bad request';
    return new HttpError(status, 'bad_request', message);
  }
  return undefined;
}

export interface ErrorHandlerDeps {
  logger: Logger;
  metrics: IngestMetrics;
  /** Whether the Redis connection is up. An unexpected error while it is not is "Redis down" (503), not a bug. */
  redisReady?: () => boolean;
  /** Retry-After of that 503, in seconds. @defaultValue 5 */
  retryAfterSeconds?: number;
}

export function errorHandler(deps: ErrorHandlerDeps): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const locals = res.locals as RouteLocals;
    let httpError = toHttpError(err);
    if (!httpError) {
      deps.logger.error({ err, method: req.method, path: req.path }, 'unexpected error while handling a request');
      httpError =
        deps.redisReady?.() === false
          ? redisUnavailable(deps.retryAfterSeconds ?? 5, 'not connected')
          : new HttpError(500, 'internal', 'internal server error; the server log has the details');
    }
    let status = httpError.status;
    if (locals.surface === 'es' && status === 503) status = 429;
    if (status < 500) {
      // Refused input is an operator's question ("why does Filebeat get 400?"): say why, without credentials.
      const level = status === 400 || status === 413 || status === 415 || status === 422 ? 'warn' : 'debug';
      deps.logger[level](
        {
          status,
          code: httpError.code,
          method: req.method,
          path: req.path.slice(0, 200),
          contentType: req.headers['content-type'],
          contentEncoding: req.headers['content-encoding'],
          userAgent: req.headers['user-agent'],
        },
        `request refused: ${httpError.message}`,
      );
    } else if (httpError.status === 503) {
      const level = httpError.detail === undefined ? 'debug' : 'warn';
      deps.logger[level]({ status, code: httpError.code, path: req.path.slice(0, 200), detail: httpError.detail }, httpError.message);
    }
    if (locals.events) {
      deps.metrics.requestsRejected.inc({ surface: locals.events, reason: reasonFor(status, httpError.code) });
    }
    for (const [name, value] of Object.entries(httpError.headers)) res.setHeader(name, value);
    res.status(status).json(locals.surface === 'es' ? esErrorBody(status, httpError.code, httpError.message) : errorBody(httpError.code, httpError.message));
  };
}

/** Unknown route: 404 (ES-shaped under the ES surface). */
export function notFound(): RequestHandler {
  return (req, _res, next) => {
    next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path.slice(0, 200)}`));
  };
}
