/**
 * Growing isolation trees the way scikit-learn's IsolationForest does (sklearn 1.2.1: an
 * `ExtraTreeRegressor(max_features=1, splitter='random', max_depth=ceil(log2(psi)))` per tree on
 * a sub-sample drawn without replacement), with our own seeded generator, so results match
 * scikit-learn statistically, not draw for draw.
 *
 * Per node: features are drawn uniformly without replacement until one is not constant on the
 * node (max ≤ min + 1e-7 in float32, scikit-learn's FEATURE_THRESHOLD); the threshold is
 * `(max - min) * u + min` in float64 with u uniform in [0, 1) (if it equals max, min is used).
 * A node becomes a leaf at the depth limit, below 2 samples, or when every feature is constant.
 * Memory: one index array over the rows, one column-major float32 copy of the sub-sample, and
 * flat node arrays preallocated for the worst case; no object per node.
 */
import { Xoshiro128 } from './prng.ts';
import { LEAF, UNDEFINED_FEATURE, type ForestArrays } from './arrays.ts';
import { leafPathLength } from './path-length.ts';

/** Constant-feature tolerance of scikit-learn's splitters (`FEATURE_THRESHOLD`, float32). */
const FEATURE_THRESHOLD = Math.fround(1e-7);

/** Trees of a forest as flat arrays (the tree part of `ForestArrays`). */
export type GrownTrees = Pick<ForestArrays, 'treeOffsets' | 'feature' | 'threshold' | 'left' | 'right' | 'nNodeSamples' | 'leafValue'>;

/**
 * Resolve scikit-learn's `max_samples` against the row count: 'auto' → min(256, n); an integer
 * ≥ 1 → that many rows, capped at n (scikit-learn warns and uses n); a fraction in (0, 1) →
 * `floor(f * n)` (at least 1).
 */
export function resolveMaxSamples(maxSamples: 'auto' | number, nRows: number): number {
  if (maxSamples === 'auto') return Math.min(256, nRows);
  if (!Number.isFinite(maxSamples) || maxSamples <= 0) throw new Error(`maxSamples must be 'auto', an integer ≥ 1 or a fraction in (0, 1); got ${maxSamples}`);
  if (maxSamples < 1) return Math.max(1, Math.floor(maxSamples * nRows));
  if (!Number.isInteger(maxSamples)) throw new Error(`maxSamples ≥ 1 must be an integer row count; got ${maxSamples}`);
  return Math.min(maxSamples, nRows);
}

/** scikit-learn's depth limit for a sub-sample size: ceil(log2(max(psi, 2))). */
export function defaultMaxDepth(psi: number): number {
  return Math.ceil(Math.log2(Math.max(psi, 2)));
}

/**
 * Grow `nEstimators` trees on row-major `X` (nRows × nCols, already validated finite after the
 * float32 cast). `table` is c(k) for k = 0..psi.
 */
