/**
 * The scoring hot path: per-row path-length sums over all trees, laid out for speed.
 *
 * Layout ("rank heap"), built once per forest:
 * - every tree is padded to the forest's maximum depth D and stored as an implicit complete
 *   binary tree (children of slot i are 2i+1 and 2i+2), so a traversal is exactly D steps with
 *   no child loads and no loop-exit mispredictions. A leaf above depth D becomes a chain of
 *   always-left slots ending at depth D, where its path length is stored;
 * - thresholds are replaced by ranks: per feature, the sorted distinct thresholds of all trees
 *   (padded with +Infinity to 2^k - 1 entries). A row's value x becomes r = #{thresholds < x}
 *   (a fixed-step binary search, once per row and feature), and `x > threshold_j` ⇔ `r > j`.
 *   This is exact, including the float32 cast: ranks compare `(double)fround(x)` with the
 *   float64 thresholds, so the integer test is the same predicate scikit-learn evaluates;
 * - a slot holds the threshold rank j and the feature's offset in the block's rank matrix; a
 *   step is branch-free int32 work: `i = 2i + 1 + ((j - rank[feature]) >>> 31)`.
 * Rows go in blocks of BLOCK; for each tree, four rows are walked together (independent
 * dependency chains the CPU overlaps). Per-row sums are accumulated tree by tree in tree order,
 * so they equal scikit-learn's `depths` bit for bit.
 * Measured with bench/forest.ts (100 trees, 100k×5): a branchy float-compare walk ~0.12 M rows/s,
 * a float-compare heap ~0.5 M, this rank heap ~1 M+; `| 0` on the index arithmetic keeps V8 in
 * int32 (without it the indices went through float64, ~1.5x slower), and separate feature/rank
 * arrays beat one packed word (no variable shift).
 * Forests too deep for the heap (D > MAX_HEAP_DEPTH) use a plain node walk (`walkSums`).
 */
import type { ForestArrays } from './arrays.ts';
import { LEAF } from './arrays.ts';

/** Deepest forest stored as a padded heap (2^(D+1) - 1 slots per tree). */
export const MAX_HEAP_DEPTH = 12;
/** Rows per block: ranks of a block are 4·BLOCK·nFeatures bytes, kept in L1/L2. */
const BLOCK = 256;

/** Precomputed scoring tables of one forest (see the file comment). */
export interface RankHeap {
  depth: number;
  /** Slots per tree: 2^(depth+1) - 1. */
  slots: number;
  /** Per slot: feature × BLOCK, the feature's row offset in the feature-major `ranks` block. */
  featureOffset: Int32Array;
  /** Per slot: rank j of the threshold among its feature's thresholds (go right iff row rank > j). */
  rank: Int32Array;
  /** Path length at bottom-level slots. */
  value: Float64Array;
  /** Sorted distinct thresholds per feature, each padded with +Infinity to 2^k - 1 entries. */
  thresholds: Float64Array;
  /** Start of each feature's thresholds in `thresholds` (length nFeatures + 1). */
  thresholdStart: Int32Array;
  /** Binary-search steps per feature (k, so the padded length is 2^k - 1). */
  searchSteps: Int32Array;
  /** Scratch: ranks of the current block, feature-major (`ranks[f * BLOCK + r]`). */
  ranks: Int32Array;
}

/** Maximum leaf depth over all trees (root = 0). */
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

