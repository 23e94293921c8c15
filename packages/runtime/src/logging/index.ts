export { LOG_CENSOR, REDACT_PATHS, createLogger, type Logger, type LoggerOptions } from './logger.ts';
