/**
 * The "rank heap": a forest re-laid out for fast, exact scoring (built once per forest; used by
 * the JavaScript kernel in `kernel.ts` and the WebAssembly kernel in `wasm-kernel.ts`).
 *
 * - Every tree is padded to the forest's maximum depth D and stored as an implicit complete
 *   binary tree (children of slot i are 2i+1 and 2i+2): a traversal is exactly D steps, with no
 *   child-pointer loads and no loop-exit mispredictions. A leaf above depth D becomes a chain of
 *   always-left slots ending at depth D, where its path length is stored.
 * - Thresholds become ranks: per feature, the sorted distinct thresholds of all trees, padded
 *   with +Infinity to 2^k - 1 entries. A row's value x becomes r = #{thresholds < fround(x)} (a
 *   fixed-step branch-free binary search, once per row and feature), and then
 *   `fround(x) > threshold_j` ⇔ `r > j`. This is exactly scikit-learn's predicate
 *   (`(double)fround(x) <= threshold` goes left), so the integer walk
 *   `i = 2i + 1 + ((j - r[feature]) >>> 31)` is branch-free and bit-exact.
 * Rows are scored in blocks of BLOCK; a block's ranks are stored feature-major.
 */
import type { ForestArrays } from './arrays.ts';
import { LEAF } from './arrays.ts';

/** Deepest forest stored as a padded heap (2^(D+1) - 1 slots per tree). */
export const MAX_HEAP_DEPTH = 12;
/** Rows per block (a block's ranks take 4·BLOCK·nFeatures bytes, kept in L1/L2). */
export const BLOCK = 256;

/** Scoring tables of one forest (see the file comment). */
export interface RankHeap {
  nTrees: number;
  nFeatures: number;
  /** Padded depth D: steps per traversal. */
  depth: number;
  /** Slots per tree: 2^(D+1) - 1. */
  slots: number;
  /** Per slot: rank j of its threshold among the feature's thresholds (row goes right iff r > j). */
  rank: Int32Array;
  /** Per slot: the split feature (0 in always-left padding). */
  feature: Int32Array;
  /** Per slot: path length at bottom-level slots, 0 elsewhere. */
  value: Float64Array;
  /** Sorted distinct thresholds per feature, each padded with +Infinity to 2^k - 1 entries. */
  thresholds: Float64Array;
  /** Start of each feature's thresholds in `thresholds` (length nFeatures + 1). */
  thresholdStart: Int32Array;
  /** Binary-search steps per feature (k: the padded length is 2^k - 1). */
  searchSteps: Int32Array;
}

/** Maximum leaf depth over all trees (root = 0). Node ids are pre-order, parents first. */
export function forestDepth(a: ForestArrays): number {
  let max = 0;
  const depth = new Int32Array(a.feature.length);
  for (let t = 0; t < a.nEstimators; t++) {
    const base = a.treeOffsets[t] as number;
    const end = a.treeOffsets[t + 1] as number;
    for (let i = base; i < end; i++) {
      const l = a.left[i] as number;
      if (l === LEAF) continue;
      const d = (depth[i] as number) + 1;
      depth[base + l] = d;
      depth[base + (a.right[i] as number)] = d;
      if (d > max) max = d;
    }
  }
  return max;
}

function sortedThresholds(a: ForestArrays): Float64Array[] {
  const count = new Int32Array(a.nFeatures);
  for (let i = 0; i < a.feature.length; i++) {
    if (a.left[i] === LEAF) continue;
    const f = a.feature[i] as number;
    count[f] = (count[f] as number) + 1;
  }
  const all = Array.from(count, (c) => new Float64Array(c));
  count.fill(0);
  for (let i = 0; i < a.feature.length; i++) {
    if (a.left[i] === LEAF) continue;
    const f = a.feature[i] as number;
    const k = count[f] as number;
    (all[f] as Float64Array)[k] = a.threshold[i] as number;
    count[f] = k + 1;
  }
  return all.map((list) => {
    list.sort(); // numeric order; thresholds are finite, and -0 sorts before 0 (still equal under <)
    let m = 0;
    for (let k = 0; k < list.length; k++) if (m === 0 || (list[k] as number) !== list[m - 1]) list[m++] = list[k] as number;
    const padded = new Float64Array(2 ** Math.ceil(Math.log2(m + 1)) - 1).fill(Infinity);
    padded.set(list.subarray(0, m));
    return padded;
  });
}

