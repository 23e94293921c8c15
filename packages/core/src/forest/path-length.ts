/**
 * Average path length of an unsuccessful binary-search-tree search, c(n) (Liu et al. 2008),
 * exactly as scikit-learn's `_average_path_length` computes it (sklearn 1.2.1
 * `ensemble/_iforest.py`): c(n) = 0 for n ≤ 1, 1 for n = 2, otherwise
 * `2.0*(log(n-1.0) + euler_gamma) - 2.0*(n-1.0)/n`.
 *
 * numpy's SIMD `log` may differ from V8's `Math.log` by 1 ulp for some n, so a forest imported
 * from scikit-learn keeps the dump's table instead (see `sklearn.ts`).
 */

/** Euler–Mascheroni constant as numpy spells it (`np.euler_gamma`). */
export const EULER_GAMMA = 0.5772156649015329;

/** c(n) for one sample count. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2.0 * (Math.log(n - 1.0) + EULER_GAMMA) - (2.0 * (n - 1.0)) / n;
}

/** Table of c(k) for k = 0..maxSamples (length maxSamples + 1). */
export function averagePathLengthTable(maxSamples: number): Float64Array {
  const table = new Float64Array(maxSamples + 1);
  for (let k = 0; k <= maxSamples; k++) table[k] = averagePathLength(k);
  return table;
}

/**
 * Path length credited to a row that ends in a leaf at `depth` (root = 0) holding `nLeaf`
 * training samples, in scikit-learn's operation order: `((depth + 1) + c(nLeaf)) - 1.0`.
 * Summing these per tree in tree order reproduces sklearn's `depths` bit for bit.
 */
export function leafPathLength(depth: number, cLeaf: number): number {
  return depth + 1 + cLeaf - 1.0;
}
