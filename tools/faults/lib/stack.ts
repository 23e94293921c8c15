/**
 * A logforest deployment as separate processes against one Redis: ingest on 127.0.0.1 and a free
 * port, N score workers, optionally the trainer — with a model trained and activated first (so
 * no cold start hides in the figures).
 */
import { encodeModel, trainModel } from '@logforest/core';
import { artifactMeta, createModelRegistry } from '@logforest/runtime';
import { Redis } from 'ioredis';
import { freePort } from '../../../tests/setup/redis-server.ts';
import { waitForHttp } from '../../../tests/stack/proc.ts';
import { alive, spawnService, type ServiceProc } from './procs.ts';
import { pollUntil } from './util.ts';

/** Train a model on `lines` and make it the active version. */
export async function activateModel(redisUrl: string, prefix: string, lines: readonly string[]): Promise<string> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  try {
    const registry = createModelRegistry({ redis, prefix });
    const version = await registry.nextVersion();
    const artifact = trainModel(lines.map((line) => ({ line })), { version });
    await registry.store(version, encodeModel(artifact), artifactMeta(artifact));
    await registry.activate(version);
    return version;
  } finally {
    redis.disconnect();
  }
}

export interface StackOptions {
  redisUrl: string;
  prefix: string;
  workers: number;
  /** Start the trainer too. @defaultValue false */
  trainer?: boolean;
  ingestEnv?: Record<string, string>;
  workerEnv?: Record<string, string>;
  trainerEnv?: Record<string, string>;
}

export interface Stack {
  base: string;
  ingest: ServiceProc;
  /** Workers alive now. */
  workers: ServiceProc[];
  /** Every worker ever started (the dead ones too, for their logs). */
  everyWorker: ServiceProc[];
  trainer: ServiceProc | undefined;
  addWorker(): ServiceProc;
  /** Forget a worker that was killed. */
  drop(w: ServiceProc): void;
  /** Count log lines (pino `msg`) of all workers containing `text`. */
  workerLogCount(text: string): number;
  /** SIGTERM everything still running (SIGKILL after a grace period). */
  stop(): Promise<void>;
}

/** Worker settings that make a dead worker's jobs come back within ~2 s. */
export const FAST_STALL_ENV = {
  WORKER_LOCK_DURATION_MS: '2000',
  WORKER_STALLED_INTERVAL_MS: '1000',
  MODEL_POLL_INTERVAL_MS: '2000',
} as const;

export async function startStack(o: StackOptions): Promise<Stack> {
  const common = { REDIS_URL: o.redisUrl, LOGFOREST_PREFIX: o.prefix };
  const port = await freePort();
  const ingest = spawnService('ingest', 'ingest', {
    ...common,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    RETRY_AFTER_SECONDS: '1',
    ...o.ingestEnv,
  });
  const workers: ServiceProc[] = [];
  const everyWorker: ServiceProc[] = [];
  let n = 0;
  const addWorker = (): ServiceProc => {
    n++;
    const w = spawnService('worker', `worker-${n}`, { ...common, LOG_LEVEL: 'info', WORKER_CONCURRENCY: '2', ...FAST_STALL_ENV, ...o.workerEnv });
    workers.push(w);
    everyWorker.push(w);
    return w;
  };
  for (let i = 0; i < o.workers; i++) addWorker();
  const trainer = o.trainer ? spawnService('trainer', 'trainer', { ...common, LOG_LEVEL: 'info', TRAIN_INTERVAL_MS: '0', ...o.trainerEnv }) : undefined;
  const stack: Stack = {
    base: `http://127.0.0.1:${port}`,
    ingest,
    workers,
    everyWorker,
    trainer,
    addWorker,
    drop(w) {
      const i = workers.indexOf(w);
      if (i >= 0) workers.splice(i, 1);
    },
    workerLogCount(text) {
      let count = 0;
      for (const w of everyWorker) for (const line of w.output().split('\n')) if (line.includes(text)) count++;
      return count;
    },
    async stop() {
      const all = [ingest, ...everyWorker, ...(trainer ? [trainer] : [])];
      await Promise.all(all.filter(alive).map((p) => p.stop(10_000)));
    },
  };
  try {
    await waitForHttp(`${stack.base}/readyz`, ingest, 90_000);
    const up = await pollUntil(async () => (workers.every((w) => w.output().includes('worker started')) ? true : undefined), 90_000, 200);
    if (!up) throw new Error(`workers did not start:\n${workers.map((w) => w.output().slice(-2000)).join('\n')}`);
    if (trainer) {
      const t = await pollUntil(async () => (trainer.output().includes('trainer started') ? true : undefined), 90_000, 200);
      if (!t) throw new Error(`trainer did not start:\n${trainer.output().slice(-2000)}`);
    }
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return stack;
}
