/**
 * Score worker process: reads the environment, opens Redis, starts the worker, and shuts down
 * cleanly on SIGTERM/SIGINT (finishes the batches in hand, closes the worker, quits Redis).
 */
import { ConfigError, createLogger, loadConfig, loadEnvFile } from '@logforest/runtime';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { workerEnvSchema } from './config.ts';
import { startWorkerService } from './service.ts';

loadEnvFile();
const config = (() => {
  try {
    return loadConfig(workerEnvSchema);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    createLogger({ name: 'worker', destination: pino.destination({ fd: 2, sync: true }) }).fatal(err.message);
    process.exit(2);
  }
})();
const logger = createLogger({ name: 'worker', level: config.LOG_LEVEL });
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));

const service = await startWorkerService({ config, redis, logger });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) {
    logger.warn({ signal }, 'second signal; exiting now');
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal }, 'shutting down: finishing batches in hand');
  try {
    await service.close();
    await redis.quit();
    logger.info('worker stopped');
  } catch (err) {
    logger.error({ err }, 'unclean shutdown');
    process.exitCode = 1;
  }
  logger.flush();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
