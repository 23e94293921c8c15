/**
 * IsolationForest with scikit-learn semantics (sklearn 1.2.1 `sklearn.ensemble.IsolationForest`):
 * same defaults, same score sign (`scoreSamples` is negative, lower = more anomalous), same
 * `offset_` rule and, for a forest imported from scikit-learn, the same scores (≤ 1 ulp) and
 * predictions. Inputs are row-major Float64Array-likes, cast to float32 like scikit-learn.
 * Scoring runs in the kernel `createKernel` picks (WebAssembly SIMD block heap, else scalar
 * WebAssembly rank heap, else JavaScript, else a node walk for forests deeper than 12), all
 * bit-identical.
 */
import type { ForestArrays } from './arrays.ts';
import { LEAF, checkForestArrays } from './arrays.ts';
import { defaultMaxDepth, growTrees, resolveMaxSamples } from './fit.ts';
import { createKernel, type SumKernel } from './kernel.ts';
import { checkContamination, offsetFromSums } from './offset.ts';
import { averagePathLengthTable } from './path-length.ts';
import { Xoshiro128 } from './prng.ts';
import { explainRow, logNodeSamples } from './explain.ts';

/** Options of `IsolationForest.fit`; names and defaults follow scikit-learn. */
export interface FitOptions {
  /** Number of trees. @defaultValue 100 */
  nEstimators?: number;
  /**
   * Sub-sample size per tree: 'auto' → min(256, nRows); an integer ≥ 1 → that many rows (capped
   * at nRows); a fraction in (0, 1) → floor(fraction · nRows). @defaultValue 'auto'
   */
  maxSamples?: 'auto' | number;
  /**
   * Expected share of anomalies, sets `offset`: 'auto' → offset -0.5; a number in (0, 0.5] →
   * that percentile of the training scores. @defaultValue 'auto' (logforest's callers pass 0.01)
   */
  contamination?: 'auto' | number;
  /** Seed of the generator; the same seed, data and options give identical arrays. @defaultValue 42 */
  randomState?: number;
  /** Depth limit of each tree. @defaultValue ceil(log2(max(psi, 2))), psi = resolved maxSamples */
  maxDepth?: number;
}

function checkMatrix(X: ArrayLike<number>, nRows: number, nCols: number, what: string): void {
  if (!Number.isInteger(nRows) || nRows < 0) throw new Error(`${what}: nRows must be a non-negative integer; got ${nRows}`);
  if (!Number.isInteger(nCols) || nCols < 1) throw new Error(`${what}: nCols must be a positive integer; got ${nCols}`);
  if (X.length !== nRows * nCols) {
    throw new Error(`${what}: X has ${X.length} values, expected nRows × nCols = ${nRows} × ${nCols} = ${nRows * nCols} (row-major)`);
  }
}

