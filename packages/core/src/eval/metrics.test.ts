import { describe, expect, it } from 'vitest';
import { averagePrecision, evaluate, rocAuc } from './metrics.ts';

describe('evaluate', () => {
  it('counts precision, recall and F1 at the flags', () => {
    const m = evaluate([0.9, 0.8, 0.1, 0.2], [true, true, false, false], [1, 0, 1, 0]);
    expect([m.tp, m.fp, m.fn]).toEqual([1, 1, 1]);
    expect(m.precision).toBe(0.5);
    expect(m.recall).toBe(0.5);
    expect(m.f1).toBe(0.5);
  });

  it('ROC-AUC is 1 for a perfect ranking, 0.5 for all ties, 0 when inverted', () => {
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
  });

  it('ROC-AUC matches the pairwise definition on a mixed ranking', () => {
    const s = [0.9, 0.7, 0.7, 0.4, 0.3, 0.2];
    const y = [1, 0, 1, 0, 1, 0];
    let wins = 0, pairs = 0;
    for (let i = 0; i < s.length; i++) for (let j = 0; j < s.length; j++) {
      if (y[i] === 1 && y[j] === 0) {
        pairs++;
        wins += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
      }
    }
    expect(rocAuc(s, y)).toBeCloseTo(wins / pairs, 12);
  });

  it('average precision follows scikit-learn on a small case', () => {
    // sklearn.metrics.average_precision_score([1,0,1,0],[0.9,0.8,0.7,0.1]) = (1*0.5 + 2/3*0.5)
    expect(averagePrecision([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.5 + (2 / 3) * 0.5, 12);
  });

  it('rejects arrays of different lengths', () => {
    expect(() => evaluate([1], [true, false], [1])).toThrow(/same length/);
  });
});
