/**
 * `POST /analyze` — the seed's endpoint: score the posted lines now with the model in service
 * (no queue) and answer the verdicts.
 *
 * Body: `{"logs": ["line", …]}`, `{"log": "line"}`, or any body `/ingest` accepts.
 * Query (all optional):
 * - `explain` = `anomalies` (default: explanations on anomalous verdicts) | `all` | `none`;
 * - `envelope` = `true` to answer `{"model_version", "verdicts": […]}` instead of the bare array.
 *
 * Answer (default, the seed's shape): a JSON array with one verdict per event (stack-trace lines
 * are joined to their event), each `{timestamp, log, anomaly_score, is_anomaly, threshold,
 * model_version, host?, source?, template?, explanation?}`; header `X-Model-Version`.
 * No model active yet → 503 `no_model` + Retry-After, the message saying how to get one (post at
 * least TRAIN_MIN_EVENTS lines to /retrain, or lower TRAIN_MIN_EVENTS). More than ANALYZE_MAX_LINES events → 413.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { retrainHint, zoneOffsetMs } from '@logforest/core';
import type { RouteContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';
import { decodeRecords, requestBody } from '../decode.ts';
import { JsonWriter, verdictsJson } from './verdict-json.ts';

export const analyzeQuerySchema = z.object({
  /** Which verdicts carry an explanation. @defaultValue `anomalies` */
  explain: z.enum(['anomalies', 'all', 'none']).default('anomalies'),
  /** Wrap the verdicts as `{model_version, verdicts}`. @defaultValue false */
  envelope: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
});

export function analyzeRoutes(ctx: RouteContext): { analyze: RequestHandler } {
  const writer = new JsonWriter(); // one per process: answers are built synchronously (small ones copied out, big ones take its buffer)
  const analyze: RequestHandler = async (req, res) => {
    const receivedAt = ctx.now();
    const query = analyzeQuerySchema.parse(req.query);
    const scorer = ctx.models.current();
    if (!scorer) {
      const hint = `no model is active yet: ${retrainHint(ctx.config.TRAIN_MIN_EVENTS)}; one also trains by itself once that many events have been ingested`;
      throw new HttpError(503, 'no_model', hint, {
        'Retry-After': String(ctx.config.RETRY_AFTER_SECONDS),
      });
    }
    const records = decodeRecords(requestBody(req, ctx), req, {
      receivedAt,
      maxEvents: ctx.config.ANALYZE_MAX_LINES,
      seedShape: true,
    });
    ctx.metrics.eventsReceived.inc({ surface: 'analyze' }, records.length);
    const parse = { clockOffsetMs: zoneOffsetMs(ctx.config.SOURCE_TZ, receivedAt) };
    const verdicts = records.length === 0 ? [] : scorer.score(records, { receivedAt, explain: query.explain, parse });
    ctx.metrics.analyzedEvents.inc(verdicts.length);
    res.setHeader('X-Model-Version', scorer.version);
    // The bytes res.json would send, written in one pass (verdict-json.ts).
    const body = verdictsJson(writer, verdicts, query.envelope ? { modelVersion: scorer.version } : undefined);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', body.length);
    res.end(body);
  };
  return { analyze };
}
