/**
 * Wires the score worker: model cache, result writer (with the alert outbox when
 * ALERT_WEBHOOK_URL is set), the alert drainer, cold start, processor, and the BullMQ Worker on
 * the `score` queue. main.ts reads the environment and calls this; tests call
 * it directly with their own Redis and prefix.
 */
import { QUEUES } from '@logforest/core';
import {
  createMetricsRegistry,
  createModelCache,
  createResultWriter,
  registerModelGauge,
  startAlertDrainer,
  workerMetrics,
  type AlertDrainer,
  type ModelCache,
} from '@logforest/runtime';
import { Queue, Worker } from 'bullmq';
import type { RedisClient } from '@logforest/runtime';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createColdStart } from './cold-start.ts';
import type { WorkerConfig } from './config.ts';
import { serveMetrics } from './metrics-server.ts';
import { createScoreProcessor } from './processor.ts';

export interface WorkerServiceDeps {
  config: WorkerConfig;
  /** Connection with `maxRetriesPerRequest: null` (BullMQ workers wait out Redis outages). */
  redis: RedisClient;
  logger: Logger;
}

export interface WorkerService {
  worker: Worker;
  cache: ModelCache;
  metrics: Registry;
  /** The alert drainer, when ALERT_WEBHOOK_URL is set. */
  alerts: AlertDrainer | undefined;
  /** Finish the batches in hand, stop taking new ones, release everything but `redis`. */
  close(): Promise<void>;
}

export async function startWorkerService({ config, redis, logger }: WorkerServiceDeps): Promise<WorkerService> {
  const prefix = config.LOGFOREST_PREFIX;
  const registry = createMetricsRegistry({ service: 'worker' });
  const metrics = workerMetrics(registry);
  const scoreQueue = new Queue(QUEUES.score, { connection: redis, prefix });
  const trainQueue = new Queue(QUEUES.train, { connection: redis, prefix });

  const cache = await createModelCache({
    redis,
    prefix,
    logger,
    pollIntervalMs: config.MODEL_POLL_INTERVAL_MS,
    onRefuse: () => metrics.modelSwaps.inc({ outcome: 'refused' }),
  });
  registerModelGauge(registry, () => cache.version);
  cache.onSwap((_scorer, previous) => {
    metrics.modelSwaps.inc({ outcome: 'ok' });
    // First model after a cold start: bring parked batches back now rather than at their delay.
    if (previous === undefined) scoreQueue.promoteJobs().catch((err: unknown) => logger.warn({ err }, 'could not promote parked batches'));
  });
  const writer = createResultWriter({
    redis,
    prefix,
    anomalyMaxLen: config.ANOMALY_STREAM_MAXLEN,
    sampleMaxLen: config.SAMPLE_STREAM_MAXLEN,
    sample: { rate: config.SAMPLE_RATE, maxPerBatch: config.SAMPLE_MAX_PER_BATCH },
    markerTtlSeconds: config.BATCH_MARKER_TTL_S,
    ...(config.ALERT_WEBHOOK_URL
      ? { alerts: { dedupWindowMs: config.ALERT_DEDUP_WINDOW, maxPerMinute: config.ALERT_MAX_PER_MINUTE, maxLen: config.ALERT_OUTBOX_MAXLEN } }
      : {}),
  });
  // The drainer blocks on its connection (XREADGROUP BLOCK): a duplicate of the service's.
  const alerts = config.ALERT_WEBHOOK_URL
    ? await startAlertDrainer({
        redis: redis.duplicate(),
        prefix,
        format: config.ALERT_FORMAT,
        url: config.ALERT_WEBHOOK_URL,
        consoleUrl: config.CONSOLE_URL,
        logger,
        metrics,
        timeoutMs: config.ALERT_WEBHOOK_TIMEOUT_MS,
        retryBaseMs: config.ALERT_RETRY_BASE,
        retryMaxMs: config.ALERT_RETRY_MAX,
        giveUpAfterMs: config.ALERT_GIVE_UP_AFTER,
        claimIdleMs: config.ALERT_CLAIM_IDLE,
        resolveAfterMs: Math.max(config.ALERT_DEDUP_WINDOW, 5 * 60_000),
      })
    : undefined;
  const coldStart = createColdStart({
    writer,
    trainQueue,
    logger,
    minEvents: config.TRAIN_MIN_EVENTS,
    retryMs: config.COLD_START_RETRY_MS,
  });
  const processor = createScoreProcessor({ cache, writer, coldStart, logger, metrics, sourceTimeZone: config.SOURCE_TZ });

  const worker = new Worker(QUEUES.score, processor, {
    connection: redis,
    prefix,
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: config.WORKER_LOCK_DURATION_MS,
    stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: config.WORKER_MAX_STALLED_COUNT,
  });
  worker.on('failed', (job, err) => {
    if (err.name === 'DelayedError') return;
    metrics.batches.inc({ outcome: 'error' });
    logger.error({ jobId: job?.id, attemptsMade: job?.attemptsMade, err }, 'score job failed');
  });
  worker.on('stalled', (jobId) => logger.warn({ jobId }, 'score job stalled (its worker died?); it will be redone'));
  worker.on('error', (err) => logger.error({ err }, 'worker error'));

  let server: Server | undefined;
  if (config.METRICS_PORT !== undefined) server = await serveMetrics(registry, config.METRICS_PORT);
  logger.info(
    {
      queue: QUEUES.score,
      concurrency: config.WORKER_CONCURRENCY,
      model: cache.version ?? null,
      metricsPort: config.METRICS_PORT ?? null,
      alerts: config.ALERT_WEBHOOK_URL ? config.ALERT_FORMAT : null,
    },
    'worker started',
  );

  return {
    worker,
    cache,
    metrics: registry,
    alerts,
    async close() {
      await worker.close();
      await cache.close();
      await alerts?.close();
      await Promise.all([scoreQueue.close(), trainQueue.close()]);
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    },
  };
}
