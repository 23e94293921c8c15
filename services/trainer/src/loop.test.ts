/**
 * Trainer and worker together: a cold start bootstraps the first model without anyone acting,
 * and a new version reaches a running worker without a restart.
 */
import { keys, QUEUES, type ScoreJob, type TrainJob } from '@logforest/core';
import { loadConfig, readCounters } from '@logforest/runtime';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anomalousEvents, normalLines } from '../../../packages/runtime/src/model-cache/testing/lines.ts';
import { testRedisUrl, uniquePrefix } from '../../../tests/setup/redis.ts';
import { BOOTSTRAP_JOB_ID } from '../../worker/src/cold-start.ts';
import { workerEnvSchema } from '../../worker/src/config.ts';
import { startWorkerService, type WorkerService } from '../../worker/src/service.ts';
import { startTrainerService, type TrainerService } from './service.ts';
import { seedActiveModel, trainerConfig, until } from './testing.ts';

const logger = pino({ level: 'silent' });

describe('trainer and worker together', () => {
  let prefix: string;
  let conns: Redis[];
  let stops: Array<() => Promise<void>>;
  let scoreQueue: Queue;
  let trainQueue: Queue;
  let scoreEvents: QueueEvents;

  const conn = (): Redis => {
    const r = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    conns.push(r);
    return r;
  };
  async function worker(env: Record<string, string> = {}): Promise<WorkerService> {
    const config = loadConfig(workerEnvSchema, { REDIS_URL: testRedisUrl(), LOGFOREST_PREFIX: prefix, MODEL_POLL_INTERVAL_MS: '0', ...env });
    const s = await startWorkerService({ config, redis: conn(), logger });
    stops.push(() => s.close());
    return s;
  }
  async function trainer(env: Record<string, string> = {}): Promise<TrainerService> {
    const s = await startTrainerService({ config: trainerConfig(testRedisUrl(), prefix, env), redis: conn(), logger });
    stops.push(() => s.close());
    return s;
  }
  const batch = (id: string, lines: string[]): ScoreJob => ({ v: 1, batchId: id, receivedAt: Date.now(), records: lines.map((line) => ({ line })) });

  beforeEach(async () => {
    prefix = uniquePrefix('loop');
    conns = [];
    stops = [];
    scoreQueue = new Queue(QUEUES.score, { connection: conn(), prefix });
    trainQueue = new Queue(QUEUES.train, { connection: conn(), prefix });
    const u = new URL(testRedisUrl());
    scoreEvents = new QueueEvents(QUEUES.score, { connection: { host: u.hostname, port: Number(u.port) }, prefix });
    await scoreEvents.waitUntilReady();
  });
  afterEach(async () => {
    for (const stop of stops.reverse()) await stop();
    await Promise.all([scoreQueue.close(), trainQueue.close(), scoreEvents.close()]);
    await Promise.all(conns.map((c) => c.quit()));
  });

  it('cold start: batches are parked and sampled, a bootstrap model is trained, then every batch is scored once', async () => {
    await worker({ TRAIN_MIN_EVENTS: '600', COLD_START_RETRY_MS: '5000' });
    const jobs = await scoreQueue.addBulk(
      Array.from({ length: 4 }, (_, i) => ({ name: 'score', data: batch(`c${i}`, normalLines(200, 20 + i)), opts: { jobId: `c${i}` } })),
    );
    const k = keys(prefix);
    await until(async () => (await redis0().xlen(k.sample)) === 800, 10_000);
    await until(async () => (await trainQueue.getJob(BOOTSTRAP_JOB_ID)) !== undefined, 10_000);
    expect(await jobs[0]!.getState()).toBe('delayed');
    expect(await redis0().hget(k.totals, 'batches')).toBeNull();

    await trainer({ TRAIN_MIN_EVENTS: '600' });
    // The first swap promotes parked batches: they finish well before their 5 s delay.
    const t0 = Date.now();
    await Promise.all(jobs.map((j) => j.waitUntilFinished(scoreEvents, 10_000)));
    expect(Date.now() - t0).toBeLessThan(4500);
    const c = await readCounters(redis0(), k.counts, k.totals);
    expect(c.totals).toMatchObject({ batches: 4, records: 800, events: 800 });
    expect(await redis0().xlen(k.sample)).toBe(800); // sampled once, not again when scored
  });

  it('a retrain activates v2 and a running worker scores with it without restart', async () => {
    const redis = redis0();
    await seedActiveModel(redis, prefix);
    const w = await worker();
    await trainer();
    expect(w.cache.version).toBe('v1');
    const first = await scoreQueue.add('score', batch('a', normalLines(100, 31)), { jobId: 'a' });
    expect(await first.waitUntilFinished(scoreEvents, 10_000)).toMatchObject({ model: 'v1' });

    const data: TrainJob = { v: 1, reason: 'request', activate: true, requestedAt: Date.now(), lines: normalLines(1500, 32) };
    await trainQueue.add('retrain', data);
    await until(() => w.cache.version === 'v2', 20_000);
    const second = await scoreQueue.add('score', batch('b', [...normalLines(100, 33), ...anomalousEvents()]), { jobId: 'b' });
    expect(await second.waitUntilFinished(scoreEvents, 10_000)).toMatchObject({ model: 'v2' });
  });

  function redis0(): Redis {
    return conns[0]!;
  }
});
