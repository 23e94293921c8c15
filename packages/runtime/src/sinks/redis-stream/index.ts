export * from './anomalies.ts';
