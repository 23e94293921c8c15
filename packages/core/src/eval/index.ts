export * from './metrics.ts';
export * from './ranking.ts';
