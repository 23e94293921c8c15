import { describe, expect, it } from 'vitest';
import { IsolationForest } from './forest.ts';
import { buildRankHeap, forestDepth, heapSums, MAX_HEAP_DEPTH, walkSums } from './kernel.ts';
import { Xoshiro128 } from './prng.ts';

function data(nRows: number, nCols: number, seed: number, integer = false): Float64Array {
  const rng = new Xoshiro128(seed);
  return Float64Array.from({ length: nRows * nCols }, () => (integer ? rng.nextInt(6) : rng.nextDouble() * 200 - 100));
}

describe('scoring kernels', () => {
  it.each([
    ['continuous', false],
    ['integer (ties on thresholds)', true],
  ])('rank heap and node walk give bit-identical sums: %s data', (_name, integer) => {
    const nRows = 1037; // not a multiple of the 4-row lanes nor of the block
    const X = data(nRows, 3, 1, integer);
    const a = IsolationForest.fit(X, nRows, 3, { nEstimators: 30 }).toArrays();
    const heap = buildRankHeap(a);
    expect(heap).not.toBeNull();
    const viaHeap = new Float64Array(nRows);
    const viaWalk = new Float64Array(nRows);
    heapSums(heap!, a.nEstimators, 3, X, 0, nRows, viaHeap);
    walkSums(a, X, 0, nRows, viaWalk);
    expect(viaHeap).toEqual(viaWalk);
  });

  it('scores rows that sit exactly on thresholds or beyond all of them', () => {
    const X = data(500, 2, 2);
    const a = IsolationForest.fit(X, 500, 2, { nEstimators: 10 }).toArrays();
    const probes: number[] = [];
    for (let i = 0; i < a.threshold.length; i++) {
      if (a.left[i] === -1) continue;
      const f = a.feature[i] as number;
      const row = [0, 0];
      row[f] = a.threshold[i] as number;
      probes.push(...row);
    }
    probes.push(1e30, -1e30, -1e30, 1e30);
    const n = probes.length / 2;
    const viaHeap = new Float64Array(n);
    const viaWalk = new Float64Array(n);
    heapSums(buildRankHeap(a)!, a.nEstimators, 2, probes, 0, n, viaHeap);
    walkSums(a, probes, 0, n, viaWalk);
    expect(viaHeap).toEqual(viaWalk);
  });

  it('falls back to the node walk for forests deeper than the heap limit', () => {
    const nRows = 6000;
    const X = data(nRows, 2, 3);
    const deep = IsolationForest.fit(X, nRows, 2, { nEstimators: 5, maxSamples: 4096, maxDepth: 40 });
    const a = deep.toArrays();
    expect(forestDepth(a)).toBeGreaterThan(MAX_HEAP_DEPTH);
    expect(buildRankHeap(a)).toBeNull();
    const viaWalk = new Float64Array(50);
    walkSums(a, X, 0, 50, viaWalk);
    expect(deep.pathLengthSum(X.subarray(0, 100), 50)).toEqual(viaWalk);
  });
});
