export * from './keys.ts';
export * from './payload.ts';
