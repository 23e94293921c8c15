/**
 * `POST /ingest` and `POST /ingest/:tag` (PUT too, for Fluentd's `http_method put`): any shipper
 * body (JSON array, NDJSON, Fluent Bit msgpack, plain text; gzip/deflate/br), queued as score jobs.
 *
 * Answers 202 `{"accepted": N, "batches": M}` only after Redis accepted every job. Over the queue's
 * waiting limit, or with Redis unavailable: 503 + Retry-After (the one status Fluentd retries by
 * default; Fluent Bit, Vector and Logstash retry it too), checked before the body is decoded.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { RouteContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';
import { decodeRecords, requestBody } from '../decode.ts';

/** The `:tag` path segment: used as the source of records that name none. */
export const tagSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/+-]*$/, 'a tag starts with a letter or digit and holds letters, digits and . _ : @ / + -');

export function ingestRoutes(ctx: RouteContext): { ingest: RequestHandler } {
  const { metrics } = ctx;
  const ingest: RequestHandler = async (req, res) => {
    const receivedAt = ctx.now();
    let tag: string | undefined;
    if (req.params['tag'] !== undefined) {
      const parsed = tagSchema.safeParse(req.params['tag']);
      if (!parsed.success) throw new HttpError(400, 'invalid_tag', `invalid tag: ${parsed.error.issues[0]?.message ?? 'bad value'}`);
      tag = parsed.data;
    }
    await ctx.enqueuer.admit();
    const records = decodeRecords(requestBody(req, ctx), req, { receivedAt, tag, maxEvents: ctx.config.MAX_EVENTS_PER_REQUEST });
    metrics.eventsReceived.inc({ surface: 'ingest' }, records.length);
    const result = await ctx.enqueuer.enqueue(records, { receivedAt, tag });
    metrics.eventsEnqueued.inc({ surface: 'ingest' }, result.accepted);
    metrics.batchesEnqueued.inc({ surface: 'ingest' }, result.batches);
    res.status(202).json({ accepted: result.accepted, batches: result.batches });
  };
  return { ingest };
}
