/**
 * `GET /anomalies` — anomalous verdicts from the anomalies stream, newest first.
 *
 * Query (all optional):
 * - `limit`: items per page, 1…1000 (default 100);
 * - `cursor`: the `next_cursor` of the previous page (a stream id); the page starts just after it;
 * - `host`, `source`: exact match on the verdict's host / source;
 * - `since`, `until`: ISO-8601 time or epoch ms, bounds on when the verdict was recorded
 *   (the stream id's time), inclusive.
 *
 * Answers `{items: [{id, ...verdict, batchId, receivedAt, scoredAt}], next_cursor}`; `next_cursor`
 * is null at the end of the stream. Filters are applied here, reading the stream in pages of
 * XREVRANGE; one request reads at most MAX_SCAN entries, so a rare filter may answer fewer items
 * than `limit` with a `next_cursor` to continue from.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { RouteContext } from '../../context.ts';
import { redisUnavailable } from '../../http/errors.ts';
import { withTimeout } from '../../enqueue/enqueuer.ts';
import { ANOMALY_FIELD, anomalyDocumentSchema } from '@logforest/runtime';

/** Most stream entries one request reads while filtering. */
export const MAX_SCAN = 10_000;

const time = z.string().transform((s, c): number => {
  const ms = /^\d{1,16}$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(ms) || ms < 0) {
    c.addIssue({ code: 'custom', message: 'must be an ISO-8601 time or epoch milliseconds' });
    return z.NEVER;
  }
  return ms;
});

export const anomaliesQuerySchema = z.object({
  cursor: z.string().regex(/^\d{1,16}-\d{1,20}$/, 'cursor must be a next_cursor value (a stream id like 1714564800000-0)').optional(),
  limit: z.coerce.number().int('limit must be a whole number').min(1).max(1000).default(100),
  host: z.string().min(1).max(256).optional(),
  source: z.string().min(1).max(1024).optional(),
  since: time.optional(),
  until: time.optional(),
});

export function anomaliesRoutes(ctx: RouteContext): { anomalies: RequestHandler } {
  const stream = ctx.keys.anomalies;

  const anomalies: RequestHandler = async (req, res) => {
    const q = anomaliesQuerySchema.parse(req.query);
    const filtered = q.host !== undefined || q.source !== undefined;
    const start = q.since !== undefined ? String(q.since) : '-';
    let end = q.cursor !== undefined ? `(${q.cursor}` : q.until !== undefined ? String(q.until) : '+';
    if (q.cursor !== undefined && q.until !== undefined && Number(q.cursor.split('-')[0]) > q.until) end = String(q.until);
    const items: Record<string, unknown>[] = [];
    let scanned = 0;
    let nextCursor: string | null = null;
    for (;;) {
      const pageSize = filtered ? Math.min(1000, MAX_SCAN - scanned) : q.limit - items.length;
      let rows: [string, string[]][];
      try {
        rows = await withTimeout(ctx.redis.xrevrange(stream, end, start, 'COUNT', pageSize), ctx.config.REDIS_TIMEOUT_MS);
      } catch (err) {
        throw redisUnavailable(ctx.config.RETRY_AFTER_SECONDS, 'reading anomalies', err);
      }
      scanned += rows.length;
      let lastId: string | undefined;
      for (const [id, fields] of rows) {
        lastId = id;
        const at = fields.indexOf(ANOMALY_FIELD);
        let doc: Record<string, unknown> | undefined;
        try {
          const parsed = anomalyDocumentSchema.safeParse(JSON.parse(at >= 0 && at % 2 === 0 ? (fields[at + 1] ?? '') : ''));
          if (parsed.success) doc = parsed.data;
        } catch {
          doc = undefined;
        }
        if (!doc) continue;
        if (q.host !== undefined && doc['host'] !== q.host) continue;
        if (q.source !== undefined && doc['source'] !== q.source) continue;
        items.push({ id, ...doc });
        if (items.length === q.limit) break;
      }
      if (items.length === q.limit) {
        nextCursor = items.at(-1)?.['id'] as string;
        break;
      }
      if (rows.length < pageSize || lastId === undefined) break; // end of the stream (or of the range)
      end = `(${lastId}`;
      if (scanned >= MAX_SCAN) {
        nextCursor = lastId;
        break;
      }
    }
    res.json({ items, next_cursor: nextCursor });
  };

  return { anomalies };
}
