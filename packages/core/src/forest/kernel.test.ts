import { describe, expect, it } from 'vitest';
import { IsolationForest } from './forest.ts';
import { createKernel, type KernelChoice } from './kernel.ts';
import { buildRankHeap, forestDepth, MAX_HEAP_DEPTH } from './rank-heap.ts';
import { kernelModuleBytes } from './wasm-kernel.ts';
import { simdModuleBytes } from './simd-kernel.ts';
import { sklearnDumpToArrays } from './sklearn.ts';
import { flatten, readFixture } from './fixtures/load.ts';
import { Xoshiro128 } from './prng.ts';
import type { ForestArrays } from './arrays.ts';

const CHOICES: KernelChoice[] = ['simd', 'wasm', 'js', 'walk'];

function data(nRows: number, nCols: number, seed: number, integer = false): Float64Array {
  const rng = new Xoshiro128(seed);
  return Float64Array.from({ length: nRows * nCols }, () => (integer ? rng.nextInt(6) : rng.nextDouble() * 200 - 100));
}

function sums(a: ForestArrays, choice: KernelChoice, X: ArrayLike<number>, nRows: number, start = 0): Float64Array {
  const out = new Float64Array(nRows);
  createKernel(a, choice).sums(X, start, nRows, out);
  return out;
}

describe('scoring kernels', () => {
  it('assembles a valid WebAssembly module for every heap depth', () => {
    const api = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    for (let d = 0; d <= MAX_HEAP_DEPTH; d++) expect(api.validate(kernelModuleBytes(d))).toBe(true);
    for (let groups = 1; groups <= Math.ceil(MAX_HEAP_DEPTH / 3); groups++) {
      for (const nVec of [1, 2]) for (const lanes of [1, 4, 8]) expect(api.validate(simdModuleBytes(groups, nVec, lanes))).toBe(true);
    }
  });

  it.each(CHOICES)('%s kernel: path-length sums bit-exact with scikit-learn on the edge rows', (choice) => {
    const a = sklearnDumpToArrays(readFixture('gauss8', 'forest'));
    const { edge } = readFixture('gauss8', 'expected');
    expect(Array.from(sums(a, choice, flatten(edge.X), edge.n_rows))).toEqual(edge.path_length_sum);
  });

  it.each([
    ['continuous', false],
    ['integer (ties on thresholds)', true],
  ])('all kernels agree bit for bit: %s data', (_name, integer) => {
    const nRows = 1037; // not a multiple of the 4- and 8-row lanes nor of the blocks
    // 3 columns: one int16 rank vector in the SIMD kernel; 12: two; 17: beyond it (falls back)
    for (const nCols of [3, 12, 17]) {
      const X = data(nRows, nCols, 1, integer);
      // heap depths 8, 5, 10, 3, 6, 1 (every SIMD group shape) and 0 (every tree is one leaf)
      for (const opts of [{ nEstimators: 30 }, { maxSamples: 32 }, { maxSamples: 1000, nEstimators: 10 }, { maxSamples: 8 }, { maxSamples: 64 }, { maxSamples: 2 }, { maxSamples: 1 }]) {
        const a = IsolationForest.fit(X, nRows, nCols, { nEstimators: 12, ...opts }).toArrays();
        const walk = sums(a, 'walk', X, nRows);
        expect(sums(a, 'js', X, nRows)).toEqual(walk);
        expect(sums(a, 'wasm', X, nRows)).toEqual(walk);
        expect(sums(a, 'auto', X, nRows)).toEqual(walk);
        expect(sums(a, 'auto', X, 7, nCols * 100)).toEqual(walk.subarray(100, 107)); // offset start
        if (nCols <= 16 && forestDepth(a) > 0) {
          expect(sums(a, 'simd', X, nRows)).toEqual(walk);
          expect(sums(a, 'simd', X, 1, nCols * 5)).toEqual(walk.subarray(5, 6)); // one row
        } else {
          expect(() => createKernel(a, 'simd')).toThrow(/simd kernel needs/);
        }
      }
    }
  });

  it('scores rows that sit exactly on thresholds or beyond all of them', () => {
    const X = data(500, 2, 2);
    const a = IsolationForest.fit(X, 500, 2, { nEstimators: 10 }).toArrays();
    const probes: number[] = [];
    for (let i = 0; i < a.threshold.length; i++) {
      if (a.left[i] === -1) continue;
      const row = [0, 0];
      row[a.feature[i] as number] = a.threshold[i] as number;
      probes.push(...row);
    }
    probes.push(1e30, -1e30, -1e30, 1e30);
    const n = probes.length / 2;
    const walk = sums(a, 'walk', probes, n);
    for (const choice of ['js', 'wasm', 'simd'] as const) expect(sums(a, choice, probes, n)).toEqual(walk);
  });

  it('rejects non-finite values in every kernel', () => {
    const X = data(300, 2, 4);
    const a = IsolationForest.fit(X, 300, 2, { nEstimators: 5 }).toArrays();
    const bad = X.slice();
    bad[2 * 260 + 1] = Number.POSITIVE_INFINITY;
    for (const choice of CHOICES) expect(() => sums(a, choice, bad, 300)).toThrow(/X\[260, 1\] = Infinity is not finite/);
    const tail = data(303, 2, 4); // the last rows go through the one-row loops
    tail[2 * 302] = Number.NaN;
    for (const choice of CHOICES) expect(() => sums(a, choice, tail, 303)).toThrow(/X\[302, 0\] = NaN is not finite/);
  });

  it('falls back to the node walk for forests deeper than the heap limit', () => {
    const nRows = 6000;
    const X = data(nRows, 2, 3);
    const deep = IsolationForest.fit(X, nRows, 2, { nEstimators: 5, maxSamples: 4096, maxDepth: 40 });
    const a = deep.toArrays();
    expect(forestDepth(a)).toBeGreaterThan(MAX_HEAP_DEPTH);
    expect(buildRankHeap(a)).toBeNull();
    expect(() => createKernel(a, 'js')).toThrow(/depth ≤ 12/);
    expect(deep.pathLengthSum(X.subarray(0, 100), 50)).toEqual(sums(a, 'walk', X, 50));
  });
});
