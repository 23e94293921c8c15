/**
 * @logforest/core — everything logforest shares that is not I/O.
 * Data flow: formats (shipper bodies → LogRecord) → parse (join + parse → ParsedEvent)
 * → templates → features → forest → pipeline (Scorer / trainModel) → model artifact.
 */
export * from './types.ts';
export * from './verdict-schema.ts';
export * from './formats/index.ts';
export * from './parse/index.ts';
export * from './templates/index.ts';
export * from './features/index.ts';
export * from './forest/index.ts';
export * from './model/index.ts';
export * from './pipeline/index.ts';
export * from './eval/index.ts';
export * from './signature/index.ts';
export * from './history/index.ts';
export * from './queue/index.ts';
export * from './forward/index.ts';
