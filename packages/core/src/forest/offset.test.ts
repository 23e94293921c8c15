import { describe, expect, it } from 'vitest';
import { checkContamination, offsetFromContamination, percentileLinear } from './offset.ts';
import { averagePathLength } from './path-length.ts';
import { readFixture } from './fixtures/load.ts';

describe('offset and c(n)', () => {
  it("reproduces scikit-learn's offset_ from its own training scores, to the bit", () => {
    const expected = readFixture('seed5', 'expected');
    const scores = Float64Array.from(expected.train.score_samples);
    expect(offsetFromContamination(scores, 0.01)).toBe(expected.offset_);
    expect(offsetFromContamination(scores, 'auto')).toBe(-0.5);
  });

  it('interpolates like numpy linear percentile', () => {
    const v = Float64Array.from([4, 1, 3, 2]);
    expect(percentileLinear(v, 0)).toBe(1);
    expect(percentileLinear(v, 100)).toBe(4);
    expect(percentileLinear(v, 50)).toBe(2.5);
    expect(percentileLinear(v, 10)).toBeCloseTo(1.3, 15);
    expect(percentileLinear(Float64Array.from([7]), 30)).toBe(7);
    expect(Array.from(v)).toEqual([4, 1, 3, 2]); // input untouched
  });

  it('selects the same order statistics as a full sort (ties, duplicates, every q)', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      for (const distinct of [2, 7, 1e9]) {
        const v = Float64Array.from({ length: n }, () => Math.floor(rand() * distinct) - distinct / 3);
        const sorted = Float64Array.from(v).sort();
        for (const q of [0, 0.5, 1, 10, 33.3, 50, 99, 100]) {
          const x = (n - 1) * (q / 100);
          const i = Math.min(Math.floor(x), n - 1);
          const g = x - i;
          const a = sorted[i] as number;
          const b = sorted[Math.min(i + 1, n - 1)] as number;
          expect(percentileLinear(v, q)).toBe(g >= 0.5 ? b - (b - a) * (1 - g) : a + (b - a) * g);
        }
      }
    }
    expect(() => percentileLinear(Float64Array.from([1, Number.NaN]), 50)).toThrow(/NaN/);
  });

  it('validates contamination', () => {
    expect(checkContamination(0.5)).toBe(0.5);
    for (const bad of [0, -0.1, 0.51, Number.NaN, '0.1', null]) expect(() => checkContamination(bad)).toThrow(/contamination/);
  });

  it('computes c(n) within 1 ulp-ish of numpy (the dump table)', () => {
    const table = (readFixture('seed5', 'forest') as { average_path_length_table: number[] }).average_path_length_table;
    expect(averagePathLength(0)).toBe(0);
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    table.forEach((c, k) => expect(Math.abs(averagePathLength(k) - c)).toBeLessThanOrEqual(4e-15));
  });
});
