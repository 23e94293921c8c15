/**
 * GET /stats/throughput: samples of the service's own counters. Events posted to /ingest are
 * scored by a real BullMQ worker writing through the runtime's result writer (the worker
 * service's write path), and the samples then show them in, scored, as anomalies, and the
 * ingest→verdict time of the completed batches.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, scoreJobSchema, type Scorer } from '@logforest/core';
import { createResultWriter } from '@logforest/runtime';
import { startIngest, storeModel, type Harness } from '../../test-support/harness.ts';
import { ERROR_EVENT, jbossLines } from '../../test-support/lines.ts';
import { quantile } from './sampler.ts';

let h: Harness;
let worker: Worker;
let conn: Redis;
let scorer: Scorer;
beforeAll(async () => {
  h = await startIngest({ THROUGHPUT_SAMPLE_MS: '200', INGEST_TOKENS: 'ing' });
  scorer = await storeModel(h.registry, 'v1');
  conn = new Redis(h.config.REDIS_URL, { maxRetriesPerRequest: null });
  const writer = createResultWriter({ redis: conn, prefix: h.prefix });
  worker = new Worker(
    QUEUES.score,
    async (job) => {
      const data = scoreJobSchema.parse(job.data);
      await new Promise((r) => setTimeout(r, 30)); // a batch takes some time
      const verdicts = scorer.score(data.records, { receivedAt: data.receivedAt });
      await writer.write({ batchId: String(job.id), receivedAt: data.receivedAt, records: data.records.length, verdicts });
    },
    { connection: conn, prefix: h.prefix },
  );
});
afterAll(async () => {
  await worker?.close();
  conn?.disconnect();
  await h?.close();
});

const stats = async (token = 'ing') => {
  const res = await fetch(`${h.url}/stats/throughput`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, json: (await res.json()) as any };
};

describe('GET /stats/throughput', () => {
  it('needs an ingest token', async () => {
    expect((await stats('nope')).status).toBe(401);
  });

  it('shows events in, scored, anomalies and the ingest→verdict time', async () => {
    const lines = [...jbossLines(400), ...ERROR_EVENT.split('\n')];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${h.url}/ingest/jboss`, { method: 'POST', body: lines.join('\n'), headers: { authorization: 'Bearer ing', 'content-type': 'text/plain' } });
      expect(res.status).toBe(202);
    }
    let json: any;
    const deadline = Date.now() + 15_000;
    for (;;) {
      json = (await stats()).json;
      const sum = (k: string) => json.samples.reduce((s: number, x: any) => s + x[k], 0);
      if (sum('scored') >= 3 * lines.length || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(json.interval_ms).toBe(200);
    expect(json.window_ms).toBe(3_600_000);
    const sum = (k: string) => json.samples.reduce((s: number, x: any) => s + x[k], 0);
    expect(sum('events_in')).toBe(3 * lines.length);
    expect(sum('scored')).toBe(3 * lines.length);
    const totals = await h.redis.hgetall(`${h.prefix}:totals`);
    expect(sum('anomalies')).toBe(Number(totals['anomalies']));
    expect(sum('anomalies')).toBeGreaterThan(0);
    expect(sum('batches')).toBe(3);
    const withLatency = json.samples.filter((s: any) => s.batches > 0);
    for (const s of withLatency) expect(s.latency_p99_ms).toBeGreaterThanOrEqual(30);
    const times = json.samples.map((s: any) => s.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('quantile picks the nearest-rank value', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([quantile(xs, 0.5), quantile(xs, 0.99), quantile([7], 0.99), quantile([], 0.5)]).toEqual([50, 99, 7, null]);
  });
});
