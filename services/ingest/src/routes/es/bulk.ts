/**
 * `POST|PUT /_bulk` and `/<index>/_bulk`: the Elasticsearch bulk API as Filebeat, Fluent Bit `es`,
 * Vector and Logstash send it (NDJSON action/document pairs; `create`, `index`, also `update` /
 * `delete` tolerated; gzip; `application/json` or `application/x-ndjson`; `filter_path` honoured,
 * other query parameters such as `timeout`, `pipeline`, `refresh` ignored).
 *
 * Success is HTTP 200 exactly (Filebeat retries any other 2xx forever) with compact JSON
 * `{"took":…,"errors":…,"items":[…]}`, one item per action in order, `errors` before `items`
 * (Fluent Bit falls back to a substring search). Documents are enqueued before the answer; a
 * document the decoder refuses gets its own 4xx item and the others still go in.
 * Backpressure or Redis down → 429 for the whole request (the error middleware maps 503 to 429
 * on this surface), which every ES client retries.
 */
import type { RequestHandler } from 'express';
import { bulkResponse, decodeBulk } from '@logforest/core';
import type { RouteContext } from '../../context.ts';
import { requestBody } from '../decode.ts';

export function esBulkRoutes(ctx: RouteContext): { 'es.bulk': RequestHandler } {
  const { metrics } = ctx;
  const bulk: RequestHandler = async (req, res) => {
    const started = performance.now();
    const receivedAt = ctx.now();
    await ctx.enqueuer.admit();
    const index = typeof req.params['index'] === 'string' ? req.params['index'] : undefined;
    const { records, items } = decodeBulk(requestBody(req, ctx), { receivedAt, index, maxEvents: ctx.config.MAX_EVENTS_PER_REQUEST });
    metrics.eventsReceived.inc({ surface: 'bulk' }, records.length);
    const refused = items.reduce((n, item) => n + (item.error ? 1 : 0), 0);
    if (refused > 0) metrics.eventsRejected.inc({ surface: 'bulk', reason: 'invalid_item' }, refused);
    const result = await ctx.enqueuer.enqueue(records, { receivedAt });
    metrics.eventsEnqueued.inc({ surface: 'bulk' }, result.accepted);
    metrics.batchesEnqueued.inc({ surface: 'bulk' }, result.batches);
    const filterPath = typeof req.query['filter_path'] === 'string' ? req.query['filter_path'] : undefined;
    res.status(200).type('application/json').send(bulkResponse(items, performance.now() - started, filterPath));
  };
  return { 'es.bulk': bulk };
}
