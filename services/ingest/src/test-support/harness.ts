/**
 * Test harness: a real ingest app on a real Redis (the vitest global one), own key prefix,
 * listening on a random port. Tests talk to it with fetch and read what landed on the queues.
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES, Scorer, encodeModel, scoreJobSchema, trainModel, type ScoreJob } from '@logforest/core';
import { testRedisUrl, uniquePrefix } from '../../../../tests/setup/redis.ts';
import {
  artifactMeta,
  createLogger,
  createMetricsRegistry,
  createModelRegistry,
  ingestMetrics,
  loadConfig,
  registerQueueDepth,
  type ModelRegistry,
} from '@logforest/runtime';
import { createApp, type App } from '../app.ts';
import { ingestEnvSchema, type IngestConfig } from '../config.ts';
import type { AppDeps, ModelSource } from '../context.ts';
import { TRAINING_ERROR, jbossLines } from './lines.ts';

export interface Harness {
  url: string;
  prefix: string;
  config: IngestConfig;
  app: App;
  redis: Redis;
  scoreQueue: Queue;
  trainQueue: Queue;
  registry: ModelRegistry;
  /** Settable model source: assign `scorer` to put a model in service. */
  models: ModelSource & { scorer: Scorer | undefined };
  server: Server;
  /** Every score job on the queue (any state), parsed with the job schema. */
  scoreJobs(): Promise<ScoreJob[]>;
  /** All records of all score jobs, in job order. */
  records(): Promise<ScoreJob['records']>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Redis to use. @defaultValue the vitest global Redis */
  redisUrl?: string;
  /** Replace parts of the app's dependencies (e.g. a failing registry). */
  overrides?: Partial<AppDeps>;
}

export async function startIngest(env: Record<string, string> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const redisUrl = options.redisUrl ?? testRedisUrl();
  const prefix = uniquePrefix('ingest');
  const config = loadConfig(ingestEnvSchema, { REDIS_URL: redisUrl, LOGFOREST_PREFIX: prefix, LOG_LEVEL: 'silent', ...env });
  const logger = createLogger({ name: 'ingest', level: config.LOG_LEVEL });
  const redis = new Redis(config.REDIS_URL, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: config.REDIS_TIMEOUT_MS,
    retryStrategy: (n) => Math.min(50 * n, 500),
  });
  redis.on('error', () => undefined);
  await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
  const scoreQueue = new Queue(QUEUES.score, { connection: redis, prefix });
  const trainQueue = new Queue(QUEUES.train, { connection: redis, prefix });
  scoreQueue.on('error', () => undefined);
  trainQueue.on('error', () => undefined);
  const registry = createModelRegistry({ redis, prefix });
  const models = {
    scorer: undefined as Scorer | undefined,
    current() {
      return this.scorer;
    },
  };
  const metricsRegistry = createMetricsRegistry({ service: 'ingest', processMetrics: false });
  registerQueueDepth(metricsRegistry, [scoreQueue, trainQueue]);
  const app = createApp({ config, logger, metricsRegistry, metrics: ingestMetrics(metricsRegistry), redis, scoreQueue, trainQueue, registry, models, ...options.overrides });
  const server = createServer(app.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  async function scoreJobs(): Promise<ScoreJob[]> {
    const jobs = await scoreQueue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'paused']);
    return jobs.sort((a, b) => a.timestamp - b.timestamp || Number(a.data.receivedAt) - Number(b.data.receivedAt)).map((j) => scoreJobSchema.parse(j.data));
  }

  return {
    url: `http://127.0.0.1:${port}`,
    prefix,
    config,
    app,
    redis,
    scoreQueue,
    trainQueue,
    registry,
    models,
    server,
    scoreJobs,
    async records() {
      return (await scoreJobs()).flatMap((j) => j.records);
    },
    async close() {
      app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (redis.status === 'ready') {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      }
      await Promise.allSettled([scoreQueue.close(), trainQueue.close()]);
      redis.disconnect();
    },
  };
}

/** Train a small model on synthetic lines, store it as `version` and (optionally) activate it. */
export async function storeModel(registry: ModelRegistry, version: string, opts: { activate?: boolean } = {}): Promise<Scorer> {
  const artifact = trainModel([...jbossLines(300), TRAINING_ERROR].map((line) => ({ line })), { version });
  const blob = encodeModel(artifact);
  await registry.store(version, blob, artifactMeta(artifact));
  if (opts.activate ?? true) await registry.activate(version);
  return new Scorer(artifact);
}

/** fetch with a bearer token. */
export function authed(token: string, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } };
}
