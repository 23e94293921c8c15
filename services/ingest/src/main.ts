/**
 * Ingest process: environment → Redis (one or a Cluster: connectRedis) → queues → model cache →
 * listen; SIGTERM/SIGINT drain (stop accepting, finish in-flight requests, close queues and Redis).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Queue } from 'bullmq';
import { QUEUES } from '@logforest/core';
import {
  bootService,
  createMetricsRegistry,
  createModelCache,
  createModelRegistry,
  ingestMetrics,
  closeRedis,
  connectRedis,
  describeRedis,
  onShutdown,
  redactConfig,
  redisReady,
  registerFlowMetrics,
  registerModelGauge,
  registerQueueDepth,
} from '@logforest/runtime';
import { createApp } from './app.ts';
import { ingestEnvSchema } from './config.ts';
import { startForwardInput, type ForwardInput } from './forward/server.ts';

const { config, logger, envFile } = bootService('ingest', ingestEnvSchema);
logger.info({ config: redactConfig(config), envFile: envFile ?? null }, 'starting ingest');

// Producer connection: fail fast (no offline queue, bounded command time) so a Redis outage is a quick 503.
const redis = connectRedis(config, { name: 'logforest-ingest', failFast: { commandTimeoutMs: config.REDIS_TIMEOUT_MS } });
redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
await redisReady(redis, () => logger.warn({ redis: describeRedis(config) }, 'still waiting for Redis'));
logger.info('redis ready');

const queueOpts = { connection: redis, prefix: config.LOGFOREST_PREFIX };
const scoreQueue = new Queue(QUEUES.score, queueOpts);
const trainQueue = new Queue(QUEUES.train, queueOpts);
for (const q of [scoreQueue, trainQueue]) q.on('error', (err) => logger.warn({ err: err.message, queue: q.name }, 'queue error'));

// The model cache reads and subscribes on its own connection, which may queue while Redis is away.
const cacheRedis = connectRedis(config, { name: 'logforest-ingest-models' });
cacheRedis.on('error', (err) => logger.warn({ err: err.message }, 'redis (model cache) connection error'));
const models = await createModelCache({ redis: cacheRedis, prefix: config.LOGFOREST_PREFIX, logger });
const registry = createModelRegistry({ redis, prefix: config.LOGFOREST_PREFIX, logger });

const metricsRegistry = createMetricsRegistry({ service: 'ingest' });
registerQueueDepth(metricsRegistry, [scoreQueue, trainQueue]);
registerFlowMetrics(metricsRegistry, { redis, prefix: config.LOGFOREST_PREFIX });
registerModelGauge(metricsRegistry, () => models.version);
const app = createApp({ config, logger, metricsRegistry, metrics: ingestMetrics(metricsRegistry), redis, scoreQueue, trainQueue, registry, models });
if (app.auth.open) logger.warn('no INGEST_TOKENS or ADMIN_TOKEN configured: every route, admin ones included, is open');
else if (!config.ADMIN_TOKEN) logger.warn('ADMIN_TOKEN is not configured: admin routes (retrain, activate) refuse every caller');

const server = createServer(app.handler);
server.keepAliveTimeout = 65_000; // longer than common load-balancer idle timeouts
server.headersTimeout = 66_000;
server.on('error', (err) => {
  logger.fatal({ err }, 'HTTP server error');
  logger.flush(() => process.exit(1));
});
server.listen(config.PORT, config.HOST, () => {
  const addr = server.address();
  logger.info({ address: addr, model: models.version ?? null, esPrefix: config.ES_PATH_PREFIX ?? '/' }, 'ingest listening');
});

// The Fluentd forward input ends in the same enqueuer as the HTTP routes (one admission rule).
let forward: ForwardInput | undefined;
if (config.FORWARD_PORT > 0) {
  let tls: { cert: Buffer; key: Buffer } | undefined;
  if (config.FORWARD_TLS_CERT && config.FORWARD_TLS_KEY) {
    try {
      tls = { cert: readFileSync(config.FORWARD_TLS_CERT), key: readFileSync(config.FORWARD_TLS_KEY) };
    } catch (err) {
      logger.fatal({ err: (err as Error).message }, 'cannot read FORWARD_TLS_CERT / FORWARD_TLS_KEY');
      logger.flush(() => process.exit(1));
      await new Promise(() => undefined);
    }
  }
  try {
    forward = await startForwardInput({ config, logger, metrics: app.context.metrics, enqueuer: app.context.enqueuer, tls });
  } catch (err) {
    logger.fatal({ err: (err as Error).message, port: config.FORWARD_PORT }, 'forward input cannot listen (FORWARD_PORT=0 turns it off)');
    logger.flush(() => process.exit(1));
    await new Promise(() => undefined);
  }
}

onShutdown(logger, 'ingest', 'no new connections, finishing requests in flight', async () => {
  const force = setTimeout(() => {
    logger.warn('requests still in flight after SHUTDOWN_TIMEOUT_MS; closing connections');
    server.closeAllConnections();
  }, config.SHUTDOWN_TIMEOUT_MS);
  force.unref();
  await forward?.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  clearTimeout(force);
  app.close();
  await models.close();
  await Promise.all([scoreQueue.close(), trainQueue.close()]);
  await Promise.all([closeRedis(redis), closeRedis(cacheRedis)]);
}, config.SHUTDOWN_TIMEOUT_MS + 5_000);
