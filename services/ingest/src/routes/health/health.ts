/**
 * Probes and metrics: `GET /healthz` (the process answers), `GET /readyz` (Redis answers a PING
 * and a model is in service → 200; otherwise 503 with the reasons), `GET /metrics` (Prometheus).
 */
import type { RequestHandler } from 'express';
import type { RouteContext } from '../../context.ts';
import { withTimeout } from '../../enqueue/enqueuer.ts';

/** Longest wait for the readiness PING, in ms. */
const PING_TIMEOUT_MS = 1000;

export function healthRoutes(ctx: RouteContext) {
  const startedAt = ctx.now();

  const healthz: RequestHandler = (_req, res) => {
    res.json({ status: 'ok', uptime_seconds: Math.round((ctx.now() - startedAt) / 1000) });
  };

  const readyz: RequestHandler = async (_req, res) => {
    const reasons: string[] = [];
    let redis = 'ok';
    try {
      await withTimeout(ctx.redis.ping(), PING_TIMEOUT_MS);
    } catch (err) {
      redis = 'unavailable';
      reasons.push('Redis does not answer'); // the driver's text goes to the log only
      ctx.logger.warn({ detail: (err as Error).message }, 'readyz: Redis does not answer');
    }
    const model = ctx.models.current()?.version;
    if (!model) reasons.push('no model is active yet');
    const checks = { redis, model: model ?? null };
    if (reasons.length === 0) {
      res.json({ status: 'ready', checks });
      return;
    }
    res.status(503).json({ status: 'not_ready', reasons, checks, error: { code: 'not_ready', message: reasons.join('; ') } });
  };

  const metrics: RequestHandler = async (_req, res) => {
    res.type(ctx.metricsRegistry.contentType).send(await ctx.metricsRegistry.metrics());
  };

  return { healthz, readyz, metrics } as const;
}
