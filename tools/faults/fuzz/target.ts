/**
 * The two ways the fuzzer hands a request to ingest:
 *
 * - `startTarget`: the real app (services/ingest createApp, via the test harness) on a real Redis,
 *   listening on 127.0.0.1, with server-side handling time per request and a queue auditor that
 *   takes every score job off the queue and parses it with `scoreJobSchema`;
 * - `createInProcess`: the same route handlers (ingest, es.bulk, analyze) and the same error
 *   middleware called directly with a minimal request/response, the enqueuer writing to an
 *   in-memory queue that JSON round-trips and re-parses every job. No sockets, no Redis.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { parse as parseQuery } from 'node:querystring';
import { pino } from 'pino';
import { scoreJobSchema, type Scorer } from '../../../packages/core/src/index.ts';
import { createMetricsRegistry, ingestMetrics, loadConfig } from '../../../packages/runtime/src/index.ts';
import { ingestEnvSchema, type IngestConfig } from '../../../services/ingest/src/config.ts';
import type { RouteContext } from '../../../services/ingest/src/context.ts';
import { createEnqueuer } from '../../../services/ingest/src/enqueue/enqueuer.ts';
import { HttpError } from '../../../services/ingest/src/http/errors.ts';
import { errorHandler, type RouteLocals } from '../../../services/ingest/src/middleware/errors/errors.ts';
import { analyzeRoutes } from '../../../services/ingest/src/routes/analyze/analyze.ts';
import { esBulkRoutes } from '../../../services/ingest/src/routes/es/bulk.ts';
import { ingestRoutes } from '../../../services/ingest/src/routes/ingest/ingest.ts';
import { keys as keyNames } from '../../../packages/core/src/index.ts';
import { startIngest, storeModel, type Harness } from '../../../services/ingest/src/test-support/harness.ts';
import type { FuzzCase } from './cases.ts';

export const TOKEN = 'fuzz-ingest-token';

/** Ingest settings for the fuzz run (limits kept small enough that bombs stay cheap). */
export const FUZZ_ENV: Record<string, string> = {
  INGEST_TOKENS: TOKEN,
  ADMIN_TOKEN: 'fuzz-admin-token',
  MAX_BODY_BYTES: String(8 << 20),
  MAX_DECOMPRESSED_BYTES: String(16 << 20),
  QUEUE_MAX_WAITING: '1000000000',
  LOG_LEVEL: 'silent',
};

