import { describe, expect, it } from 'vitest';
import { atFlagged, bestF1, precisionAtRecall, rocAucWithin, tiedFlagged } from './ranking.ts';

/** F1 of "flag score ≥ t" by brute force. */
function f1At(s: number[], y: number[], t: number): number {
  let tp = 0, fp = 0, fn = 0;
  s.forEach((v, i) => {
    if (v >= t && y[i]) tp++;
    else if (v >= t) fp++;
    else if (y[i]) fn++;
  });
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

describe('ranking metrics', () => {
  it('bestF1 equals the brute-force maximum over thresholds', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 20; trial++) {
      const s = Array.from({ length: 60 }, () => Math.floor(rnd() * 12) / 12);
      const y = s.map((v) => (rnd() < v * 0.6 ? 1 : 0));
      if (!y.some(Boolean)) y[0] = 1;
      const brute = Math.max(...s.map((t) => f1At(s, y, t)));
      const b = bestF1(s, y);
      expect(b.f1).toBeCloseTo(brute, 12);
      expect(f1At(s, y, b.threshold)).toBeCloseTo(brute, 12);
    }
    expect(bestF1([1, 2], [0, 0]).f1).toBeNaN();
  });

  it('atFlagged takes the top k and shares a tied block in proportion', () => {
    const s = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
    const y = [1, 0, 1, 0, 0, 0, 0, 0, 0, 1];
    expect(atFlagged(s, y, 0.2)).toEqual({ fraction: 0.2, k: 2, recall: 1 / 3, precision: 0.5 });
    expect(atFlagged(s, y, 0.3).recall).toBeCloseTo(2 / 3, 12);
    // Four tied at the top, two of them positive; flagging 2 of 4 expects one positive.
    const tied = atFlagged([5, 5, 5, 5, 1, 1], [1, 1, 0, 0, 0, 1], 2 / 6);
    expect(tied.k).toBe(2);
    expect(tied.precision).toBeCloseTo(0.5, 12);
    expect(tied.recall).toBeCloseTo(1 / 3, 12);
    expect(atFlagged(s, y, 0.0001).k).toBe(1);
  });

  it('rocAucWithin uses only the chosen events', () => {
    const s = [0.9, 0.8, 0.1, 0.2, 0.95];
    const y = [0, 1, 1, 0, 0];
    // Among 0..3: positive scores 0.8, 0.1 vs negatives 0.9, 0.2 → wins: (0.8>0.2)=1 of 4.
    expect(rocAucWithin(s, y, [1, 1, 1, 1, 0])).toBeCloseTo(1 / 4, 12);
    expect(rocAucWithin(s, y, [1, 0, 0, 0, 1])).toBeNaN();
  });

  it('tiedFlagged counts flagged events that share a score', () => {
    expect(tiedFlagged([0.9, 0.9, 0.8, 0.7, 0.7, 0.7], [1, 1, 1, 1, 1, 0])).toBe(4);
    expect(tiedFlagged([0.9, 0.8, 0.7], [1, 1, 1])).toBe(0);
    expect(tiedFlagged([0.9, 0.9], [1, 0])).toBe(0);
  });

  it('precisionAtRecall takes the shortest top that reaches the recall, ties in proportion', () => {
    const s = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
    const y = [1, 0, 1, 0, 0, 0, 0, 0, 0, 1];
    expect(precisionAtRecall(s, y, 1 / 3)).toEqual({ recall: 1 / 3, flagged: 1, precision: 1 });
    expect(precisionAtRecall(s, y, 2 / 3).flagged).toBeCloseTo(3, 12);
    expect(precisionAtRecall(s, y, 1).precision).toBeCloseTo(3 / 10, 12);
    // Brute force on distinct scores: the smallest k whose top-k holds ⌈r·P⌉ positives.
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 20; trial++) {
      const sc = Array.from({ length: 50 }, (_, i) => i + rnd() * 0.5).sort(() => rnd() - 0.5);
      const lab: number[] = sc.map((v) => (rnd() < v / 80 ? 1 : 0));
      if (!lab.some(Boolean)) lab[0] = 1;
      const P = lab.reduce((a, b) => a + b, 0);
      const order = sc.map((v, i) => [v, lab[i]!] as const).sort((a, b) => b[0] - a[0]);
      let tp = 0;
      const k = order.findIndex(([, l]) => (tp += l) === P) + 1;
      expect(precisionAtRecall(sc, lab, 1)).toEqual({ recall: 1, flagged: k, precision: P / k });
    }
    // A tie holding the last positive: four tied, one positive. Flagging m of them yields m/4
    // positives (as atFlagged counts), so the whole block is needed; half a positive needs two.
    expect(precisionAtRecall([5, 3, 3, 3, 3], [1, 0, 1, 0, 0], 1).flagged).toBeCloseTo(1 + 4, 12);
    expect(precisionAtRecall([5, 3, 3, 3, 3], [1, 0, 1, 0, 0], 0.75).flagged).toBeCloseTo(1 + 2, 12);
    expect(precisionAtRecall([1, 2], [0, 0], 1).precision).toBeNaN();
    expect(precisionAtRecall([1, 2], [1, 0], 0).precision).toBeNaN();
  });
});
