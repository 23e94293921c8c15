import { encodeModel, encodeScoreJob, keys, QUEUES, trainModel, type ScoreJob } from '@logforest/core';
import { artifactMeta, createModelRegistry, loadConfig, readAnomalies, readCounters, readSample } from '@logforest/runtime';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anomalousEvents, normalLines } from '../../../packages/runtime/src/model-cache/testing/lines.ts';
import { testRedisUrl, uniquePrefix } from '../../../tests/setup/redis.ts';
import { workerEnvSchema } from './config.ts';
import { startWorkerService, type WorkerService } from './service.ts';

const logger = pino({ level: 'silent' });

describe('score worker (in process)', () => {
  let redis: Redis;
  let producer: Redis;
  let prefix: string;
  let queue: Queue;
  let events: QueueEvents;
  let service: WorkerService | undefined;

  beforeEach(async () => {
    prefix = uniquePrefix('worker');
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    producer = new Redis(testRedisUrl(), { enableOfflineQueue: false });
    await new Promise((r) => producer.once('ready', r));
    queue = new Queue(QUEUES.score, { connection: producer, prefix });
    const u = new URL(testRedisUrl());
    events = new QueueEvents(QUEUES.score, { connection: { host: u.hostname, port: Number(u.port) }, prefix });
    await events.waitUntilReady();
    const registry = createModelRegistry({ redis, prefix });
    const model = trainModel(normalLines(600, 3).map((line) => ({ line })), { version: 'v1' });
    await registry.store('v1', encodeModel(model), artifactMeta(model));
    await registry.activate('v1');
    const config = loadConfig(workerEnvSchema, { REDIS_URL: testRedisUrl(), LOGFOREST_PREFIX: prefix, MODEL_POLL_INTERVAL_MS: '0' });
    service = await startWorkerService({ config, redis, logger });
  });
  afterEach(async () => {
    await service?.close();
    await Promise.all([queue.close(), events.close()]);
    await Promise.all([redis.quit(), producer.quit()]);
  });

  it('scores a batch end to end: verdicts counted, anomalies in the stream, tag used as source', async () => {
    const lines = [...normalLines(300, 11, Date.UTC(2024, 4, 7, 10)), ...anomalousEvents()];
    const payload: ScoreJob = {
      v: 1,
      batchId: 'batch-1',
      receivedAt: Date.now(),
      tag: 'shop',
      records: lines.map((line) => ({ line, host: 'web1' })),
    };
    const job = await queue.add('score', payload, { jobId: payload.batchId });
    const result = await job.waitUntilFinished(events, 10_000);
    expect(result).toMatchObject({ batchId: 'batch-1', records: lines.length, events: lines.length, model: 'v1', duplicate: false });

    const k = keys(prefix);
    const counters = await readCounters(redis, k.counts, k.totals);
    expect(counters.totals).toMatchObject({ batches: 1, records: lines.length, events: lines.length });
    expect(counters.byHostSource[0]).toMatchObject({ host: 'web1', source: 'shop', events: lines.length });
    const stream = await readAnomalies(redis, k.anomalies, { count: 1000 });
    expect(stream.length).toBe(result.anomalies);
    expect(counters.totals.anomalies).toBe(result.anomalies);
    const flagged = stream.map((e) => e.anomaly.log);
    expect(flagged.some((l) => l.includes('BindException'))).toBe(true);
    expect(flagged.some((l) => l.includes('OutOfMemoryError'))).toBe(true);
    expect(stream[0]?.anomaly).toMatchObject({ batchId: 'batch-1', model_version: 'v1', source: 'shop', is_anomaly: true });
    expect(stream.find((e) => e.anomaly.log.includes('BindException'))?.anomaly.explanation?.length).toBeGreaterThan(0);
  });

  it('dates a time-only line whose time of day lies in the future at receipt on the day before', async () => {
    // Received 2026-12-03 07:10 UTC: 17:59 cannot have been written yet today, it was written
    // yesterday; 07:12 is within the clock-skew allowance (5 min), 06:59 is plainly today.
    const receivedAt = Date.UTC(2026, 11, 3, 7, 10);
    const lines = ['17:59:02,123', '06:59:00,000', '07:12:00,500'].map((t) => `${t} INFO  [org.jboss.as.server] (Controller Boot Thread) WFLYSRV0025: started`);
    const payload: ScoreJob = { v: 1, batchId: 'console', receivedAt, records: lines.map((line) => ({ line })) };
    const job = await queue.add('score', payload, { jobId: payload.batchId });
    expect(await job.waitUntilFinished(events, 10_000)).toMatchObject({ events: 3, duplicate: false });
    // Every verdict's time goes to the sample stream (SAMPLE_RATE 1).
    const sampled = await readSample(redis, keys(prefix).sample, 10);
    expect(sampled.map((r) => new Date(r.ts!).toISOString())).toEqual(['2026-12-02T17:59:02.123Z', '2026-12-03T06:59:00.000Z', '2026-12-03T07:12:00.500Z']);
  });

  it('counts a batch delivered twice once', async () => {
    const payload: ScoreJob = { v: 1, batchId: 'dup', receivedAt: Date.now(), records: normalLines(50, 5).map((line) => ({ line })) };
    const a = await queue.add('score', payload, { jobId: 'dup-a' });
    const b = await queue.add('score', payload, { jobId: 'dup-b' }); // same batch, second delivery
    const ra = await a.waitUntilFinished(events, 10_000);
    const rb = await b.waitUntilFinished(events, 10_000);
    expect([ra.duplicate, rb.duplicate].sort()).toEqual([false, true]);
    const k = keys(prefix);
    expect((await readCounters(redis, k.counts, k.totals)).totals).toMatchObject({ batches: 1, records: 50 });
  });

  it('scores a v2 job and a v1 job queued before the upgrade alike', async () => {
    const lines = [...normalLines(200, 13, Date.UTC(2024, 4, 7, 10)), ...anomalousEvents()];
    const records = lines.map((line, i) => ({ line, host: i % 3 ? 'web1' : 'web2', ts: Date.UTC(2024, 4, 7, 10) + i }));
    const v1 = encodeScoreJob({ batchId: 'old-v1', receivedAt: Date.now(), tag: 'shop', records }, 'v1');
    const v2 = encodeScoreJob({ batchId: 'new-v2', receivedAt: Date.now(), tag: 'shop', records }, 'v2');
    expect(v2).toMatchObject({ v: 2, hosts: ['web2', 'web1'], tsDelta: true });
    const a = await queue.add('score', v1, { jobId: v1.batchId });
    const b = await queue.add('score', v2, { jobId: v2.batchId });
    const [ra, rb] = [await a.waitUntilFinished(events, 10_000), await b.waitUntilFinished(events, 10_000)];
    expect(ra).toMatchObject({ records: lines.length, duplicate: false });
    expect(rb).toMatchObject({ records: lines.length, events: ra.events, anomalies: ra.anomalies, duplicate: false });
    const k = keys(prefix);
    const counters = await readCounters(redis, k.counts, k.totals);
    expect(counters.totals).toMatchObject({ batches: 2, records: 2 * lines.length });
    const byHost = Object.fromEntries(counters.byHostSource.map((c) => [`${c.host}|${c.source}`, c.events]));
    expect(byHost).toEqual({ 'web1|shop': 2 * records.filter((r) => r.host === 'web1').length, 'web2|shop': 2 * records.filter((r) => r.host === 'web2').length });
    const stream = await readAnomalies(redis, k.anomalies, { count: 1000 });
    const logs = (id: string) => stream.filter((e) => e.anomaly.batchId === id).map((e) => e.anomaly.log).sort();
    expect(logs('new-v2')).toEqual(logs('old-v1'));
    expect(logs('new-v2').length).toBeGreaterThan(0);
  });

  it('fails a v2 job whose columns disagree at once, naming the problem', async () => {
    const job = await queue.add('score', { v: 2, batchId: 'bad2', receivedAt: Date.now(), lines: ['a', 'b'], ts: [1] }, { jobId: 'bad2', attempts: 5 });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/invalid score job: .*ts has 1 entries for 2 lines/s);
    expect((await queue.getJob('bad2'))?.attemptsMade).toBe(1);
  });

  it('fails an invalid payload at once, without retries', async () => {
    const job = await queue.add('score', { v: 1, batchId: 'bad', records: [] }, { jobId: 'bad', attempts: 5 });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/invalid score job/);
    const failed = await queue.getJob('bad');
    expect(failed?.attemptsMade).toBe(1);
    expect(await failed?.getState()).toBe('failed');
  });
});
