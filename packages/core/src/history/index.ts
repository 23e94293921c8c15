/** Familiarity history: bounded, mergeable counts of templates and signatures, overall and per entity. */
export * from './sketch.ts';
export * from './history.ts';
