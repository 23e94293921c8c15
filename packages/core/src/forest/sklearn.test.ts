import { describe, expect, it } from 'vitest';
import { importSklearnDump, sklearnDumpToArrays } from './sklearn.ts';
import { IsolationForest } from './forest.ts';
import { flatten, readFixture, type ExpectedSet, type FixtureName } from './fixtures/load.ts';

const TOL = 1e-12;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe.each<FixtureName>(['seed5', 'gauss8'])('scikit-learn parity: %s', (name) => {
  const dump = readFixture(name, 'forest');
  const expected = readFixture(name, 'expected');
  const train = readFixture(name, 'train');
  const forest = importSklearnDump(dump);
  const nCols = train.shape[1];
  const sets: Array<[string, Float64Array, ExpectedSet]> = [
    ['train', flatten(train.X), expected.train],
    ['test', flatten(expected.test.X), expected.test],
    ['edge', flatten(expected.edge.X), expected.edge],
  ];

  it('imports the dump with its metadata', () => {
    expect(forest.nEstimators).toBe(100);
    expect(forest.maxSamples).toBe(256);
    expect(forest.nFeatures).toBe(nCols);
    expect(forest.offset).toBe(expected.offset_);
  });

  it.each(sets)('%s rows: path_length_sum bit-exact, scores within 1e-12, predict identical', (_set, X, exp) => {
    const n = exp.n_rows;
    const sums = forest.pathLengthSum(X, n);
    expect(mismatches(sums, exp.path_length_sum)).toBe(0);
    expect(maxAbsDiff(forest.scoreSamples(X, n), exp.score_samples)).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(forest.decisionFunction(X, n), exp.decision_function)).toBeLessThanOrEqual(TOL);
    expect(mismatches(forest.predict(X, n), exp.predict)).toBe(0);
    const anomaly = forest.anomalyScore(X, n);
    expect(maxAbsDiff(anomaly, exp.score_samples.map((s) => -s))).toBeLessThanOrEqual(TOL);
  });

  it('single-row scoring equals batch scoring', () => {
    const X = flatten(expected.edge.X);
    const batch = forest.scoreSamples(X, expected.edge.n_rows);
    for (let r = 0; r < expected.edge.n_rows; r++) expect(forest.scoreSample(X, r * nCols)).toBe(batch[r]);
  });

  it('test rows reach the same leaf ids as scikit-learn', () => {
    const X = flatten(expected.test.X);
    const leaves = forest.apply(X, expected.test.n_rows);
    expect(mismatches(leaves, expected.test.leaves.flat())).toBe(0);
  });

  it('edge rows are the ones a float64 traversal would get wrong', () => {
    // Scoring the edge rows without the float32 cast (threshold compared to the raw double) must
    // change path lengths: the parity above therefore proves the cast is applied.
    const a = sklearnDumpToArrays(dump);
    const X = flatten(expected.edge.X);
    let changed = 0;
    for (let r = 0; r < expected.edge.n_rows; r++) {
      let acc = 0;
      for (let t = 0; t < a.nEstimators; t++) {
        const base = a.treeOffsets[t] as number;
        let g = base;
        while (a.left[g] !== -1) {
          const x = X[r * nCols + (a.feature[g] as number)] as number;
          g = base + (x <= (a.threshold[g] as number) ? (a.left[g] as number) : (a.right[g] as number));
        }
        acc += a.leafValue[g] as number;
      }
      if (acc !== expected.edge.path_length_sum[r]) changed++;
    }
    expect(changed).toBeGreaterThan(expected.edge.n_rows / 4);
  });

  it('toArrays/fromArrays round trip keeps scores identical', () => {
    const again = IsolationForest.fromArrays(forest.toArrays());
    const X = flatten(expected.test.X);
    expect(mismatches(again.scoreSamples(X, expected.test.n_rows), forest.scoreSamples(X, expected.test.n_rows))).toBe(0);
  });
});

describe('importSklearnDump errors', () => {
  const dump = readFixture('seed5', 'forest') as Record<string, unknown>;

  it('rejects a non-dump with the offending key', () => {
    expect(() => importSklearnDump({ format: 'other' })).toThrow(/not a valid sklearn-iforest-dump\/1 dump: format/);
    expect(() => importSklearnDump(null)).toThrow(/not a valid/);
  });

  it('rejects inconsistent trees and tables', () => {
    const trees = dump.trees as Array<Record<string, unknown>>;
    expect(() => importSklearnDump({ ...dump, n_estimators: 99 })).toThrow(/100 trees but n_estimators = 99/);
    expect(() => importSklearnDump({ ...dump, average_path_length_table: [0, 0, 1] })).toThrow(/average_path_length_table/);
    const broken = structuredClone(trees);
    (broken[0] as { feature: number[] }).feature.pop();
    expect(() => importSklearnDump({ ...dump, trees: broken })).toThrow(/trees\[0\]\.feature has/);
    const cyclic = structuredClone(trees);
    (cyclic[1] as { children_left: number[] }).children_left[0] = 0;
    expect(() => importSklearnDump({ ...dump, trees: cyclic })).toThrow(/trees\[1\] node 0/);
  });

  it('maps per-tree feature subsets to input columns', () => {
    // Same forest, expressed as if each tree saw the columns in reverse order.
    const d = structuredClone(dump) as { trees: Array<{ feature: number[] }>; estimators_features_: number[][]; subsample_features: boolean };
    const nF = 5;
    d.subsample_features = true;
    d.estimators_features_ = d.trees.map(() => [4, 3, 2, 1, 0]);
    for (const t of d.trees) t.feature = t.feature.map((f) => (f < 0 ? f : nF - 1 - f));
    const expected = readFixture('seed5', 'expected');
    const X = flatten(expected.test.X);
    const a = importSklearnDump(dump).scoreSamples(X, expected.test.n_rows);
    const b = importSklearnDump(d).scoreSamples(X, expected.test.n_rows);
    expect(mismatches(a, b)).toBe(0);
  });
});
