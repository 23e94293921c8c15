/**
 * The pino logger every service uses: JSON lines on stdout, secrets redacted.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/common.ts';

export type { Logger } from 'pino';

/** Value written in place of a redacted field. */
export const LOG_CENSOR = '[redacted]';

/**
 * Paths whose values never reach the log: credentials in request headers (as pino-http and our
 * own request logs put them), and token/password fields at the top level or one level down.
 */
export const REDACT_PATHS: readonly string[] = [
  'authorization',
  'Authorization',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'request.headers.authorization',
  'request.headers["x-api-key"]',
  'token',
  'password',
  'apiKey',
  'api_key',
  '*.token',
  '*.password',
  '*.apiKey',
  '*.api_key',
  '*.ADMIN_TOKEN',
  '*.INGEST_TOKENS',
  'ADMIN_TOKEN',
  'INGEST_TOKENS',
];

export interface LoggerOptions {
  /** Service name, written as `service` on every line. */
  name: string;
  /** Minimum level. @defaultValue `info` */
  level?: LogLevel;
  /** Extra paths to redact (pino path syntax). */
  redact?: readonly string[];
  /** Where lines go. @defaultValue stdout */
  destination?: DestinationStream;
}

/** Create the service logger. Child loggers (`logger.child({ component })`) inherit redaction. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACT_PATHS, ...(options.redact ?? [])], censor: LOG_CENSOR },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