/** Build the rank heap, or null when the forest is too deep or has too many thresholds for it. */
export function buildRankHeap(a: ForestArrays): RankHeap | null {
  const depth = forestDepth(a);
  if (depth > MAX_HEAP_DEPTH) return null;
  const nF = a.nFeatures;
  // Distinct thresholds per feature.
  const perFeature: number[][] = Array.from({ length: nF }, () => []);
  for (let i = 0; i < a.feature.length; i++) {
    if (a.left[i] !== LEAF) perFeature[a.feature[i] as number]?.push(a.threshold[i] as number);
  }
  const thresholdStart = new Int32Array(nF + 1);
  const searchSteps = new Int32Array(nF);
  const sorted: Float64Array[] = [];
  let total = 0;
  for (let f = 0; f < nF; f++) {
    const uniq = Float64Array.from(new Set(perFeature[f])).sort();
    const k = Math.ceil(Math.log2(uniq.length + 1));
    const padded = new Float64Array(2 ** k - 1).fill(Infinity);
    padded.set(uniq);
    sorted.push(padded);
    searchSteps[f] = k;
    thresholdStart[f] = total;
    total += padded.length;
  }
  thresholdStart[nF] = total;
  const thresholds = new Float64Array(total);
  for (let f = 0; f < nF; f++) thresholds.set(sorted[f] as Float64Array, thresholdStart[f] as number);

  const slots = 2 ** (depth + 1) - 1;
  if (nF * BLOCK >= 2 ** 31 || a.nEstimators * slots >= 2 ** 31) return null;
  const featureOffset = new Int32Array(a.nEstimators * slots);
  const rank = new Int32Array(a.nEstimators * slots);
  const value = new Float64Array(a.nEstimators * slots);
  // Always-left slots: feature 0 with a rank index no row rank can exceed.
  rank.fill((sorted[0] as Float64Array).length);
  const rankOf = (f: number, t: number): number => {
    const arr = sorted[f] as Float64Array;
    let lo = 0;
    let hi = arr.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((arr[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (let t = 0; t < a.nEstimators; t++) {
    const base = a.treeOffsets[t] as number;
    const hb = t * slots;
    const place = (node: number, h: number, d: number): void => {
      const g = base + node;
      const l = a.left[g] as number;
      if (l === LEAF) {
        let hh = h;
        for (let dd = d; dd < depth; dd++) hh = 2 * hh + 1; // always-left chain (already filled)
        value[hb + hh] = a.leafValue[g] as number;
        return;
      }
      const f = a.feature[g] as number;
      featureOffset[hb + h] = f * BLOCK;
      rank[hb + h] = rankOf(f, a.threshold[g] as number);
      place(l, 2 * h + 1, d + 1);
      place(a.right[g] as number, 2 * h + 2, d + 1);
    };
    place(0, 0, 0);
  }
  return { depth, slots, featureOffset, rank, value, thresholds, thresholdStart, searchSteps, ranks: new Int32Array(BLOCK * nF) };
}

/** Throw the scoring input error for a non-finite (after float32 cast) value. */
export function badValue(row: number, col: number, v: number): never {
  throw new Error(
    `X[${row}, ${col}] = ${v} is not finite after the float32 cast (NaN, ±Infinity and |x| > 3.4028235e38 are rejected, as scikit-learn does)`,
  );
}

/**
 * Path-length sums (scikit-learn's `depths`) of `nRows` row-major rows of X starting at element
 * `start` into `out[0 .. nRows-1]`. Throws on a non-finite value (row numbers count from `start`).
 */
export function heapSums(h: RankHeap, nTrees: number, nF: number, X: ArrayLike<number>, start: number, nRows: number, out: Float64Array): void {
  for (let b0 = 0; b0 < nRows; b0 += BLOCK) {
    const bn = Math.min(BLOCK, nRows - b0);
    blockRanks(h, nF, X, start + b0 * nF, b0, bn);
    for (let r = 0; r < bn; r++) out[b0 + r] = 0;
    blockSums(h, nTrees, bn, out, b0);
  }
}

/** Ranks of `bn` rows from element `src` into `h.ranks` (feature-major); validates each value. */
function blockRanks(h: RankHeap, nF: number, X: ArrayLike<number>, src: number, row0: number, bn: number): void {
  const { thresholds, thresholdStart, searchSteps, ranks } = h;
  for (let f = 0; f < nF; f++) {
    const t0 = ((thresholdStart[f] as number) - 1) | 0; // searches index t0 + i + s, s ≥ 1
    const top = (searchSteps[f] as number) > 0 ? 1 << ((searchSteps[f] as number) - 1) : 0;
    const dst = f * BLOCK;
    for (let r = 0; r < bn; r++) {
      const x = X[src + r * nF + f] as number;
      const v = Math.fround(x);
      if (v - v !== 0) badValue(row0 + r, f, x);
      // Fixed-step search over 2^k - 1 sorted slots: i = #{thresholds < v}, branch-free.
      let i = 0;
      for (let s = top; s > 0; s >>= 1) i = (i + (s & -+((thresholds[(t0 + i + s) | 0] as number) < v))) | 0;
      ranks[dst + r] = i;
    }
  }
}

/** Add every tree's path length for the block's rows (ranks already computed) to out[o + r]. */
function blockSums(h: RankHeap, nTrees: number, bn: number, out: Float64Array, o: number): void {
  const { featureOffset: fo, rank, value, ranks, slots } = h;
  const depth = h.depth;
  for (let t = 0; t < nTrees; t++) {
    const base = (t * slots) | 0;
    const step = (1 - base) | 0; // k → 2k + 1 - base (+1 for right) keeps k a global slot index
    let r = 0;
    for (; r + 4 <= bn; r += 4) {
      const r1 = (r + 1) | 0;
      const r2 = (r + 2) | 0;
      const r3 = (r + 3) | 0;
      let k0 = base;
      let k1 = base;
      let k2 = base;
      let k3 = base;
      for (let s = 0; s < depth; s++) {
        k0 = ((k0 << 1) + step + (((rank[k0] as number) - (ranks[((fo[k0] as number) + r) | 0] as number)) >>> 31)) | 0;
        k1 = ((k1 << 1) + step + (((rank[k1] as number) - (ranks[((fo[k1] as number) + r1) | 0] as number)) >>> 31)) | 0;
        k2 = ((k2 << 1) + step + (((rank[k2] as number) - (ranks[((fo[k2] as number) + r2) | 0] as number)) >>> 31)) | 0;
        k3 = ((k3 << 1) + step + (((rank[k3] as number) - (ranks[((fo[k3] as number) + r3) | 0] as number)) >>> 31)) | 0;
      }
      out[o + r] = (out[o + r] as number) + (value[k0] as number);
      out[o + r1] = (out[o + r1] as number) + (value[k1] as number);
      out[o + r2] = (out[o + r2] as number) + (value[k2] as number);
      out[o + r3] = (out[o + r3] as number) + (value[k3] as number);
    }
    for (; r < bn; r++) {
      let k0 = base;
      for (let s = 0; s < depth; s++) {
        k0 = ((k0 << 1) + step + (((rank[k0] as number) - (ranks[((fo[k0] as number) + r) | 0] as number)) >>> 31)) | 0;
      }
      out[o + r] = (out[o + r] as number) + (value[k0] as number);
    }
  }
}

/**
 * Fallback for deep forests: walk the stored nodes (`(double)fround(x) <= threshold` goes left)
 * row by row; same sums, same order.
 */
export function walkSums(a: ForestArrays, X: ArrayLike<number>, start: number, nRows: number, out: Float64Array): void {
  const nF = a.nFeatures;
  const { treeOffsets, feature, threshold, left, right, leafValue } = a;
  const nT = a.nEstimators;
  const x = new Float64Array(nF);
  for (let r = 0; r < nRows; r++) {
    const src = start + r * nF;
    for (let f = 0; f < nF; f++) {
      const v = Math.fround(X[src + f] as number);
      if (v - v !== 0) badValue(r, f, X[src + f] as number);
      x[f] = v;
    }
    let acc = 0;
    for (let t = 0; t < nT; t++) {
      const base = treeOffsets[t] as number;
      let g = base;
      let l = left[g] as number;
      while (l !== LEAF) {
        g = base + ((x[feature[g] as number] as number) <= (threshold[g] as number) ? l : (right[g] as number));
        l = left[g] as number;
      }
      acc += leafValue[g] as number;
    }
    out[r] = acc;
  }
}
