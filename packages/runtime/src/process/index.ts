/**
 * The start-up and shutdown every service process shares: `.env` → validated config (a bad
 * value stops the process with one message naming each variable, exit 2) → logger; and one
 * SIGTERM/SIGINT handler that runs the service's close steps once (a second signal exits now).
 */
import { pino, type Logger } from 'pino';
import type { z } from 'zod';
import { ConfigError, loadConfig, loadEnvFile } from '../config/index.ts';
import type { LogLevel } from '../config/common.ts';
import { createLogger } from '../logging/index.ts';

export interface Booted<C> {
  config: C;
  logger: Logger;
  /** Absolute path of the `.env` file that was read, if any. */
  envFile: string | undefined;
}

export function bootService<S extends z.ZodType>(name: string, schema: S): Booted<z.output<S> & { LOG_LEVEL: LogLevel }> {
  const envFile = loadEnvFile();
  let config: z.output<S> & { LOG_LEVEL: LogLevel };
  try {
    config = loadConfig(schema) as z.output<S> & { LOG_LEVEL: LogLevel };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    createLogger({ name, destination: pino.destination({ fd: 2, sync: true }) }).fatal(err.message);
    process.exit(2);
  }
  const logger = createLogger({ name, level: config.LOG_LEVEL });
  return { config, logger, envFile };
}

/** Close a Redis connection: QUIT when connected, drop it otherwise (QUIT would wait for a Redis that is away). */
export async function closeRedis(redis: { status: string; quit(): Promise<unknown>; disconnect(): void }): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}

/**
 * On SIGTERM/SIGINT: log, run `close` (finish work in hand, close queues and connections),
 * exit code 1 if it throws. A second signal exits at once, and so does a close that has not
 * finished after `deadlineMs` (e.g. a queue waiting for a Redis that is away).
 */
export function onShutdown(logger: Logger, service: string, what: string, close: () => Promise<void>, deadlineMs = 30_000): void {
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      logger.warn({ signal }, 'second signal; exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, `shutting down: ${what}`);
    setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown did not finish in time; exiting');
      logger.flush();
      process.exit(1);
    }, deadlineMs).unref();
    try {
      await close();
      logger.info(`${service} stopped`);
    } catch (err) {
      logger.error({ err }, 'unclean shutdown');
      process.exitCode = 1;
    }
    logger.flush();
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
export { redisPingOnce } from './healthcheck.ts';
