/**
 * @logforest/runtime — the I/O side the services share: configuration, logging, metrics,
 * Redis connections (one Redis or a Cluster), the Redis model registry, the hot-swapping model cache and the result sinks.
 */
export * from './config/index.ts';
export * from './logging/index.ts';
export * from './metrics/index.ts';
export * from './registry/index.ts';
export * from './model-cache/index.ts';
export * from './sinks/index.ts';
export * from './process/index.ts';
export * from './redis/index.ts';