function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer; got ${v}`);
  return v;
}

/** A fitted (or imported) Isolation Forest. Immutable; safe to share between callers. */
export class IsolationForest {
  private readonly a: ForestArrays;
  private readonly kernel: SumKernel;
  private readonly denominator: number;
  private readonly one = new Float64Array(1);
  private logN: Float64Array | null = null;

  private constructor(a: ForestArrays) {
    this.a = a;
    this.kernel = createKernel(a);
    this.denominator = a.nEstimators * a.averagePathLengthMaxSamples;
  }

  /**
   * Fit on row-major `X` (nRows × nCols). Values are cast to float32 first; NaN, ±Infinity or a
   * magnitude beyond float32 range throws. nRows must be ≥ 1.
   */
  static fit(X: ArrayLike<number>, nRows: number, nCols: number, opts: FitOptions = {}): IsolationForest {
    checkMatrix(X, nRows, nCols, 'IsolationForest.fit');
    if (nRows < 1) throw new Error('IsolationForest.fit: need at least one row (nRows = 0)');
    for (let i = 0; i < X.length; i++) {
      const v = Math.fround(X[i] as number);
      if (v - v !== 0) {
        throw new Error(`IsolationForest.fit: X[${Math.floor(i / nCols)}, ${i % nCols}] = ${X[i]} is not finite after the float32 cast`);
      }
    }
    const nEstimators = positiveInt(opts.nEstimators ?? 100, 'nEstimators');
    const contamination = checkContamination(opts.contamination ?? 'auto');
    const psi = resolveMaxSamples(opts.maxSamples ?? 'auto', nRows);
    const maxDepth = opts.maxDepth ?? defaultMaxDepth(psi);
    if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new Error(`maxDepth must be a non-negative integer; got ${maxDepth}`);
    const seed = opts.randomState ?? 42;
    if (!Number.isFinite(seed)) throw new Error(`randomState must be a finite number; got ${seed}`);
    const table = averagePathLengthTable(psi);
    const trees = growTrees(X, nRows, nCols, nEstimators, psi, maxDepth, table, new Xoshiro128(seed));
    const arrays: ForestArrays = {
      nEstimators,
      maxSamples: psi,
      nFeatures: nCols,
      maxDepth,
      offset: -0.5,
      contamination,
      averagePathLengthMaxSamples: table[psi] as number,
      averagePathLengthTable: table,
      ...trees,
    };
    const forest = new IsolationForest(arrays);
    if (contamination !== 'auto') {
      // The percentile of the training scores, taken on their path-length sums (offset.ts).
      arrays.offset = offsetFromSums(forest.pathLengthSum(X, nRows), contamination, (s) => forest.toScore(s));
    }
    return forest;
  }

  /** Load from plain arrays (validated; throws on a malformed forest). The arrays are not copied. */
  static fromArrays(a: ForestArrays): IsolationForest {
    return new IsolationForest(checkForestArrays(a));
  }

  /** The forest as plain typed arrays and numbers (the instance's own arrays; do not mutate). */
  toArrays(): ForestArrays {
    return this.a;
  }

  /** Subtracted from `scoreSamples` to give `decisionFunction` (scikit-learn's `offset_`). */
  get offset(): number {
    return this.a.offset;
  }
  get nFeatures(): number {
    return this.a.nFeatures;
  }
  get nEstimators(): number {
    return this.a.nEstimators;
  }
  get maxSamples(): number {
    return this.a.maxSamples;
  }
  get contamination(): number | 'auto' {
    return this.a.contamination;
  }

  /**
   * Un-normalised path lengths summed over trees in tree order (scikit-learn's `depths`; bit-exact
   * with a dump's table). `out`, when given, needs ≥ nRows entries and is returned.
   */
  pathLengthSum(X: ArrayLike<number>, nRows: number, out?: Float64Array): Float64Array {
    checkMatrix(X, nRows, this.a.nFeatures, 'score');
    const res = out ?? new Float64Array(nRows);
    if (res.length < nRows) throw new Error(`out has ${res.length} entries, need ${nRows}`);
    this.sums(X, 0, nRows, res);
    return res;
  }

  private sums(X: ArrayLike<number>, start: number, nRows: number, out: Float64Array): void {
    this.kernel.sums(X, start, nRows, out);
  }

  private toScore(sum: number): number {
    const d = this.denominator;
    return -(2 ** -(d !== 0 ? sum / d : 1));
  }

  /** scikit-learn `score_samples`: -(2^(-E[h(x)]/c(psi))), in [-1, 0); lower is more anomalous. */
  scoreSamples(X: ArrayLike<number>, nRows: number, out?: Float64Array): Float64Array {
    const res = this.pathLengthSum(X, nRows, out);
    for (let i = 0; i < nRows; i++) res[i] = this.toScore(res[i] as number);
    return res;
  }

  /** scikit-learn `decision_function` = scoreSamples - offset; negative means anomaly. */
  decisionFunction(X: ArrayLike<number>, nRows: number, out?: Float64Array): Float64Array {
    const res = this.scoreSamples(X, nRows, out);
    const off = this.a.offset;
    for (let i = 0; i < nRows; i++) res[i] = (res[i] as number) - off;
    return res;
  }

  /** scikit-learn `predict`: -1 (anomaly) where decisionFunction < 0, else +1. */
  predict(X: ArrayLike<number>, nRows: number, out?: Int8Array | Float64Array): Int8Array | Float64Array {
    const d = this.decisionFunction(X, nRows);
    const res = out ?? new Int8Array(nRows);
    if (res.length < nRows) throw new Error(`out has ${res.length} entries, need ${nRows}`);
    for (let i = 0; i < nRows; i++) res[i] = (d[i] as number) < 0 ? -1 : 1;
    return res;
  }

  /** Liu et al. anomaly score 2^(-E[h(x)]/c(psi)) = -scoreSamples, in (0, 1]; higher is more anomalous. */
  anomalyScore(X: ArrayLike<number>, nRows: number, out?: Float64Array): Float64Array {
    const res = this.scoreSamples(X, nRows, out);
    for (let i = 0; i < nRows; i++) res[i] = -(res[i] as number);
    return res;
  }

  /** `scoreSamples` of the single row at `row[rowOffset ..]`, without allocating. */
  scoreSample(row: ArrayLike<number>, rowOffset = 0): number {
    if (!Number.isInteger(rowOffset) || rowOffset < 0 || row.length < rowOffset + this.a.nFeatures) {
      throw new Error(`scoreSample: need ${this.a.nFeatures} values from offset ${rowOffset}, row has ${row.length}`);
    }
    this.sums(row, rowOffset, 1, this.one);
    return this.toScore(this.one[0] as number);
  }

  /** Per-feature attribution of one row, summing to 1 (see `explain.ts` for the scheme). */
  explain(row: ArrayLike<number>, rowOffset = 0): Float64Array {
    this.logN ??= logNodeSamples(this.a);
    return explainRow(this.a, row, rowOffset, this.logN);
  }

  /**
   * Leaf reached in every tree (scikit-learn's `estimators_[t].apply`): tree-local node ids,
   * row-major nRows × nEstimators.
   */
  apply(X: ArrayLike<number>, nRows: number): Int32Array {
    checkMatrix(X, nRows, this.a.nFeatures, 'apply');
    const { treeOffsets, feature, threshold, left, right, nEstimators: nT, nFeatures: nF } = this.a;
    const res = new Int32Array(nRows * nT);
    for (let r = 0; r < nRows; r++) {
      for (let t = 0; t < nT; t++) {
        const base = treeOffsets[t] as number;
        let node = 0;
        while (left[base + node] !== LEAF) {
          const g = base + node;
          const x = Math.fround(X[r * nF + (feature[g] as number)] as number);
          node = x <= (threshold[g] as number) ? (left[g] as number) : (right[g] as number);
        }
        res[r * nT + t] = node;
      }
    }
    return res;
  }
}
