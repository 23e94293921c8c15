/**
 * Export of a forest (native fit or imported) as a `sklearn-iforest-dump/1` value, the format
 * `importSklearnDump` and `tools/sklearn` read. Every tree sees all columns (`subsample_features`
 * false): an imported forest with `max_features < 1.0` already had its per-tree feature ids mapped
 * to input columns, which scores identically. Thresholds, children and node sample counts are
 * written as stored, so scikit-learn's traversal (`float32(x) <= threshold`, float64 compare) and
 * its leaf correction c(n_node_samples) reproduce the scores; `average_path_length_table` is this
 * forest's own c(k) table, so re-importing the dump gives back identical arrays.
 */
import { LEAF, type ForestArrays } from './arrays.ts';
import { SKLEARN_DUMP_FORMAT, type SklearnDump } from './sklearn.ts';

export interface SklearnExportMeta {
  /** Column names, stored as `columns` (the loader sets them as `feature_names_in_`). */
  columns?: string[];
  /** Anything worth keeping for the record (model version, feature set). */
  logforest?: Record<string, unknown>;
}

type DumpTree = SklearnDump['trees'][number];

function exportTree(a: ForestArrays, t: number): DumpTree {
  const base = a.treeOffsets[t] as number;
  const n = (a.treeOffsets[t + 1] as number) - base;
  const feature = new Array<number>(n);
  const threshold = new Array<number>(n);
  const left = new Array<number>(n);
  const right = new Array<number>(n);
  const samples = new Array<number>(n);
  const depth = new Int32Array(n);
  let maxDepth = 0;
  for (let i = 0; i < n; i++) {
    const g = base + i;
    const l = a.left[g] as number;
    samples[i] = a.nNodeSamples[g] as number;
    if (l === LEAF) {
      feature[i] = -2;
      threshold[i] = -2;
      left[i] = right[i] = -1;
      if ((depth[i] as number) > maxDepth) maxDepth = depth[i] as number;
      continue;
    }
    const r = a.right[g] as number;
    feature[i] = a.feature[g] as number;
    threshold[i] = a.threshold[g] as number;
    left[i] = l;
    right[i] = r;
    depth[l] = depth[r] = (depth[i] as number) + 1;
  }
  return { node_count: n, max_depth: maxDepth, feature, threshold, children_left: left, children_right: right, n_node_samples: samples };
}

/** The forest as a scikit-learn dump (a JSON-ready object). */
export function forestToSklearnDump(a: ForestArrays, meta: SklearnExportMeta = {}): SklearnDump & Record<string, unknown> {
  if (meta.columns && meta.columns.length !== a.nFeatures) throw new Error(`${meta.columns.length} column names for a forest of ${a.nFeatures} features`);
  const identity = Array.from({ length: a.nFeatures }, (_, i) => i);
  return {
    format: SKLEARN_DUMP_FORMAT,
    ...(meta.logforest ? { logforest: meta.logforest } : {}),
    n_estimators: a.nEstimators,
    max_samples_: a.maxSamples,
    offset_: a.offset,
    contamination: a.contamination,
    n_features_in_: a.nFeatures,
    max_features_: a.nFeatures,
    subsample_features: false,
    estimators_features_: Array.from({ length: a.nEstimators }, () => identity),
    tree_max_depth_limit: a.maxDepth,
    leaf_marker: -1,
    undefined_feature: -2,
    average_path_length_max_samples: a.averagePathLengthMaxSamples,
    average_path_length_table: Array.from(a.averagePathLengthTable),
    trees: Array.from({ length: a.nEstimators }, (_, t) => exportTree(a, t)),
    ...(meta.columns ? { columns: meta.columns } : {}),
  };
}
