/**
 * Wires the trainer: registry, sample reader, the `train` BullMQ Worker (concurrency 1) and the
 * retraining schedule. main.ts reads the environment and calls this; tests call it directly.
 */
import { keys, QUEUES } from '@logforest/core';
import { createMetricsRegistry, createModelRegistry, readSample, registerModelGauge, trainerMetrics, type ModelRegistry } from '@logforest/runtime';
import { Queue, Worker } from 'bullmq';
import type { RedisClient } from '@logforest/runtime';
import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { TrainerConfig } from './config.ts';
import { applySchedule } from './schedule.ts';
import { createTrainProcessor } from './train-run.ts';

export interface TrainerServiceDeps {
  config: TrainerConfig;
  /** Connection with `maxRetriesPerRequest: null`. */
  redis: RedisClient;
  logger: Logger;
}

export interface TrainerService {
  worker: Worker;
  queue: Queue;
  registry: ModelRegistry;
  metrics: Registry;
  /** Finish the run in hand, stop taking jobs, release everything but `redis`. */
  close(): Promise<void>;
}

export async function startTrainerService({ config, redis, logger }: TrainerServiceDeps): Promise<TrainerService> {
  const prefix = config.LOGFOREST_PREFIX;
  const k = keys(prefix);
  const metricsRegistry = createMetricsRegistry({ service: 'trainer' });
  const registry = createModelRegistry({ redis, prefix, retain: config.MODEL_RETAIN, logger });
  registerModelGauge(metricsRegistry, async () => (await registry.activeVersion()) ?? undefined);
  const queue = new Queue(QUEUES.train, { connection: redis, prefix });
  const processor = createTrainProcessor({
    registry,
    readSample: (max) => readSample(redis, k.sample, max),
    logger,
    metrics: trainerMetrics(metricsRegistry),
    minEvents: config.TRAIN_MIN_EVENTS,
    maxEvents: config.TRAIN_MAX_EVENTS,
    holdoutFraction: config.TRAIN_HOLDOUT_FRACTION,
    contamination: config.CONTAMINATION,
    featureSet: config.FEATURE_SET,
    sourceTimeZone: config.SOURCE_TZ,
  });
  const worker = new Worker(QUEUES.train, processor, {
    connection: redis,
    prefix,
    concurrency: 1,
    lockDuration: config.TRAINER_LOCK_DURATION_MS,
    stalledInterval: config.TRAINER_STALLED_INTERVAL_MS,
    maxStalledCount: 1,
  });
  worker.on('stalled', (jobId) => logger.warn({ jobId }, 'training job stalled (its trainer died?); it will be redone'));
  worker.on('error', (err) => logger.error({ err }, 'trainer worker error'));

  const schedule = await applySchedule(queue, { cron: config.TRAIN_CRON, everyMs: config.TRAIN_INTERVAL_MS });
  let server: Server | undefined;
  if (config.METRICS_PORT !== undefined) {
    const srv = createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/metrics') return void res.writeHead(404).end();
      metricsRegistry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(body),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => srv.once('error', reject).listen(config.METRICS_PORT, () => resolve()));
    server = srv;
  }
  logger.info({ queue: QUEUES.train, schedule: schedule ?? null, active: (await registry.activeVersion()) ?? null }, 'trainer started');

  return {
    worker,
    queue,
    registry,
    metrics: metricsRegistry,
    async close() {
      await worker.close();
      await queue.close();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    },
  };
}
