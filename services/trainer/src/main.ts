/**
 * Trainer process: reads the environment, opens Redis (one or a Cluster), starts the train worker and its
 * schedule, and shuts down cleanly on SIGTERM/SIGINT (finishes the run in hand, quits Redis).
 */
import { bootService, closeRedis, connectRedis, describeRedis, onShutdown } from '@logforest/runtime';
import { trainerEnvSchema } from './config.ts';
import { startTrainerService } from './service.ts';

const { config, logger } = bootService('trainer', trainerEnvSchema);
const redis = connectRedis(config, { name: 'logforest-trainer' });
logger.info({ redis: describeRedis(config) }, 'connecting to Redis');
redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));

const service = await startTrainerService({ config, redis, logger });
onShutdown(logger, 'trainer', 'finishing the run in hand', async () => {
  await service.close();
  await closeRedis(redis);
});