export function growTrees(
  X: ArrayLike<number>,
  nRows: number,
  nCols: number,
  nEstimators: number,
  psi: number,
  maxDepth: number,
  table: Float64Array,
  rng: Xoshiro128,
): GrownTrees {
  const perTree = Math.min(2 * psi - 1, maxDepth >= 30 ? 2 * psi - 1 : 2 ** (maxDepth + 1) - 1);
  const cap = perTree * nEstimators;
  const feature = new Int32Array(cap);
  const threshold = new Float64Array(cap);
  const left = new Int32Array(cap);
  const right = new Int32Array(cap);
  const nNodeSamples = new Int32Array(cap);
  const leafValue = new Float64Array(cap);
  const treeOffsets = new Int32Array(nEstimators + 1);

  const rows = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) rows[i] = i;
  const cols = new Float32Array(nCols * psi); // column-major sub-sample: cols[f * psi + k]
  const perm = new Int32Array(psi); // sample order, partitioned in place per node
  const feats = new Int32Array(nCols);
  const stackSize = 2 * Math.min(maxDepth, psi) + 4;
  const sStart = new Int32Array(stackSize);
  const sEnd = new Int32Array(stackSize);
  const sDepth = new Int32Array(stackSize);
  const sParent = new Int32Array(stackSize); // global id of the parent, -1 for the root
  const sIsLeft = new Uint8Array(stackSize);

  let g = 0; // next global node id
  for (let t = 0; t < nEstimators; t++) {
    const base = g;
    treeOffsets[t] = base;
    // Sub-sample without replacement: a partial Fisher–Yates step over `rows`. Continuing from the
    // previous tree's arrangement is still a uniform draw, so `rows` is never reset.
    for (let k = 0; k < psi; k++) {
      const j = k + rng.nextInt(nRows - k);
      const r = rows[j] as number;
      rows[j] = rows[k] as number;
      rows[k] = r;
      const off = r * nCols;
      for (let f = 0; f < nCols; f++) cols[f * psi + k] = X[off + f] as number; // float32 cast
      perm[k] = k;
    }
    let sp = 0;
    sStart[0] = 0;
    sEnd[0] = psi;
    sDepth[0] = 0;
    sParent[0] = -1;
    sIsLeft[0] = 0;
    sp = 1;
    while (sp > 0) {
      sp--;
      const start = sStart[sp] as number;
      const end = sEnd[sp] as number;
      const depth = sDepth[sp] as number;
      const parent = sParent[sp] as number;
      const id = g++;
      if (parent >= 0) {
        if (sIsLeft[sp]) left[parent] = id - base;
        else right[parent] = id - base;
      }
      const n = end - start;
      nNodeSamples[id] = n;
      let split = -1;
      let thr = 0;
      let mid = start;
      if (depth < maxDepth && n >= 2) {
        for (let f = 0; f < nCols; f++) feats[f] = f;
        for (let remaining = nCols; remaining > 0; remaining--) {
          const j = rng.nextInt(remaining);
          const f = feats[j] as number;
          feats[j] = feats[remaining - 1] as number;
          feats[remaining - 1] = f;
          const colBase = f * psi;
          let lo = Infinity;
          let hi = -Infinity;
          for (let k = start; k < end; k++) {
            const v = cols[colBase + (perm[k] as number)] as number;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
          if (hi <= Math.fround(lo + FEATURE_THRESHOLD)) continue; // constant on this node
          thr = (hi - lo) * rng.nextDouble() + lo;
          if (thr === hi) thr = lo;
          split = f;
          mid = partition(perm, start, end, cols, colBase, thr);
          break;
        }
      }
      if (split < 0) {
        feature[id] = UNDEFINED_FEATURE;
        threshold[id] = -2;
        left[id] = LEAF;
        right[id] = LEAF;
        leafValue[id] = leafPathLength(depth, table[n] as number);
        continue;
      }
      feature[id] = split;
      threshold[id] = thr;
      // Pre-order with the left child first, as scikit-learn's depth-first builder numbers nodes.
      sStart[sp] = mid; sEnd[sp] = end; sDepth[sp] = depth + 1; sParent[sp] = id; sIsLeft[sp] = 0;
      sp++;
      sStart[sp] = start; sEnd[sp] = mid; sDepth[sp] = depth + 1; sParent[sp] = id; sIsLeft[sp] = 1;
      sp++;
    }
  }
  treeOffsets[nEstimators] = g;
  return {
    treeOffsets,
    feature: feature.slice(0, g),
    threshold: threshold.slice(0, g),
    left: left.slice(0, g),
    right: right.slice(0, g),
    nNodeSamples: nNodeSamples.slice(0, g),
    leafValue: leafValue.slice(0, g),
  };
}

/** Move samples with value ≤ thr to the front of perm[start, end); returns the first right index. */
function partition(perm: Int32Array, start: number, end: number, cols: Float32Array, colBase: number, thr: number): number {
  let i = start;
  let j = end - 1;
  while (i <= j) {
    if ((cols[colBase + (perm[i] as number)] as number) <= thr) {
      i++;
    } else {
      const tmp = perm[i] as number;
      perm[i] = perm[j] as number;
      perm[j] = tmp;
      j--;
    }
  }
  return i;
}
