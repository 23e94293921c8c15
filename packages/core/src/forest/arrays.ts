/**
 * `ForestArrays`: a fitted Isolation Forest as plain data (typed arrays and numbers), the form
 * the model-artifact codec stores and `IsolationForest.fromArrays` loads. Node arrays are the
 * concatenation of all trees; tree `t` owns nodes `treeOffsets[t] .. treeOffsets[t+1]-1`, and
 * node ids inside a tree (children, leaf ids) are tree-local, as in scikit-learn (root = 0).
 */
import { z } from 'zod';

/** Marker in `left` / `right` for a leaf (scikit-learn's `TREE_LEAF`). */
export const LEAF = -1;
/** Marker in `feature` for a leaf (scikit-learn's `TREE_UNDEFINED`). */
export const UNDEFINED_FEATURE = -2;

/** A fitted forest as plain typed arrays and scalars. */
export interface ForestArrays {
  /** Number of trees. */
  nEstimators: number;
  /** Sub-sample size each tree was grown on (scikit-learn's `max_samples_`). */
  maxSamples: number;
  /** Number of input columns (scikit-learn's `n_features_in_`). Every feature id is below it. */
  nFeatures: number;
  /** Depth limit used at fit; informational (scoring follows the stored nodes). */
  maxDepth: number;
  /** Subtracted from `scoreSamples` to give `decisionFunction` (scikit-learn's `offset_`). */
  offset: number;
  /** Contamination the offset was derived from: a fraction in (0, 0.5], or 'auto' (offset -0.5). */
  contamination: number | 'auto';
  /** c(maxSamples); the score denominator is `nEstimators * averagePathLengthMaxSamples`. */
  averagePathLengthMaxSamples: number;
  /** c(k) for k = 0..maxSamples, as used for the leaf values (numpy's for an imported forest). */
  averagePathLengthTable: Float64Array;
  /** Length nEstimators + 1: first node of each tree, then the total node count. */
  treeOffsets: Int32Array;
  /** Split feature per node (a column index below nFeatures); `UNDEFINED_FEATURE` (-2) at leaves. */
  feature: Int32Array;
  /** Split threshold per node, float64; a row goes left when `fround(x[feature]) <= threshold`. -2 at leaves. */
  threshold: Float64Array;
  /** Tree-local id of the left child; `LEAF` (-1) at leaves. */
  left: Int32Array;
  /** Tree-local id of the right child; `LEAF` (-1) at leaves. */
  right: Int32Array;
  /** Training (in-bag) samples that reached the node; the root holds maxSamples. */
  nNodeSamples: Int32Array;
  /** At leaves `((depth + 1) + c(nNodeSamples)) - 1.0`, the path length credited to a row; 0 elsewhere. */
  leafValue: Float64Array;
}

const int = z.number().int();

/** Shape check (types and scalar ranges) for `ForestArrays`; `checkForestArrays` checks the trees. */
export const forestArraysSchema = z
  .object({
    nEstimators: int.min(1),
    maxSamples: int.min(1),
    nFeatures: int.min(1),
    maxDepth: int.min(0),
    offset: z.number().finite(),
    contamination: z.union([z.literal('auto'), z.number().gt(0).lte(0.5)]),
    averagePathLengthMaxSamples: z.number().finite().min(0),
    averagePathLengthTable: z.instanceof(Float64Array),
    treeOffsets: z.instanceof(Int32Array),
    feature: z.instanceof(Int32Array),
    threshold: z.instanceof(Float64Array),
    left: z.instanceof(Int32Array),
    right: z.instanceof(Int32Array),
    nNodeSamples: z.instanceof(Int32Array),
    leafValue: z.instanceof(Float64Array),
  })
  .strict();

/**
 * Validate a `ForestArrays`-shaped value: zod shape, then the tree structure (array lengths,
 * child ids in range and pointing forward, leaves marked consistently, every non-root node
 * reached exactly once, feature ids below nFeatures, finite values). Throws an Error naming the
 * first problem; returns the value typed.
 */
export function checkForestArrays(value: unknown): ForestArrays {
  const parsed = forestArraysSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid forest arrays: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'bad shape'}`);
  }
  const a = parsed.data as ForestArrays;
  const fail = (msg: string): never => {
    throw new Error(`invalid forest arrays: ${msg}`);
  };
  if (a.treeOffsets.length !== a.nEstimators + 1) fail(`treeOffsets has ${a.treeOffsets.length} entries, expected nEstimators + 1 = ${a.nEstimators + 1}`);
  const nNodes = a.treeOffsets[a.nEstimators] ?? 0;
  for (const k of ['feature', 'threshold', 'left', 'right', 'nNodeSamples', 'leafValue'] as const) {
    if (a[k].length !== nNodes) fail(`${k} has ${a[k].length} entries, expected ${nNodes} (treeOffsets end)`);
  }
  if (a.averagePathLengthTable.length !== a.maxSamples + 1) fail(`averagePathLengthTable has ${a.averagePathLengthTable.length} entries, expected maxSamples + 1 = ${a.maxSamples + 1}`);
  if (a.treeOffsets[0] !== 0) fail('treeOffsets[0] must be 0');
  for (let t = 0; t < a.nEstimators; t++) {
    const start = a.treeOffsets[t] ?? 0;
    const end = a.treeOffsets[t + 1] ?? 0;
    if (end <= start) fail(`tree ${t} has no nodes`);
    checkTree(a, t, start, end - start, fail);
  }
  return a;
}

function checkTree(a: ForestArrays, t: number, base: number, n: number, fail: (m: string) => never): void {
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const g = base + i;
    const l = a.left[g] ?? 0;
    const r = a.right[g] ?? 0;
    const f = a.feature[g] ?? 0;
    if (!Number.isFinite(a.leafValue[g]) || !((a.nNodeSamples[g] ?? 0) >= 1)) fail(`tree ${t} node ${i}: bad leafValue or nNodeSamples`);
    if (l === LEAF || r === LEAF) {
      if (l !== LEAF || r !== LEAF) fail(`tree ${t} node ${i}: only one child is a leaf marker`);
      continue;
    }
    if (f < 0 || f >= a.nFeatures) fail(`tree ${t} node ${i}: feature ${f} outside 0..${a.nFeatures - 1}`);
    if (Number.isNaN(a.threshold[g])) fail(`tree ${t} node ${i}: threshold is NaN`);
    for (const c of [l, r]) {
      if (c <= i || c >= n) fail(`tree ${t} node ${i}: child ${c} outside ${i + 1}..${n - 1}`);
      if (seen[c]) fail(`tree ${t} node ${c} has two parents`);
      seen[c] = 1;
    }
  }
  for (let i = 1; i < n; i++) if (!seen[i]) fail(`tree ${t} node ${i} is unreachable`);
}
