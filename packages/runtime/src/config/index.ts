export { ConfigError, loadConfig, loadEnvFile, type ConfigIssue, type Env } from './load.ts';
export { REDACTED, isSecretName, redactConfig, redactUrl } from './redact.ts';
export { boolVar, bytesVar, durationVar, enumVar, fractionVar, intVar, listVar, stringVar, urlVar } from './vars.ts';
export { LOG_LEVELS, commonEnv, type LogLevel } from './common.ts';
