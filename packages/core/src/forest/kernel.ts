/**
 * Scoring kernels in JavaScript: per-row path-length sums (scikit-learn's `depths`) over all
 * trees. Sums are accumulated tree by tree in tree order, so they equal scikit-learn's bit for bit.
 *
 * - `JsKernel`: the rank heap (`rank-heap.ts`) walked four rows at a time (independent
 *   dependency chains the CPU overlaps). The block's ranks and the per-slot (rank, feature
 *   offset) pairs share one Int32Array, and all index arithmetic is `| 0` int32: measured with
 *   bench/forest.ts-style runs (100 trees, 100k×5, loaded 2-core box, CPU time): separate
 *   arrays and float64 index math 210 ms, one array 163 ms; a branchy pointer walk ~800 ms.
 *   Used when WebAssembly is unavailable (`wasm-kernel.ts` is ~2x faster again: 1.0 vs 0.53 M rows/s).
 * - `walkSums`: plain node walk for forests deeper than the heap limit.
 */
import type { ForestArrays } from './arrays.ts';
import { LEAF } from './arrays.ts';
import { BLOCK, badValue, blockRanks, buildRankHeap, type RankHeap } from './rank-heap.ts';
import { createWasmKernel } from './wasm-kernel.ts';
import { createSimdKernel } from './simd-kernel.ts';

/** Something that adds path-length sums of row-major rows into `out`. */
export interface SumKernel {
  /** Write sums of `nRows` rows of X, starting at element `start`, to out[0 .. nRows-1]. */
  sums(X: ArrayLike<number>, start: number, nRows: number, out: Float64Array): void;
}

/** The rank-heap kernel in plain JavaScript. */
export class JsKernel implements SumKernel {
  private readonly h: RankHeap;
  /** [ranks of the block, feature-major: nFeatures·BLOCK][per slot: rank, feature·BLOCK]. */
  private readonly mem: Int32Array;
  private readonly pairBase: number;

  constructor(h: RankHeap) {
    this.h = h;
    this.pairBase = h.nFeatures * BLOCK;
    this.mem = new Int32Array(this.pairBase + 2 * h.rank.length);
    for (let k = 0; k < h.rank.length; k++) {
      this.mem[this.pairBase + 2 * k] = h.rank[k] as number;
      this.mem[this.pairBase + 2 * k + 1] = (h.feature[k] as number) * BLOCK;
    }
  }

  sums(X: ArrayLike<number>, start: number, nRows: number, out: Float64Array): void {
    const nF = this.h.nFeatures;
    for (let b0 = 0; b0 < nRows; b0 += BLOCK) {
      const bn = Math.min(BLOCK, nRows - b0);
      blockRanks(this.h, X, start + b0 * nF, b0, bn, this.mem, 0);
      out.fill(0, b0, b0 + bn);
      walkBlock(this.mem, this.pairBase, this.h.value, this.h.slots, this.h.depth, this.h.nTrees, bn, out, b0);
    }
  }
}

/**
 * Add every tree's path length for the block's rows to out[o + r]. Slot k of the forest lives at
 * mem[pb + 2k] (rank) and mem[pb + 2k + 1] (feature · BLOCK); m = pb + 2k is walked directly:
 * child = 2m + (2 - m00) + 2·bit, with m00 the tree's root.
 */
function walkBlock(mem: Int32Array, pb: number, value: Float64Array, slots: number, depth: number, nTrees: number, bn: number, out: Float64Array, o: number): void {
  for (let t = 0; t < nTrees; t++) {
    const m00 = (pb + 2 * t * slots) | 0;
    const c = (2 - m00) | 0;
    let r = 0;
    for (; r + 4 <= bn; r += 4) {
      let m0 = m00;
      let m1 = m00;
      let m2 = m00;
      let m3 = m00;
      for (let s = 0; s < depth; s++) {
        m0 = ((m0 << 1) + c + ((((mem[m0] as number) - (mem[((mem[(m0 + 1) | 0] as number) + r) | 0] as number)) >>> 31) << 1)) | 0;
        m1 = ((m1 << 1) + c + ((((mem[m1] as number) - (mem[((mem[(m1 + 1) | 0] as number) + r + 1) | 0] as number)) >>> 31) << 1)) | 0;
        m2 = ((m2 << 1) + c + ((((mem[m2] as number) - (mem[((mem[(m2 + 1) | 0] as number) + r + 2) | 0] as number)) >>> 31) << 1)) | 0;
        m3 = ((m3 << 1) + c + ((((mem[m3] as number) - (mem[((mem[(m3 + 1) | 0] as number) + r + 3) | 0] as number)) >>> 31) << 1)) | 0;
      }
      const i = o + r;
      out[i] = (out[i] as number) + (value[(m0 - pb) >> 1] as number);
      out[i + 1] = (out[i + 1] as number) + (value[(m1 - pb) >> 1] as number);
      out[i + 2] = (out[i + 2] as number) + (value[(m2 - pb) >> 1] as number);
      out[i + 3] = (out[i + 3] as number) + (value[(m3 - pb) >> 1] as number);
    }
    for (; r < bn; r++) {
      let m0 = m00;
      for (let s = 0; s < depth; s++) {
        m0 = ((m0 << 1) + c + ((((mem[m0] as number) - (mem[((mem[(m0 + 1) | 0] as number) + r) | 0] as number)) >>> 31) << 1)) | 0;
      }
      out[o + r] = (out[o + r] as number) + (value[(m0 - pb) >> 1] as number);
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

/** `SumKernel` over `walkSums`. */
export class WalkKernel implements SumKernel {
  constructor(private readonly a: ForestArrays) {}
  sums(X: ArrayLike<number>, start: number, nRows: number, out: Float64Array): void {
    walkSums(this.a, X, start, nRows, out);
  }
}

/** Which kernel to use: the fastest available ('auto'), or a specific one (tests, benchmarks). */
export type KernelChoice = 'auto' | 'simd' | 'wasm' | 'js' | 'walk';

/**
 * The scoring kernel for a forest: WebAssembly SIMD block heap, else scalar WebAssembly rank
 * heap, else JavaScript rank heap, else the node walk (forests deeper than the heap limit). A specific choice that is not possible for this
 * forest throws.
 */
export function createKernel(a: ForestArrays, choice: KernelChoice = 'auto'): SumKernel {
  if (choice === 'walk') return new WalkKernel(a);
  const heap = buildRankHeap(a);
  if (!heap) {
    if (choice !== 'auto') throw new Error(`the ${choice} kernel needs a forest of depth ≤ 12`);
    return new WalkKernel(a);
  }
  if (choice === 'js') return new JsKernel(heap);
  if (choice === 'simd' || choice === 'auto') {
    const simd = createSimdKernel(heap);
    if (simd) return simd;
    if (choice === 'simd') throw new Error('the simd kernel needs WebAssembly SIMD, ≤ 16 features and ≤ 32767 thresholds per feature');
  }
  const wasm = createWasmKernel(heap);
  if (wasm) return wasm;
  if (choice === 'wasm') throw new Error('WebAssembly is not available');
  return new JsKernel(heap);
}
