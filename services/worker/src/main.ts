/**
 * Score worker process: reads the environment, opens Redis (one or a Cluster), starts the worker, and shuts down
 * cleanly on SIGTERM/SIGINT (finishes the batches in hand, closes the worker, quits Redis).
 */
import { setFlagsFromString } from 'node:v8';
import { bootService, closeRedis, connectRedis, describeRedis, onShutdown } from '@logforest/runtime';
import { workerEnvSchema } from './config.ts';
import { startWorkerService } from './service.ts';

const { config, logger } = bootService('worker', workerEnvSchema);
// Before the first batch: the heap limit after each full GC is computed from this flag (config.ts).
if (config.WORKER_HEAP_GROWING_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${config.WORKER_HEAP_GROWING_PERCENT}`);
const redis = connectRedis(config, { name: 'logforest-worker' });
logger.info({ redis: describeRedis(config) }, 'connecting to Redis');
redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));

const service = await startWorkerService({ config, redis, logger });
onShutdown(logger, 'worker', 'finishing batches in hand', async () => {
  await service.close();
  await closeRedis(redis);
});
