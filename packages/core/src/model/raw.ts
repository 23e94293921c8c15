/**
 * Raw-feature models: an Isolation Forest over named numeric columns, with no log parsing in front
 * (a scikit-learn forest fitted on any matrix, imported with `import-sklearn --raw`). The artifact
 * is the usual one with feature set `raw` v1 and the column names; it scores feature matrices
 * (`logforest score-matrix`), never log events, so `decodeModel` refuses it unless asked.
 */
import { z } from 'zod';
import type { ForestArrays } from '../forest/arrays.ts';
import type { ModelArtifact } from './artifact.ts';

export const RAW_FEATURE_SET = 'raw';
export const RAW_FEATURE_SET_VERSION = 1;

/** Column names of a raw model: 1..10,000 distinct, non-blank names of at most 256 characters. */
export const rawColumnsSchema = z
  .array(z.string().min(1).max(256).refine((s) => s.trim() === s && s !== '', 'column names may not be blank or padded'))
  .min(1)
  .max(10_000)
  .refine((cols) => new Set(cols).size === cols.length, 'column names must be distinct');

export function isRawModel(model: Pick<ModelArtifact, 'featureSet'>): boolean {
  return model.featureSet.name === RAW_FEATURE_SET;
}

/** Validate raw columns against the forest width; returns an error sentence or ''. */
export function rawModelProblem(model: ModelArtifact, nFeatures: number): string {
  if (model.featureSet.version !== RAW_FEATURE_SET_VERSION) return `raw feature set version ${model.featureSet.version} is not supported (this build has ${RAW_FEATURE_SET_VERSION})`;
  const cols = rawColumnsSchema.safeParse(model.featureSet.columns);
  if (!cols.success) return `raw model columns: ${cols.error.issues[0]?.message ?? 'invalid'}`;
  if (cols.data.length !== nFeatures) return `raw model names ${cols.data.length} columns but its forest has ${nFeatures} features`;
  return '';
}

/** The artifact of a raw-feature model around `forest`. */
export function rawModel(forest: ForestArrays, columns: string[], opts: { version?: string; createdAt?: string } = {}): ModelArtifact {
  const cols = rawColumnsSchema.parse(columns);
  if (cols.length !== forest.nFeatures) throw new Error(`${cols.length} column names for a forest of ${forest.nFeatures} features`);
  const zero = { p50: 0, p90: 0, p99: 0, max: 0, mean: 0, flagRate: 0 };
  return {
    format: 'logforest-model',
    version: opts.version ?? 'sklearn',
    createdAt: opts.createdAt ?? new Date().toISOString(),
    featureSet: { name: RAW_FEATURE_SET, version: RAW_FEATURE_SET_VERSION, columns: cols },
    contamination: forest.contamination,
    threshold: -forest.offset,
    miner: null,
    vocabulary: { total: 0, templates: [], components: [] },
    forest: forest as unknown as ModelArtifact['forest'],
    training: { events: 0, fitMs: 0, templates: 0, scores: zero },
  };
}