/** Index of `t` in the sorted array `arr` (first entry ≥ t). */
function indexOf(arr: Float64Array, t: number): number {
  let lo = 0;
  let hi = arr.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Build the rank heap, or null when the forest is deeper than MAX_HEAP_DEPTH (or absurdly large). */
export function buildRankHeap(a: ForestArrays): RankHeap | null {
  const depth = forestDepth(a);
  if (depth > MAX_HEAP_DEPTH) return null;
  const nF = a.nFeatures;
  const sorted = sortedThresholds(a);
  const thresholdStart = new Int32Array(nF + 1);
  const searchSteps = new Int32Array(nF);
  for (let f = 0; f < nF; f++) {
    const len = (sorted[f] as Float64Array).length;
    searchSteps[f] = Math.log2(len + 1);
    thresholdStart[f + 1] = (thresholdStart[f] as number) + len;
  }
  const thresholds = new Float64Array(thresholdStart[nF] as number);
  sorted.forEach((arr, f) => thresholds.set(arr, thresholdStart[f] as number));

  const slots = 2 ** (depth + 1) - 1;
  const n = a.nEstimators * slots;
  if (n >= 2 ** 26) return null; // keeps every kernel's int32 slot arithmetic far from overflow
  const rank = new Int32Array(n).fill((sorted[0] as Float64Array).length); // always left: r ≤ length
  const feature = new Int32Array(n);
  const value = new Float64Array(n);
  // Heap slot and depth of every node; node ids are pre-order, so a parent comes before its children.
  const slot = new Int32Array(a.feature.length);
  const level = new Int32Array(a.feature.length);
  for (let t = 0; t < a.nEstimators; t++) {
    const base = a.treeOffsets[t] as number;
    const end = a.treeOffsets[t + 1] as number;
    const hb = t * slots;
    for (let g = base; g < end; g++) {
      const h = slot[g] as number;
      const d = level[g] as number;
      const l = a.left[g] as number;
      if (l === LEAF) {
        let hh = h;
        for (let dd = d; dd < depth; dd++) hh = 2 * hh + 1; // the always-left chain
        value[hb + hh] = a.leafValue[g] as number;
        continue;
      }
      const f = a.feature[g] as number;
      feature[hb + h] = f;
      rank[hb + h] = indexOf(sorted[f] as Float64Array, a.threshold[g] as number);
      const r = base + (a.right[g] as number);
      slot[base + l] = 2 * h + 1;
      slot[r] = 2 * h + 2;
      level[base + l] = d + 1;
      level[r] = d + 1;
    }
  }
  return { nTrees: a.nEstimators, nFeatures: nF, depth, slots, rank, feature, value, thresholds, thresholdStart, searchSteps };
}

/** Throw the scoring input error for a value that is not finite after the float32 cast. */
export function badValue(row: number, col: number, v: number): never {
  throw new Error(
    `X[${row}, ${col}] = ${v} is not finite after the float32 cast (NaN, ±Infinity and |x| > 3.4028235e38 are rejected, as scikit-learn does)`,
  );
}

/**
 * Ranks of `bn` rows of X starting at element `src` into `dst[dstOff + f * BLOCK + r]`;
 * validates every value (row numbers in errors count from `row0`).
 */
export function blockRanks(h: RankHeap, X: ArrayLike<number>, src: number, row0: number, bn: number, dst: Int32Array, dstOff: number): void {
  const { thresholds, thresholdStart, searchSteps, nFeatures: nF } = h;
  for (let f = 0; f < nF; f++) {
    const t0 = ((thresholdStart[f] as number) - 1) | 0; // the search reads t0 + i + s, s ≥ 1
    const k = searchSteps[f] as number;
    const top = k > 0 ? 1 << (k - 1) : 0;
    const d = dstOff + f * BLOCK;
    for (let r = 0; r < bn; r++) {
      const x = X[src + r * nF + f] as number;
      const v = Math.fround(x);
      if (v - v !== 0) badValue(row0 + r, f, x);
      let i = 0;
      for (let s = top; s > 0; s >>= 1) i = (i + (s & -+((thresholds[(t0 + i + s) | 0] as number) < v))) | 0;
      dst[d + r] = i;
    }
  }
}
