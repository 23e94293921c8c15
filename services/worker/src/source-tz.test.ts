/**
 * SOURCE_TZ places time-only JBoss lines on the day of the servers' clock: a batch received at
 * 07:10 UTC from servers on Asia/Tokyo (16:10 there) dates 16:00 today and 16:20 yesterday, both
 * when it is scored and when it waits for a first model (cold start writes the sample the
 * bootstrap model trains on). Real Redis; verdict times read back from the sample stream.
 */
import { encodeModel, keys, QUEUES, trainModel, type ScoreJob } from '@logforest/core';
import { artifactMeta, createModelRegistry, loadConfig, readSample } from '@logforest/runtime';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalLines } from '../../../packages/runtime/src/model-cache/testing/lines.ts';
import { testRedisUrl, uniquePrefix } from '../../../tests/setup/redis.ts';
import { until } from '../../trainer/src/testing.ts';
import { workerEnvSchema } from './config.ts';
import { startWorkerService, type WorkerService } from './service.ts';

const receivedAt = Date.UTC(2026, 11, 3, 7, 10);
const lines = ['16:00:00,000', '16:20:00,000', '01:00:00,000'].map((t) => `${t} INFO  [org.jboss.as.server] (Controller Boot Thread) WFLYSRV0025: started`);
const tokyo = ['2026-12-03T16:00:00.000Z', '2026-12-02T16:20:00.000Z', '2026-12-03T01:00:00.000Z'];
const utc = ['2026-12-02T16:00:00.000Z', '2026-12-02T16:20:00.000Z', '2026-12-03T01:00:00.000Z'];

describe('SOURCE_TZ', () => {
  let redis: Redis;
  let prefix: string;
  let queue: Queue;
  let events: QueueEvents;
  let service: WorkerService | undefined;

  async function start(env: Record<string, string>, withModel: boolean): Promise<void> {
    if (withModel) {
      const registry = createModelRegistry({ redis, prefix });
      const model = trainModel(normalLines(300, 3).map((line) => ({ line })), { version: 'v1' });
      await registry.store('v1', encodeModel(model), artifactMeta(model));
      await registry.activate('v1');
    }
    const config = loadConfig(workerEnvSchema, { REDIS_URL: testRedisUrl(), LOGFOREST_PREFIX: prefix, MODEL_POLL_INTERVAL_MS: '0', ...env });
    service = await startWorkerService({ config, redis, logger: pino({ level: 'silent' }) });
  }
  const sampledTimes = async () => (await readSample(redis, keys(prefix).sample, 10)).map((r) => new Date(r.ts!).toISOString());
  const payload = (batchId: string): ScoreJob => ({ v: 1, batchId, receivedAt, records: lines.map((line) => ({ line })) });

  beforeEach(async () => {
    prefix = uniquePrefix('srctz');
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    queue = new Queue(QUEUES.score, { connection: redis, prefix });
    const u = new URL(testRedisUrl());
    events = new QueueEvents(QUEUES.score, { connection: { host: u.hostname, port: Number(u.port) }, prefix });
    await events.waitUntilReady();
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
    await Promise.all([queue.close(), events.close()]);
    await redis.quit();
  });

  it('dates scored time-only lines on the SOURCE_TZ clock (Asia/Tokyo: 16:10 at 07:10 UTC)', async () => {
    await start({ SOURCE_TZ: 'Asia/Tokyo' }, true);
    const job = await queue.add('score', payload('tz-1'), { jobId: 'tz-1' });
    expect(await job.waitUntilFinished(events, 10_000)).toMatchObject({ events: 3 });
    expect(await sampledTimes()).toEqual(tokyo);
  });

  it('the same for UTC servers: 16:00 at 07:10 UTC is yesterday', async () => {
    await start({}, true);
    const job = await queue.add('score', payload('tz-2'), { jobId: 'tz-2' });
    await job.waitUntilFinished(events, 10_000);
    expect(await sampledTimes()).toEqual(utc);
  });

  it('cold start samples the batch with those times, not undated lines', async () => {
    await start({ SOURCE_TZ: 'Asia/Tokyo', TRAIN_MIN_EVENTS: '1000', COLD_START_RETRY_MS: '60000' }, false);
    await queue.add('score', payload('tz-3'), { jobId: 'tz-3' });
    await until(async () => (await redis.xlen(keys(prefix).sample)) === 3, 10_000);
    expect(await sampledTimes()).toEqual(tokyo);
  });

  it('refuses an unknown zone with a clear message', () => {
    expect(() => loadConfig(workerEnvSchema, { SOURCE_TZ: 'Mars/Olympus' })).toThrow(/SOURCE_TZ.*IANA time zone/s);
  });
});
