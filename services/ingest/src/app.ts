/**
 * `createApp(deps)`: the ingest HTTP application, built from the route table (routes.ts).
 *
 * Per route, in order: route locals (+ `X-Elastic-Product` on the ES surface), request metrics,
 * authentication for the route's credential, the raw body reader when the route takes a body,
 * then the handler. Our own paths are reserved (405 for other methods) before the ES surface is
 * mounted, so an ES catch-all like `/:index` never shadows them. A path no route answers is a
 * 404 — after the same token check as a known route, so a caller without a valid token gets the
 * same 401 for every path and cannot probe which ones exist. Errors end in one middleware.
 */
import express, { Router, type RequestHandler } from 'express';
import { keys as keyNames } from '@logforest/core';
import { waitForReplicas } from '@logforest/runtime';
import type { AppDeps, RouteContext } from './context.ts';
import { createEnqueuer } from './enqueue/enqueuer.ts';
import { HttpError } from './http/errors.ts';
import { createAuth, type Authenticator } from './middleware/auth/auth.ts';
import { errorHandler, notFound, type RouteLocals } from './middleware/errors/errors.ts';
import { rawBody } from './middleware/raw-body/raw-body.ts';
import { requestMetrics } from './middleware/request-metrics/request-metrics.ts';
import { ROUTES, type RouteName, type RouteSpec } from './routes.ts';
import { analyzeRoutes } from './routes/analyze/analyze.ts';
import { anomaliesRoutes } from './routes/anomalies/anomalies.ts';
import { esBulkRoutes } from './routes/es/bulk.ts';
import { esInfoRoutes } from './routes/es/info.ts';
import { healthRoutes } from './routes/health/health.ts';
import { ingestRoutes } from './routes/ingest/ingest.ts';
import { modelRoutes } from './routes/models/models.ts';
import { retrainRoutes } from './routes/retrain/retrain.ts';
import { openApiRoutes } from './routes/openapi/openapi.ts';
import { createThroughputSampler, type ThroughputSampler } from './routes/stats/sampler.ts';
import { statsRoutes } from './routes/stats/throughput.ts';
import { uiRoutes } from './routes/ui/ui.ts';

export interface App {
  /** The express application (pass to `http.createServer` or call `.listen`). */
  handler: express.Express;
  auth: Authenticator;
  context: RouteContext;
  throughput: ThroughputSampler;
  /** Stops the app's timers (the throughput sampler). */
  close(): void;
}

function routeLocals(spec: RouteSpec): RequestHandler {
  return (_req, res, next) => {
    const locals = res.locals as RouteLocals;
    locals.surface = spec.surface;
    if (spec.events) locals.events = spec.events;
    if (spec.surface === 'es') res.setHeader('X-Elastic-Product', 'Elasticsearch');
    next();
  };
}

export function createApp(deps: AppDeps): App {
  const { config } = deps;
  const now = deps.now ?? Date.now;
  const enqueuer = createEnqueuer({
    queue: deps.scoreQueue,
    maxEventsPerJob: config.BATCH_MAX_EVENTS,
    format: config.SCORE_JOB_FORMAT,
    maxWaiting: config.QUEUE_MAX_WAITING,
    depthCacheMs: config.QUEUE_DEPTH_CACHE_MS,
    timeoutMs: config.REDIS_TIMEOUT_MS,
    retryAfterSeconds: config.RETRY_AFTER_SECONDS,
    attempts: config.JOB_ATTEMPTS,
    backoffMs: config.JOB_BACKOFF_MS,
    keepCompleted: config.KEEP_COMPLETED_JOBS,
    keepFailed: config.KEEP_FAILED_JOBS,
    now,
    replicate: {
      replicas: config.REDIS_WAIT_REPLICAS,
      timeoutMs: config.REDIS_WAIT_TIMEOUT_MS,
      // WAIT on the queue's own connection, pinned to the master of the queue's slot.
      wait: (replicas, ms) => waitForReplicas(deps.redis, `${config.LOGFOREST_PREFIX}:${deps.scoreQueue.name}:id`, replicas, ms),
    },
  });
  const ctx: RouteContext = { ...deps, now, enqueuer, keys: keyNames(config.LOGFOREST_PREFIX) };
  const throughput = createThroughputSampler({
    redis: deps.redis,
    scoreQueue: deps.scoreQueue,
    totalsKey: ctx.keys.totals,
    enqueued: deps.metrics.eventsEnqueued,
    intervalMs: config.THROUGHPUT_SAMPLE_MS,
    now,
    onError: (err) => deps.logger.debug({ detail: err.message }, 'throughput sample skipped'),
  });
  const auth = createAuth({ ingestTokens: config.INGEST_TOKENS, adminToken: config.ADMIN_TOKEN });

  const handlers: Record<RouteName, RequestHandler> = {
    ...ingestRoutes(ctx),
    ...analyzeRoutes(ctx),
    ...retrainRoutes(ctx),
    ...modelRoutes(ctx),
    ...anomaliesRoutes(ctx),
    ...healthRoutes(ctx),
    ...esInfoRoutes(ctx),
    ...esBulkRoutes(ctx),
    ...statsRoutes(throughput),
    ...openApiRoutes(ctx),
    ...uiRoutes(ctx),
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  const body = rawBody({ limitBytes: config.MAX_BODY_BYTES });
  const es = Router();
  const esLocals: RequestHandler = (_req, res, next) => {
    (res.locals as RouteLocals).surface = 'es';
    res.setHeader('X-Elastic-Product', 'Elasticsearch');
    next();
  };

  const ownPaths = new Map<string, Set<string>>();
  /** Own paths some route of which is open (`none`): their 405 needs no token. */
  const openPaths = new Set<string>();
  for (const spec of ROUTES as readonly RouteSpec[]) {
    const chain = [
      routeLocals(spec),
      requestMetrics(deps.metrics.requestDuration, spec.name),
      auth.require(spec.credential, spec.surface),
      ...(spec.body ? [body] : []),
      handlers[spec.name as RouteName],
    ];
    const target = spec.surface === 'es' ? es : app;
    for (const method of spec.methods) {
      const paths = [...spec.paths];
      if (method === 'GET') target.get(paths, ...chain);
      else if (method === 'HEAD') target.head(paths, ...chain);
      else if (method === 'POST') target.post(paths, ...chain);
      else if (method === 'PUT') target.put(paths, ...chain);
      else target.delete(paths, ...chain);
      if (spec.surface === 'api') {
        for (const p of paths) {
          ownPaths.set(p, new Set([...(ownPaths.get(p) ?? []), method]));
          if (spec.credential === 'none') openPaths.add(p);
        }
      }
    }
  }
  for (const [path, methods] of ownPaths) {
    const allow = [...methods, ...(methods.has('GET') ? ['HEAD'] : [])].join(', ');
    const gate: RequestHandler[] = openPaths.has(path) ? [] : [auth.require('ingest', 'api')];
    app.all(path, ...gate, (req, res, next) => {
      res.setHeader('Allow', allow);
      next(new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${path}; use ${allow}`));
    });
  }
  es.use(esLocals, auth.require('ingest', 'es'), notFound());
  app.use(config.ES_PATH_PREFIX ?? '/', es);
  app.use(auth.require('ingest', 'api'), notFound());
  app.use(errorHandler({ logger: deps.logger, metrics: deps.metrics, redisReady: () => deps.redis.status === 'ready', retryAfterSeconds: config.RETRY_AFTER_SECONDS }));
  return { handler: app, auth, context: ctx, throughput, close: () => throughput.stop() };
}
