export * from './artifact.ts';
export * from './codec.ts';
export * from './raw.ts';
