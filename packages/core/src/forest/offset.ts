/**
 * scikit-learn's `offset_` (sklearn 1.2.1 `IsolationForest.fit`): -0.5 for contamination 'auto',
 * otherwise `np.percentile(score_samples(X_train), 100 * contamination)` with numpy's default
 * 'linear' method, reproduced operation for operation (see fixtures README).
 */

/**
 * numpy `percentile(values, q)` with method 'linear': sort ascending, virtual index
 * v = (n - 1) * (q / 100), i = floor(v), g = v - i, then numpy's `_lerp`:
 * `s[i+1] - d*(1-g)` when g ≥ 0.5, else `s[i] + d*g`, with d = s[i+1] - s[i] (i+1 clipped to n-1).
 * Does not modify `values`.
 */
export function percentileLinear(values: Float64Array, q: number): number {
  const n = values.length;
  if (n === 0) throw new Error('percentile of an empty array');
  const s = Float64Array.from(values).sort();
  const v = (n - 1) * (q / 100);
  const i = Math.min(Math.floor(v), n - 1);
  const g = v - i;
  const a = s[i] as number;
  const b = s[Math.min(i + 1, n - 1)] as number;
  const d = b - a;
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

/** Validate a contamination option: 'auto' or a number in (0, 0.5] (scikit-learn's range). */
export function checkContamination(c: unknown): number | 'auto' {
  if (c === 'auto') return c;
  if (typeof c !== 'number' || !(c > 0 && c <= 0.5)) {
    throw new Error(`contamination must be 'auto' or a number in (0, 0.5]; got ${String(c)}`);
  }
  return c;
}

/** offset_ for training scores `scores` (scikit-learn sign: lower is more anomalous). */
export function offsetFromContamination(scores: Float64Array, contamination: number | 'auto'): number {
  if (contamination === 'auto') return -0.5;
  return percentileLinear(scores, 100.0 * contamination);
}
