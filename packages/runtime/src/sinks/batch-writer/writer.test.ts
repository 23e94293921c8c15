import type { Verdict } from '@logforest/core';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../../../../tests/setup/redis.ts';
import { readCounters } from '../counters/counters.ts';
import { readAnomalies } from '../redis-stream/anomalies.ts';
import { readSample } from '../sample/sample.ts';
import { createResultWriter, type ResultWriter } from './writer.ts';

function verdicts(n: number, anomalous: (i: number) => boolean): Verdict[] {
  return Array.from({ length: n }, (_, i) => ({
    timestamp: new Date(1_700_000_000_000 + i * 1000).toISOString(),
    log: `line ${i}`,
    anomaly_score: anomalous(i) ? 0.8 : 0.4,
    is_anomaly: anomalous(i),
    threshold: 0.6,
    model_version: 'v1',
    host: i % 2 ? 'web1' : 'web2',
    source: 'server.log',
  }));
}

describe('result writer', () => {
  let redis: Redis;
  let prefix: string;
  let writer: ResultWriter;

  beforeEach(() => {
    redis = new Redis(testRedisUrl());
    prefix = uniquePrefix('sink');
    writer = createResultWriter({ redis, prefix });
  });
  afterEach(async () => {
    await redis.quit();
  });

  it('writes anomalies, sample and counters once per batch, however often it is delivered', async () => {
    const batch = { batchId: 'b1', receivedAt: 1000, records: 12, verdicts: verdicts(10, (i) => i === 3 || i === 7) };
    const first = await writer.write(batch);
    expect(first.written).toBe(true);
    expect(first.anomalies.map((a) => a.idx)).toEqual([3, 7]);
    const again = await Promise.all([writer.write(batch), writer.write(batch)]);
    expect(again.map((r) => r.written)).toEqual([false, false]);

    const c = await readCounters(redis, `${prefix}:counts`, `${prefix}:totals`);
    expect(c.totals).toEqual({ batches: 1, records: 12, events: 10, anomalies: 2 });
    expect(c.byHostSource).toEqual(
      expect.arrayContaining([
        { host: 'web1', source: 'server.log', events: 5, anomalies: 2 },
        { host: 'web2', source: 'server.log', events: 5, anomalies: 0 },
      ]),
    );
    const anomalies = await readAnomalies(redis, `${prefix}:anomalies`);
    expect(anomalies).toHaveLength(2);
    expect(anomalies[0]?.anomaly).toMatchObject({ log: 'line 7', batchId: 'b1', idx: 7, receivedAt: 1000, is_anomaly: true });
    expect(anomalies[0]?.anomaly.scoredAt).toBe(first.scoredAt);
    const sample = await readSample(redis, `${prefix}:sample`, 1000);
    expect(sample.map((r) => r.line)).toEqual(verdicts(10, () => false).map((v) => v.log));
    expect(await writer.isDone('b1')).toBe(true);
    expect(await writer.isDone('b2')).toBe(false);
  });

  it('samples a cold-start batch once and does not sample it again when it is scored', async () => {
    const records = Array.from({ length: 5 }, (_, i) => ({ line: `raw ${i}`, host: 'h' }));
    expect(await writer.writeSampleOnly('b1', records)).toBe(5);
    expect(await writer.writeSampleOnly('b1', records)).toBe(0);
    await writer.write({ batchId: 'b1', receivedAt: 1, records: 5, verdicts: verdicts(5, () => false) });
    expect(await writer.sampleLength()).toBe(5);
    expect(await writer.writeSampleOnly('b2', records)).toBe(5);
    await writer.write({ batchId: 'b3', receivedAt: 1, records: 5, verdicts: verdicts(5, () => false) });
    expect(await writer.writeSampleOnly('b3', records)).toBe(0);
    expect(await writer.sampleLength()).toBe(15);
  });

  it('caps both streams approximately and applies the sample rate and per-batch cap', async () => {
    const w = createResultWriter({ redis, prefix, anomalyMaxLen: 50, sampleMaxLen: 50, sample: { rate: 0.5, maxPerBatch: 30 } });
    for (let b = 0; b < 10; b++) {
      const r = await w.write({ batchId: `b${b}`, receivedAt: 1, records: 100, verdicts: verdicts(100, () => true) });
      expect(r.written).toBe(true);
    }
    const anomalies = await redis.xlen(`${prefix}:anomalies`);
    expect(anomalies).toBeGreaterThanOrEqual(50);
    expect(anomalies).toBeLessThan(300); // ~ trims whole stream nodes (100 entries by default)
    const sample = await redis.xlen(`${prefix}:sample`);
    expect(sample).toBeLessThanOrEqual(300);
    const totals = await redis.hgetall(`${prefix}:totals`);
    expect(totals).toMatchObject({ batches: '10', events: '1000', anomalies: '1000' });
  });
});
