import { describe, expect, it } from 'vitest';
import { bucketOf, buildBucketTable } from './bucket-ranks.ts';
import { IsolationForest } from './forest.ts';
import { createKernel } from './kernel.ts';
import { Xoshiro128 } from './prng.ts';
import { buildRankHeap } from './rank-heap.ts';
import { createSimdKernel } from './simd-kernel.ts';

/** Sorted distinct values padded with +Infinity to 2^k - 1, as the rank heap stores them. */
function padded(values: number[]): { sorted: Float64Array; steps: number } {
  const uniq = Float64Array.from(new Set(values)).sort();
  const steps = Math.ceil(Math.log2(uniq.length + 1));
  const sorted = new Float64Array(2 ** steps - 1).fill(Infinity);
  sorted.set(uniq);
  return { sorted, steps };
}

const below = (v: number) => Math.fround(v - Math.abs(v) * 2 ** -23 - 1e-45);
const above = (v: number) => Math.fround(v + Math.abs(v) * 2 ** -23 + 1e-45);

/** Mostly in [0, 1), 1% spread up to 1e6: thresholds crowd into the first bucket. */
const heavyTail = (u: number) => (u < 0.01 ? u * 1e8 : u);

describe('bucketed rank search', () => {
  it('gives #{thresholds < v} for values on, just beside, between and beyond the thresholds', () => {
    const rng = new Xoshiro128(5);
    const { sorted, steps } = padded(Array.from({ length: 3000 }, () => rng.nextDouble() * 50 - 10));
    const t = buildBucketTable(sorted, steps);
    if (!t) throw new Error('uniform thresholds must get a bucket table');
    expect(t.steps).toBeLessThanOrEqual(steps - 3);
    const finite = Array.from(sorted).filter(Number.isFinite);
    const probes = [...finite.flatMap((v) => [v, Math.fround(v), below(v), above(v)]), 0, -0, -3.4e38, 3.4e38, -10.5, 40.5];
    for (let k = 0; k < 2000; k++) probes.push(Math.fround(rng.nextDouble() * 70 - 20));
    for (const v of probes) {
      let i = t.start[bucketOf(v, t.lo, t.scale, t.bmax)] as number;
      for (let s = 2 ** (t.steps - 1); s > 0; s >>= 1) if ((t.padded[i + s - 1] as number) < v) i += s;
      expect(i).toBe(finite.filter((x) => x < v).length);
    }
  });

  it('keeps the binary search where thresholds crowd into a few buckets', () => {
    const crowded = padded([...Array.from({ length: 500 }, (_, i) => i * 1e-6), 1e30]);
    expect(buildBucketTable(crowded.sorted, crowded.steps)).toBeNull();
    const few = padded([1, 2, 3]);
    expect(buildBucketTable(few.sorted, few.steps)).toBeNull();
  });

  it('scores exactly like the binary search and the node walk in the SIMD kernel', () => {
    const rng = new Xoshiro128(9);
    const nRows = 4000;
    const nCols = 3;
    const X = Float64Array.from({ length: nRows * nCols }, (_, i) => (i % 3 === 2 ? heavyTail(rng.nextDouble()) : rng.nextDouble() * 2e4 - 1e4));
    const a = IsolationForest.fit(X, nRows, nCols, { nEstimators: 40 }).toArrays();
    const h = buildRankHeap(a);
    if (!h) throw new Error('rank heap expected');
    const tables = [0, 1, 2].map((f) => buildBucketTable(h.thresholds.subarray(h.thresholdStart[f], h.thresholdStart[f + 1]), h.searchSteps[f] as number));
    expect(tables.map((t) => t !== null)).toEqual([true, true, false]); // the heavy-tailed column keeps the binary search
    // probe rows: every threshold and its float32 neighbours in every column, signed zeros, extremes
    const probe: number[] = [];
    for (let i = 0; i < a.threshold.length; i++) {
      if (a.left[i] === -1) continue;
      const v = a.threshold[i] as number;
      probe.push(v, below(v), above(v));
    }
    probe.push(0, -0, 3.4e38, -3.4e38);
    const rows = Float64Array.from({ length: probe.length * nCols }, (_, k) => probe[Math.floor(k / nCols)] as number);
    for (const [Y, n] of [[X, nRows], [rows, probe.length]] as const) {
      const walk = new Float64Array(n);
      createKernel(a, 'walk').sums(Y, 0, n, walk);
      for (const buckets of [true, false]) {
        const k = createSimdKernel(h, { lanes: 8, block: 1024, buckets });
        if (!k) throw new Error('SIMD kernel expected');
        const out = new Float64Array(n);
        k.sums(Y, 0, n, out);
        expect(out).toEqual(walk);
      }
    }
  });
});
