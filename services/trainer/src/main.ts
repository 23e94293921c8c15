/**
 * Trainer process: reads the environment, opens Redis, starts the train worker and its
 * schedule, and shuts down cleanly on SIGTERM/SIGINT (finishes the run in hand, quits Redis).
 */
import { bootService, closeRedis, onShutdown } from '@logforest/runtime';
import { Redis } from 'ioredis';
import { trainerEnvSchema } from './config.ts';
import { startTrainerService } from './service.ts';

const { config, logger } = bootService('trainer', trainerEnvSchema);
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));

const service = await startTrainerService({ config, redis, logger });
onShutdown(logger, 'trainer', 'finishing the run in hand', async () => {
  await service.close();
  await closeRedis(redis);
});
