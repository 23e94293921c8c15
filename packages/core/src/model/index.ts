export * from './artifact.ts';
export * from './codec.ts';
