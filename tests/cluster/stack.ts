/**
 * The logforest stack in one process on a Redis Cluster, wired as the services' main.ts files
 * wire it: every connection from runtime's `connectRedis` with `REDIS_CLUSTER_NODES`, the real
 * ingest app (fail-fast producer connection, its own model cache), a real score worker service
 * and, when asked, a real trainer service.
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { Queue } from 'bullmq';
import { QUEUES } from '@logforest/core';
import {
  closeRedis,
  connectRedis,
  createLogger,
  createMetricsRegistry,
  createModelCache,
  createModelRegistry,
  ingestMetrics,
  loadConfig,
  redisReady,
  type ModelCache,
  type ModelRegistry,
  type RedisClient,
} from '@logforest/runtime';
import { createApp } from '../../services/ingest/src/app.ts';
import { ingestEnvSchema, type IngestConfig } from '../../services/ingest/src/config.ts';
import { startTrainerService, type TrainerService } from '../../services/trainer/src/service.ts';
import { trainerEnvSchema } from '../../services/trainer/src/config.ts';
import { startWorkerService, type WorkerService } from '../../services/worker/src/service.ts';
import { workerEnvSchema } from '../../services/worker/src/config.ts';

export interface ClusterStack {
  url: string;
  prefix: string;
  config: IngestConfig;
  /** Ingest's fail-fast producer connection. */
  redis: RedisClient;
  registry: ModelRegistry;
  ingestModels: ModelCache;
  workers: WorkerService[];
  trainer: TrainerService | undefined;
  close(): Promise<void>;
}

export interface ClusterStackOptions {
  seeds: string;
  prefix: string;
  /** Variables for every service (e.g. TRAIN_MIN_EVENTS). */
  env?: Record<string, string>;
  /** Score worker services. @defaultValue 1 */
  workers?: number;
  trainer?: boolean;
}

export async function startClusterStack(o: ClusterStackOptions): Promise<ClusterStack> {
  const env = { REDIS_CLUSTER_NODES: o.seeds, LOGFOREST_PREFIX: o.prefix, LOG_LEVEL: process.env['LF_TEST_LOG'] ?? 'silent', ...o.env };
  const logger = (name: string) => createLogger({ name, level: env.LOG_LEVEL as 'silent' });
  const closers: Array<() => Promise<unknown>> = [];

  const workers: WorkerService[] = [];
  for (let i = 0; i < (o.workers ?? 1); i++) {
    const config = loadConfig(workerEnvSchema, env);
    const redis = connectRedis(config, { name: `test-worker-${i}` });
    redis.on('error', () => undefined);
    const w = await startWorkerService({ config, redis, logger: logger(`worker-${i}`) });
    workers.push(w);
    closers.push(async () => {
      await w.close();
      await closeRedis(redis);
    });
  }

  let trainer: TrainerService | undefined;
  if (o.trainer) {
    const config = loadConfig(trainerEnvSchema, env);
    const redis = connectRedis(config, { name: 'test-trainer' });
    redis.on('error', () => undefined);
    const t = await startTrainerService({ config, redis, logger: logger('trainer') });
    trainer = t;
    closers.push(async () => {
      await t.close();
      await closeRedis(redis);
    });
  }

  const config = loadConfig(ingestEnvSchema, env);
  const log = logger('ingest');
  const redis = connectRedis(config, { name: 'test-ingest', failFast: { commandTimeoutMs: config.REDIS_TIMEOUT_MS } });
  redis.on('error', () => undefined);
  await redisReady(redis);
  const scoreQueue = new Queue(QUEUES.score, { connection: redis, prefix: o.prefix });
  const trainQueue = new Queue(QUEUES.train, { connection: redis, prefix: o.prefix });
  scoreQueue.on('error', () => undefined);
  trainQueue.on('error', () => undefined);
  const cacheRedis = connectRedis(config, { name: 'test-ingest-models' });
  cacheRedis.on('error', () => undefined);
  const ingestModels = await createModelCache({ redis: cacheRedis, prefix: o.prefix, logger: log, pollIntervalMs: 0 });
  const registry = createModelRegistry({ redis, prefix: o.prefix, logger: log });
  const metricsRegistry = createMetricsRegistry({ service: 'ingest', processMetrics: false });
  const app = createApp({ config, logger: log, metricsRegistry, metrics: ingestMetrics(metricsRegistry), redis, scoreQueue, trainQueue, registry, models: ingestModels });
  const server: Server = createServer(app.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  closers.unshift(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await ingestModels.close();
    await Promise.allSettled([scoreQueue.close(), trainQueue.close()]);
    await Promise.all([closeRedis(redis), closeRedis(cacheRedis)]);
  });

  return {
    url: `http://127.0.0.1:${port}`,
    prefix: o.prefix,
    config,
    redis,
    registry,
    ingestModels,
    workers,
    trainer,
    async close() {
      for (const c of closers) await c().catch(() => undefined);
    },
  };
}

/** Poll `probe` until it answers a value (not undefined); throws `what` after `ms`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms: number, everyMs = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
