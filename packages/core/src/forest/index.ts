/** Isolation Forest: fit, score, explain, scikit-learn import, plain-array (de)serialisation. */
export { IsolationForest, type FitOptions } from './forest.ts';
export { type ForestArrays, forestArraysSchema, checkForestArrays, LEAF, UNDEFINED_FEATURE } from './arrays.ts';
export { forestToSklearnDump, type SklearnExportMeta } from './sklearn-export.ts';
export { importSklearnDump, sklearnDumpToArrays, sklearnDumpSchema, SKLEARN_DUMP_FORMAT, type SklearnDump } from './sklearn.ts';
export { averagePathLength, averagePathLengthTable } from './path-length.ts';
export { percentileLinear } from './offset.ts';
