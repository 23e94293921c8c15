import { describe, expect, it } from 'vitest';
import { IsolationForest } from '../forest/index.ts';
import { decodeModel, encodeModel, ModelFormatError } from './codec.ts';
import { rawModel } from './raw.ts';

const X = Float64Array.from({ length: 200 * 2 }, (_, i) => ((i * 7919) % 101) / 10);
const forest = IsolationForest.fit(X, 200, 2, { nEstimators: 10, contamination: 0.05 });

describe('raw-feature models', () => {
  it('round-trip through the codec when allowed, with their column names and threshold', () => {
    const m = decodeModel(encodeModel(rawModel(forest.toArrays(), ['a', 'b'])), { allowRaw: true });
    expect(m.featureSet).toEqual({ name: 'raw', version: 1, columns: ['a', 'b'] });
    expect(m.threshold).toBe(-forest.offset);
  });

  it('are refused by default (event scorers: worker, ingest, trainer) with a reason', () => {
    const blob = encodeModel(rawModel(forest.toArrays(), ['a', 'b']));
    expect(() => decodeModel(blob)).toThrow(ModelFormatError);
    expect(() => decodeModel(blob)).toThrow(/raw-feature model over 2 named columns/);
  });

  it('refuse column names that do not fit the forest or repeat', () => {
    expect(() => rawModel(forest.toArrays(), ['a'])).toThrow(/1 column names for a forest of 2 features/);
    expect(() => rawModel(forest.toArrays(), ['a', 'a'])).toThrow(/distinct/);
    const bad = rawModel(forest.toArrays(), ['a', 'b']);
    bad.featureSet.columns = ['a', 'b', 'c'];
    expect(() => decodeModel(encodeModel(bad), { allowRaw: true })).toThrow(/names 3 columns but its forest has 2 features/);
  });
});
