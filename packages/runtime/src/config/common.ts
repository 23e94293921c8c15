/**
 * Variables every logforest process reads. Spread them into a service schema:
 * `z.object({ ...commonEnv, PORT: intVar(5000, …) })`.
 */
import { DEFAULT_PREFIX } from '@logforest/core';
import { enumVar, stringVar, urlVar } from './vars.ts';

/** pino level names accepted by LOG_LEVEL. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const commonEnv = {
  /**
   * Redis connection URL, `redis://[user:password@]host:port[/db]` or `rediss://` for TLS.
   * @defaultValue `redis://127.0.0.1:6379`
   */
  REDIS_URL: urlVar('redis://127.0.0.1:6379', ['redis:', 'rediss:']),
  /**
   * Prefix of every Redis key and BullMQ queue. Must start with a `{…}` hash tag so all keys of
   * one deployment share a Redis Cluster slot. Two deployments on one Redis use two prefixes.
   * @defaultValue `{logforest}`
   */
  LOGFOREST_PREFIX: stringVar(DEFAULT_PREFIX, {
    pattern: /^\{[^{}\s]+\}[^{}\s]*$/,
    rule: 'must start with a Redis Cluster hash tag in braces, e.g. {logforest} or {logforest}:staging',
  }),
  /**
   * Minimum level written to the log (JSON lines on stdout).
   * @defaultValue `info`
   */
  LOG_LEVEL: enumVar(LOG_LEVELS, 'info'),
};
