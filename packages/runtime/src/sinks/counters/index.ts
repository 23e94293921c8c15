export * from './counters.ts';
