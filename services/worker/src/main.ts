/**
 * Score worker process: reads the environment, opens Redis, starts the worker, and shuts down
 * cleanly on SIGTERM/SIGINT (finishes the batches in hand, closes the worker, quits Redis).
 */
import { bootService, closeRedis, onShutdown } from '@logforest/runtime';
import { Redis } from 'ioredis';
import { workerEnvSchema } from './config.ts';
import { startWorkerService } from './service.ts';

const { config, logger } = bootService('worker', workerEnvSchema);
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));

const service = await startWorkerService({ config, redis, logger });
onShutdown(logger, 'worker', 'finishing batches in hand', async () => {
  await service.close();
  await closeRedis(redis);
});
