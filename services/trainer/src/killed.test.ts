/**
 * A trainer process SIGKILLed in the middle of a run leaves the active model untouched
 * (activation is the run's last step); the job is redone by another trainer.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { QUEUES, type TrainJob } from '@logforest/core';
import { createModelRegistry } from '@logforest/runtime';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../../tests/setup/redis.ts';
import { startTrainerService } from './service.ts';
import { seedActiveModel, seedSample, trainerConfig, until } from './testing.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('trainer killed mid-run', () => {
  const prefix = uniquePrefix('tkill');
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUES.train, { connection: redis, prefix });
  afterAll(async () => {
    await queue.close();
    await redis.quit();
  });

  it('leaves v1 active, and another trainer redoes the job', async () => {
    await seedActiveModel(redis, prefix);
    await seedSample(redis, prefix, 20_000);
    const registry = createModelRegistry({ redis, prefix });
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/trainer/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        REDIS_URL: testRedisUrl(),
        LOGFOREST_PREFIX: prefix,
        LOG_LEVEL: 'warn',
        TRAIN_INTERVAL_MS: '0',
        TRAIN_MIN_EVENTS: '100',
        TRAINER_LOCK_DURATION_MS: '1000',
        TRAINER_STALLED_INTERVAL_MS: '500',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      const data: TrainJob = { v: 1, reason: 'request', activate: true, requestedAt: Date.now() };
      const job = await queue.add('retrain', data, { jobId: 'run-1' });
      // Kill it once it is fitting (the stage it reports just before the forest is built).
      await until(async () => {
        const j = await queue.getJob('run-1');
        return (j?.progress as { stage?: string } | undefined)?.stage === 'training';
      }, 20_000);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(await registry.activeVersion()).toBe('v1');
      expect((await registry.getMeta('v1'))?.status).toBe('active');
      expect(await job.getState()).toBe('active'); // orphaned, lock about to expire

      const rescuerRedis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
      const rescuer = await startTrainerService({
        config: trainerConfig(testRedisUrl(), prefix, { TRAINER_STALLED_INTERVAL_MS: '500' }),
        redis: rescuerRedis,
        logger: pino({ level: 'silent' }),
      });
      try {
        await until(async () => (await queue.getJob('run-1'))?.finishedOn !== undefined, 30_000);
        const done = await queue.getJob('run-1');
        expect(done?.returnvalue).toMatchObject({ status: 'active' });
        expect(await registry.activeVersion()).toBe(done?.returnvalue.version);
        expect(done?.returnvalue.version).not.toBe('v1');
      } finally {
        await rescuer.close();
        await rescuerRedis.quit();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
