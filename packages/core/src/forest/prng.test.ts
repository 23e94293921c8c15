import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from './prng.ts';

describe('Xoshiro128', () => {
  it('is reproducible per seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const r = new Xoshiro128(seed);
      return Array.from({ length: 8 }, () => r.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(0).every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true);
  });

  it('nextDouble is in [0, 1) with mean ≈ 1/2', () => {
    const r = new Xoshiro128(1);
    let sum = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = r.nextDouble();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005); // 5 sigma ≈ 0.0046
  });

  it.each([3, 7, 256, 5000, 3_000_000_001])('nextInt(%i) stays in range and is uniform (chi-square)', (n) => {
    const r = new Xoshiro128(n);
    const bins = 16;
    const counts = new Array<number>(bins).fill(0);
    const draws = 64_000;
    for (let i = 0; i < draws; i++) {
      const k = r.nextInt(n);
      expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
      counts[Math.floor((k * bins) / n)]! += 1;
    }
    // Expected count per bin (exact for bins that split [0, n) unevenly).
    let chi = 0;
    for (let b = 0; b < bins; b++) {
      const lo = Math.ceil((b * n) / bins);
      const hi = Math.ceil(((b + 1) * n) / bins);
      const e = (draws * (hi - lo)) / n;
      if (e > 0) chi += ((counts[b] as number) - e) ** 2 / e;
      else expect(counts[b]).toBe(0);
    }
    expect(chi).toBeLessThan(45); // df ≤ 15; p ≈ 1e-4
  });
});
