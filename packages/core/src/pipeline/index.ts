export * from './featurize.ts';
export * from './novelty.ts';
export * from './scorer.ts';
export * from './summary.ts';
export * from './train.ts';
export * from './validate.ts';
export { incidentPrior } from './prior.ts';
