/**
 * Shipper body in → verdict out, in one process: the real ingest app, the real worker processor
 * (services/worker) on a BullMQ Worker, the real result writer and model cache, one real Redis.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, keys as keyNames } from '@logforest/core';
import { createLogger, createModelCache, createResultWriter, type ModelCache } from '@logforest/runtime';
import { createColdStart } from '../../worker/src/cold-start.ts';
import { createScoreProcessor } from '../../worker/src/processor.ts';
import { startIngest, storeModel, type Harness } from './test-support/harness.ts';
import { ERROR_EVENT, jbossLines } from './test-support/lines.ts';

let h: Harness;
let workerRedis: Redis;
let cache: ModelCache;
let worker: Worker;

beforeAll(async () => {
  h = await startIngest();
  h.models.scorer = await storeModel(h.registry, 'v1');
  const logger = createLogger({ name: 'worker', level: 'silent' });
  workerRedis = new Redis(h.config.REDIS_URL, { maxRetriesPerRequest: null });
  cache = await createModelCache({ redis: workerRedis, prefix: h.prefix, logger, pollIntervalMs: 0 });
  const writer = createResultWriter({ redis: workerRedis, prefix: h.prefix });
  const coldStart = createColdStart({ writer, trainQueue: h.trainQueue, logger });
  worker = new Worker(QUEUES.score, createScoreProcessor({ cache, writer, coldStart, logger }), { connection: workerRedis, prefix: h.prefix });
});
afterAll(async () => {
  await worker?.close();
  await cache?.close();
  workerRedis?.disconnect();
  await h?.close();
});

describe('ingest → queue → worker → anomalies', () => {
  it('every acknowledged record is scored once; the anomaly is served by /anomalies with the /analyze score', async () => {
    const lines = jbossLines(150);
    const fluentBit = lines.slice(0, 100).map((l) => JSON.stringify({ date: 1714564800.5, log: l })).join('\n') + '\n';
    const a = await fetch(`${h.url}/ingest/wildfly`, { method: 'POST', body: fluentBit, headers: { 'content-type': 'application/x-ndjson' } });
    expect(a.status).toBe(202);
    const docs = [...lines.slice(100), ERROR_EVENT];
    const bulk = docs.map((m) => `{"create":{"_index":"filebeat-8.19.2"}}\n${JSON.stringify({ message: m, host: { name: 'jb-1' } })}\n`).join('');
    const b = await fetch(`${h.url}/_bulk`, { method: 'POST', body: bulk, headers: { 'content-type': 'application/json; charset=UTF-8' } });
    expect(b.status).toBe(200);
    const sent = 100 + docs.length;

    const totalsKey = keyNames(h.prefix).totals;
    let totals: Record<string, string> = {};
    for (let i = 0; i < 200; i++) {
      totals = await h.redis.hgetall(totalsKey);
      if (Number(totals['records'] ?? 0) >= sent) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(Number(totals['records'])).toBe(sent);
    expect(Number(totals['batches'])).toBe(2);

    const page = (await (await fetch(`${h.url}/anomalies?host=jb-1`)).json()) as any;
    const hit = page.items.find((i: any) => i.log === ERROR_EVENT);
    expect(hit).toMatchObject({ is_anomaly: true, model_version: 'v1', host: 'jb-1' });
    expect(hit.scoredAt).toBeGreaterThanOrEqual(hit.receivedAt);

    const now = (await (await fetch(`${h.url}/analyze`, { method: 'POST', body: JSON.stringify({ logs: [ERROR_EVENT] }) })).json()) as any[];
    expect(now[0].anomaly_score).toBeCloseTo(hit.anomaly_score, 10);
  });
});
