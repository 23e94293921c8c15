/**
 * A worker process SIGKILLed in the middle of a run loses nothing and counts nothing twice:
 * another process redoes its stalled jobs, and the batch marker absorbs any batch the dead
 * worker had already written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { encodeModel, keys, QUEUES, trainModel, type ScoreJob } from '@logforest/core';
import { artifactMeta, createModelRegistry, readCounters } from '@logforest/runtime';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalLines } from '../../../packages/runtime/src/model-cache/testing/lines.ts';
import { testRedisUrl, uniquePrefix } from '../../../tests/setup/redis.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BATCHES = 30;
const PER_BATCH = 400;

function startWorker(prefix: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/worker/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      REDIS_URL: testRedisUrl(),
      LOGFOREST_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      WORKER_CONCURRENCY: '2',
      WORKER_LOCK_DURATION_MS: '1500',
      WORKER_STALLED_INTERVAL_MS: '500',
      MODEL_POLL_INTERVAL_MS: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
  return child;
}

async function until(cond: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('worker killed with SIGKILL mid-run', () => {
  const prefix = uniquePrefix('kill');
  const k = keys(prefix);
  let redis: Redis;
  let queue: Queue;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    queue = new Queue(QUEUES.score, { connection: redis, prefix });
    const model = trainModel(normalLines(600, 3).map((line) => ({ line })), { version: 'v1' });
    const registry = createModelRegistry({ redis, prefix });
    await registry.store('v1', encodeModel(model), artifactMeta(model));
    await registry.activate('v1');
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await queue.close();
    await redis.quit();
  });

  it('every batch is counted exactly once after a SIGKILL and a restart', async () => {
    const jobs = Array.from({ length: BATCHES }, (_, b): { name: string; data: ScoreJob; opts: { jobId: string } } => ({
      name: 'score',
      data: { v: 1, batchId: `b${b}`, receivedAt: Date.now(), records: normalLines(PER_BATCH, 100 + b).map((line) => ({ line, host: `h${b % 3}` })) },
      opts: { jobId: `b${b}` },
    }));
    await queue.addBulk(jobs);

    const first = startWorker(prefix);
    children.push(first);
    await until(async () => Number(await redis.hget(k.totals, 'batches')) >= 3, 20_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const doneAtKill = Number(await redis.hget(k.totals, 'batches'));
    expect(doneAtKill).toBeLessThan(BATCHES); // killed mid-run

    const second = startWorker(prefix);
    children.push(second);
    await until(async () => (await queue.getCompletedCount()) === BATCHES, 30_000);
    second.kill('SIGTERM');
    const code = await new Promise((r) => second.once('exit', (c) => r(c)));
    expect(code).toBe(0); // graceful shutdown

    const c = await readCounters(redis, k.counts, k.totals);
    expect(c.totals.batches).toBe(BATCHES);
    expect(c.totals.records).toBe(BATCHES * PER_BATCH);
    expect(c.totals.events).toBe(BATCHES * PER_BATCH);
    expect(c.byHostSource.reduce((s, r) => s + r.events, 0)).toBe(BATCHES * PER_BATCH);
    expect(await redis.xlen(k.anomalies)).toBe(c.totals.anomalies);
    expect(await redis.xlen(k.sample)).toBe(BATCHES * PER_BATCH);
    expect(await queue.getFailedCount()).toBe(0);
    // The jobs the first worker held when it died were detected as stalled and redone.
    const completed = await queue.getCompleted(0, BATCHES);
    expect(completed.filter((j) => j.stalledCounter > 0 || j.attemptsStarted > 1).length).toBeGreaterThan(0);
  }, 60_000);
});
