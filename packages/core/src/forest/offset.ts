/**
 * scikit-learn's `offset_` (sklearn 1.2.1 `IsolationForest.fit`): -0.5 for contamination 'auto',
 * otherwise `np.percentile(score_samples(X_train), 100 * contamination)` with numpy's default
 * 'linear' method, reproduced operation for operation (see fixtures README).
 */

/**
 * numpy `percentile(values, q)` with method 'linear': sort ascending, virtual index
 * v = (n - 1) * (q / 100), i = floor(v), g = v - i, then numpy's `_lerp`:
 * `s[i+1] - d*(1-g)` when g ≥ 0.5, else `s[i] + d*g`, with d = s[i+1] - s[i] (i+1 clipped to n-1).
 * Only the i-th and (i+1)-th smallest values are needed, so they are selected (quickselect,
 * O(n)) rather than sorted; the result is the same number. Does not modify `values`.
 */
export function percentileLinear(values: Float64Array, q: number): number {
  const n = values.length;
  if (n === 0) throw new Error('percentile of an empty array');
  for (let k = 0; k < n; k++) if (Number.isNaN(values[k])) throw new Error('percentile of an array with NaN');
  return percentileInPlace(Float64Array.from(values), q, (x) => x);
}

/**
 * numpy's linear `percentile` of `map(values)` for a non-decreasing `map`, rearranging `values`
 * (no NaN): the order statistics of map(v) are map of those of v, so only the two selected values
 * are mapped. `offsetFromSums` uses it on path-length sums, which skips mapping every training
 * row to its score.
 */
export function percentileInPlace(s: Float64Array, q: number, map: (v: number) => number): number {
  const n = s.length;
  if (n === 0) throw new Error('percentile of an empty array');
  const v = (n - 1) * (q / 100);
  const i = Math.min(Math.floor(v), n - 1);
  const g = v - i;
  const a0 = select(s, i);
  let b0 = a0;
  if (i + 1 < n) {
    b0 = s[i + 1] as number; // after select, s[i+1 ..] are all ≥ a: their minimum is the (i+1)-th
    for (let k = i + 2; k < n; k++) if ((s[k] as number) < b0) b0 = s[k] as number;
  }
  const a = map(a0);
  const b = map(b0);
  const d = b - a;
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

/**
 * Rearrange `s` so that s[k] is its k-th smallest value, everything before ≤ it and everything
 * after ≥ it (Hoare partition around a median of three); returns s[k].
 */
function select(s: Float64Array, k: number): number {
  let lo = 0;
  let hi = s.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = s[lo] as number;
    const y = s[mid] as number;
    const z = s[hi] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((s[i] as number) < pivot) i++;
      while ((s[j] as number) > pivot) j--;
      if (i <= j) {
        const t = s[i] as number;
        s[i] = s[j] as number;
        s[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break; // j < k < i: s[k] equals the pivot
  }
  return s[k] as number;
}

/** Validate a contamination option: 'auto' or a number in (0, 0.5] (scikit-learn's range). */
export function checkContamination(c: unknown): number | 'auto' {
  if (c === 'auto') return c;
  if (typeof c !== 'number' || !(c > 0 && c <= 0.5)) {
    throw new Error(`contamination must be 'auto' or a number in (0, 0.5]; got ${String(c)}`);
  }
  return c;
}

/**
 * offset_ from the training rows' path-length sums (overwritten): scores are
 * `toScore(sum) = -(2^(-sum / c))`, non-decreasing in the sum, so the percentile of the scores is
 * taken on the sums and only the two selected sums are turned into scores.
 */
export function offsetFromSums(sums: Float64Array, contamination: number | 'auto', toScore: (sum: number) => number): number {
  if (contamination === 'auto') return -0.5;
  return percentileInPlace(sums, 100.0 * contamination, toScore);
}

/** offset_ for training scores `scores` (scikit-learn sign: lower is more anomalous). */
export function offsetFromContamination(scores: Float64Array, contamination: number | 'auto'): number {
  if (contamination === 'auto') return -0.5;
  return percentileLinear(scores, 100.0 * contamination);
}
