/**
 * What the app is built from (`createApp(deps)`), and what every route group receives.
 */
import type { Queue } from 'bullmq';
import type { RedisClient } from '@logforest/runtime';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Keys, Scorer } from '@logforest/core';
import type { IngestMetrics, ModelRegistry } from '@logforest/runtime';
import type { IngestConfig } from './config.ts';
import type { Enqueuer } from './enqueue/enqueuer.ts';

/** The Scorer in service (a runtime ModelCache satisfies it). */
export interface ModelSource {
  current(): Scorer | undefined;
}

export interface AppDeps {
  config: IngestConfig;
  logger: Logger;
  /** Registry served by GET /metrics. */
  metricsRegistry: Registry;
  metrics: IngestMetrics;
  /** Fail-fast connection (no offline queue): readiness ping, anomalies stream. */
  redis: RedisClient;
  /** BullMQ `score` queue (producer side). */
  scoreQueue: Queue;
  /** BullMQ `train` queue (producer side). */
  trainQueue: Queue;
  registry: ModelRegistry;
  models: ModelSource;
  /** Clock, epoch ms. @defaultValue Date.now */
  now?: () => number;
}

export interface RouteContext extends AppDeps {
  enqueuer: Enqueuer;
  keys: Keys;
  now: () => number;
}
