/**
 * Variables every logforest process reads. Spread them into a service schema:
 * `z.object({ ...commonEnv, PORT: intVar(5000, …) })`.
 */
import { DEFAULT_PREFIX, zoneOffsetMs } from '@logforest/core';
import { z } from 'zod';
import { redisEnv } from '../redis/env.ts';
import { enumVar, stringVar } from './vars.ts';

/** pino level names accepted by LOG_LEVEL. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const commonEnv = {
  /** REDIS_URL, or REDIS_CLUSTER_NODES for a cluster, with credentials and TLS (see redis/env.ts). */
  ...redisEnv,
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
  /**
   * Time zone (IANA name such as `Europe/Berlin`, or `UTC`) of the servers whose time-only JBoss
   * lines (`HH:mm:ss,SSS`, EAP 6 / console pattern) arrive. It only puts each such line on its
   * day: a time of day more than 5 minutes ahead of that zone's clock at receipt is the day
   * before. Times are still read as written (as UTC), like every time without an offset.
   * @defaultValue `UTC`
   */
  SOURCE_TZ: z
    .string()
    .optional()
    .transform((raw, ctx): string => {
      const tz = raw?.trim() || 'UTC';
      try {
        zoneOffsetMs(tz, 0);
        return tz;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone name such as Europe/Berlin, or UTC' });
        return z.NEVER;
      }
    }),
};
