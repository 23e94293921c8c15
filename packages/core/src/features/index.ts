export * from './sets.ts';
export * from './vocabulary.ts';