export interface Target {
  h: Harness;
  /** Event-loop delay of the serving thread (ns). */
  loop: IntervalHistogram;
  /** Server-side handling times, ms, one per finished request. */
  times: number[];
  /** Score jobs taken off the queue, and those that did not parse. */
  audit: { jobs: number; malformed: number; examples: string[] };
  /** Take every waiting job off the queue now (validating each). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTarget(redisUrl: string): Promise<Target> {
  const h = await startIngest(FUZZ_ENV, { redisUrl });
  h.models.scorer = await storeModel(h.registry, 'v1');
  // As services/ingest/src/main.ts configures the server (the harness keeps Node's 5 s default).
  h.server.keepAliveTimeout = 65_000;
  h.server.headersTimeout = 66_000;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const times: number[] = [];
  h.server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    const t0 = performance.now();
    res.once('finish', () => times.push(performance.now() - t0));
  });
  const audit = { jobs: 0, malformed: 0, examples: [] as string[] };
  let draining: Promise<void> | undefined;
  async function drainOnce(): Promise<void> {
    for (;;) {
      const jobs = await h.scoreQueue.getWaiting(0, 999);
      if (jobs.length === 0) return;
      for (const job of jobs) {
        audit.jobs++;
        const parsed = scoreJobSchema.safeParse(job.data);
        if (!parsed.success) {
          audit.malformed++;
          if (audit.examples.length < 5) audit.examples.push(`${job.id}: ${parsed.error.message.slice(0, 300)}`);
        }
      }
      await Promise.all(jobs.map((j) => j.remove()));
    }
  }
  const drain = () => (draining ??= drainOnce().finally(() => (draining = undefined)));
  const timer = setInterval(() => void drain().catch(() => undefined), 500);
  return {
    h,
    loop,
    times,
    audit,
    drain,
    async stop() {
      clearInterval(timer);
      loop.disable();
      await draining?.catch(() => undefined);
      await h.close();
    },
  };
}

/** What one in-process request produced. */
export interface InProcessResult {
  status: number;
  body: string;
  contentType: string | undefined;
}

export interface InProcess {
  handle(c: FuzzCase): Promise<InProcessResult>;
  /** Jobs the in-memory queue received (after a JSON round trip), and those that did not parse. */
  audit: { jobs: number; malformed: number };
}

/** The route handlers and error middleware of ingest, without HTTP. */
export function createInProcess(scorer: Scorer): InProcess {
  const config: IngestConfig = loadConfig(ingestEnvSchema, { REDIS_URL: 'redis://127.0.0.1:1', ...FUZZ_ENV });
  const audit = { jobs: 0, malformed: 0 };
  const queue = {
    async addBulk(jobs: { data: unknown }[]) {
      for (const j of jobs) {
        audit.jobs++;
        if (!scoreJobSchema.safeParse(JSON.parse(JSON.stringify(j.data))).success) audit.malformed++;
      }
      return [];
    },
    async getWaitingCount() {
      return 0;
    },
  };
  const registry = createMetricsRegistry({ service: 'ingest', processMetrics: false });
  const metrics = ingestMetrics(registry);
  const logger = pino({ level: 'silent' });
  const enqueuer = createEnqueuer({ queue: queue as never, maxEventsPerJob: config.BATCH_MAX_EVENTS, maxWaiting: config.QUEUE_MAX_WAITING, retryAfterSeconds: 1 });
  const ctx = {
    config, logger, metrics, metricsRegistry: registry, enqueuer, now: Date.now, keys: keyNames(config.LOGFOREST_PREFIX),
    models: { current: () => scorer },
  } as unknown as RouteContext;
  const handlers = { ...ingestRoutes(ctx), ...esBulkRoutes(ctx), ...analyzeRoutes(ctx) };
  const onError = errorHandler({ logger, metrics });

  async function handle(c: FuzzCase): Promise<InProcessResult> {
    const [pathname, search = ''] = c.path.split('?', 2) as [string, string?];
    const out: InProcessResult = { status: 200, body: '', contentType: undefined };
    const locals: RouteLocals = {};
    const res = {
      locals,
      headersSent: false,
      status(code: number) {
        out.status = code;
        return res;
      },
      type(t: string) {
        out.contentType = t;
        return res;
      },
      setHeader(name: string, value: string | number) {
        if (name.toLowerCase() === 'content-type') out.contentType = String(value);
        return res;
      },
      location() {
        return res;
      },
      json(v: unknown) {
        out.contentType ??= 'application/json';
        out.body = JSON.stringify(v);
        return res;
      },
      send(v: string) {
        out.body = v;
        return res;
      },
      // /analyze writes its own JSON bytes (routes/analyze/verdict-json.ts).
      end(v: Buffer | string) {
        out.body = v.toString();
        return res;
      },
    };
    const headers: Record<string, string> = {};
    if (c.contentType !== undefined) headers['content-type'] = c.contentType;
    if (c.contentEncoding !== undefined) headers['content-encoding'] = c.contentEncoding;
    const req = { method: c.method, path: pathname, headers, body: c.body, query: parseQuery(search), params: {} as Record<string, string> };
    try {
      const segs = pathname.split('/');
      // express decodes path parameters; a malformed escape is a 400 there.
      const param = (s: string) => {
        try {
          return decodeURIComponent(s);
        } catch {
          throw Object.assign(new URIError(`Failed to decode param '${s.slice(0, 50)}'`), { status: 400 });
        }
      };
      let name: 'ingest' | 'es.bulk' | 'analyze';
      if (c.route === 'bulk' || c.route === 'bulk-index') {
        name = 'es.bulk';
        locals.surface = 'es';
        locals.events = 'bulk';
        if (c.route === 'bulk-index') req.params['index'] = param(segs[1] ?? '');
      } else if (c.route === 'analyze') {
        name = 'analyze';
        locals.surface = 'api';
        locals.events = 'analyze';
      } else {
        name = 'ingest';
        locals.surface = 'api';
        locals.events = 'ingest';
        if (c.route === 'ingest-tag') req.params['tag'] = param(segs.slice(2).join('/'));
      }
      if (c.body.length > config.MAX_BODY_BYTES) throw new HttpError(413, 'body_too_large', 'request body too large');
      await (handlers[name] as (q: unknown, s: unknown, n: (e?: unknown) => void) => Promise<void>)(req, res, (e?: unknown) => {
        if (e) throw e;
      });
    } catch (err) {
      onError(err, req as never, res as never, () => undefined);
    }
    return out;
  }
  return { handle, audit };
}
