export * from './batch-writer/index.ts';
export * from './counters/index.ts';
export * from './redis-stream/index.ts';
export * from './sample/index.ts';
export * from './alerts/index.ts';
