/**
 * Import of a scikit-learn IsolationForest exported by `tools/sklearn/export_sklearn.py` in the
 * `sklearn-iforest-dump/1` format (see shared fixtures README). Scores of the imported forest
 * equal scikit-learn's to ≤ 1 ulp and its path-length sums bit for bit, because the leaf values
 * are built from the dump's own c(k) table (numpy's `log`), in scikit-learn's operation order.
 */
import { z } from 'zod';
import { IsolationForest } from './forest.ts';
import { LEAF, UNDEFINED_FEATURE, type ForestArrays } from './arrays.ts';
import { leafPathLength } from './path-length.ts';

/** Dump format identifier this importer reads. */
export const SKLEARN_DUMP_FORMAT = 'sklearn-iforest-dump/1';

const intArray = z.array(z.number().int());
const treeSchema = z.object({
  node_count: z.number().int().min(1),
  max_depth: z.number().int().min(0).optional(),
  feature: intArray,
  threshold: z.array(z.number()),
  children_left: intArray,
  children_right: intArray,
  n_node_samples: z.array(z.number().int().min(1)),
});

/** zod schema of the dump (extra keys such as `env` and `params` are allowed and ignored). */
export const sklearnDumpSchema = z.object({
  format: z.literal(SKLEARN_DUMP_FORMAT),
  n_estimators: z.number().int().min(1),
  max_samples_: z.number().int().min(1),
  offset_: z.number(),
  contamination: z.union([z.literal('auto'), z.number().gt(0).lte(0.5)]),
  n_features_in_: z.number().int().min(1),
  max_features_: z.number().int().min(1),
  subsample_features: z.boolean(),
  estimators_features_: z.array(intArray),
  tree_max_depth_limit: z.number().int().min(0),
  average_path_length_max_samples: z.number().min(0),
  average_path_length_table: z.array(z.number().min(0)),
  trees: z.array(treeSchema).min(1),
});

/** The parsed dump. */
export type SklearnDump = z.infer<typeof sklearnDumpSchema>;

/**
 * Parse and validate a `sklearn-iforest-dump/1` value (e.g. `JSON.parse` of the file) and build
 * the forest. Throws an Error naming the offending key on any inconsistency.
 */
export function importSklearnDump(json: unknown): IsolationForest {
  return IsolationForest.fromArrays(sklearnDumpToArrays(json));
}

/** As `importSklearnDump`, but stop at the plain `ForestArrays`. */
export function sklearnDumpToArrays(json: unknown): ForestArrays {
  const parsed = sklearnDumpSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`not a valid ${SKLEARN_DUMP_FORMAT} dump: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'bad shape'}`);
  }
  const d = parsed.data;
  const fail = (msg: string): never => {
    throw new Error(`invalid ${SKLEARN_DUMP_FORMAT} dump: ${msg}`);
  };
  if (d.trees.length !== d.n_estimators) fail(`${d.trees.length} trees but n_estimators = ${d.n_estimators}`);
  const table = Float64Array.from(d.average_path_length_table);
  if (table.length !== d.max_samples_ + 1) fail(`average_path_length_table has ${table.length} entries, expected max_samples_ + 1`);
  if (d.subsample_features && d.estimators_features_.length !== d.n_estimators) fail('estimators_features_ needs one subset per tree');

  let nNodes = 0;
  for (const t of d.trees) nNodes += t.node_count;
  const a: ForestArrays = {
    nEstimators: d.n_estimators,
    maxSamples: d.max_samples_,
    nFeatures: d.n_features_in_,
    maxDepth: d.tree_max_depth_limit,
    offset: d.offset_,
    contamination: d.contamination,
    averagePathLengthMaxSamples: d.average_path_length_max_samples,
    averagePathLengthTable: table,
    treeOffsets: new Int32Array(d.n_estimators + 1),
    feature: new Int32Array(nNodes),
    threshold: new Float64Array(nNodes),
    left: new Int32Array(nNodes),
    right: new Int32Array(nNodes),
    nNodeSamples: new Int32Array(nNodes),
    leafValue: new Float64Array(nNodes),
  };
  let base = 0;
  d.trees.forEach((tree, t) => {
    const n = tree.node_count;
    for (const k of ['feature', 'threshold', 'children_left', 'children_right', 'n_node_samples'] as const) {
      if (tree[k].length !== n) fail(`trees[${t}].${k} has ${tree[k].length} entries, node_count is ${n}`);
    }
    // With max_features < 1.0 a tree sees X[:, estimators_features_[t]]; map its ids to columns.
    const subset = d.subsample_features ? (d.estimators_features_[t] as number[]) : null;
    a.treeOffsets[t] = base;
    a.left.set(tree.children_left, base);
    a.right.set(tree.children_right, base);
    a.threshold.set(tree.threshold, base);
    a.nNodeSamples.set(tree.n_node_samples, base);
    const depth = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const l = tree.children_left[i] as number;
      const r = tree.children_right[i] as number;
      const f = tree.feature[i] as number;
      if (l === LEAF) {
        a.feature[base + i] = UNDEFINED_FEATURE;
        const ns = tree.n_node_samples[i] as number;
        if (ns > d.max_samples_) fail(`trees[${t}] node ${i}: n_node_samples ${ns} > max_samples_`);
        a.leafValue[base + i] = leafPathLength(depth[i] as number, table[ns] as number);
        continue;
      }
      if (l <= i || r <= i || l >= n || r >= n) fail(`trees[${t}] node ${i}: children ${l}, ${r} out of order or range`);
      let col = f;
      if (subset) {
        if (f < 0 || f >= subset.length) fail(`trees[${t}] node ${i}: feature ${f} outside its feature subset`);
        col = subset[f] as number;
      }
      a.feature[base + i] = col;
      depth[l] = (depth[i] as number) + 1;
      depth[r] = (depth[i] as number) + 1;
    }
    base += n;
  });
  a.treeOffsets[d.n_estimators] = base;
  return a;
}
