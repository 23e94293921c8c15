/**
 * Novelty guard: what the forest cannot see.
 *
 * An Isolation Forest never splits on a feature that was constant in its training data, so an
 * event that differs only there (the first ERROR after a bootstrap on clean INFO traffic, the
 * first stack trace, the first unparseable line) lands in the same leaves as routine events and
 * scores like them. The guard records, at training time, every column that was constant and its
 * value; at scoring time an event that differs on one of them is treated as isolated by the
 * first cut of every tree (path length 1, the shortest a split can give), so its score is
 * 2^(-1 / c(ψ)) — about 0.935 for ψ = 256 — unless the forest already scores it higher.
 * The forest's own scores are untouched (scikit-learn parity holds); imported scikit-learn
 * models carry no guard. Disable with `noveltyGuard: false` at training time.
 */

/** [column index, the value every training row had]. */
export type ConstantColumns = Array<[number, number]>;

export function constantColumns(X: Float64Array, nRows: number, nCols: number): ConstantColumns {
  const out: ConstantColumns = [];
  if (nRows === 0) return out;
  for (let j = 0; j < nCols; j++) {
    const v = X[j] as number;
    let constant = true;
    for (let i = 1; i < nRows; i++) {
      if (X[i * nCols + j] !== v) {
        constant = false;
        break;
      }
    }
    if (constant) out.push([j, v]);
  }
  return out;
}

/** Score of a point isolated by the first cut of every tree: 2^(-1 / c(ψ)). */
export function noveltyScore(averagePathLengthMaxSamples: number): number {
  return averagePathLengthMaxSamples > 0 ? 2 ** (-1 / averagePathLengthMaxSamples) : 0.5;
}

/**
 * Raise the score of rows that differ from training on a constant column. Returns, per row,
 * how many guarded columns it breaks (0 for most rows), or undefined when no row breaks any.
 */
export function applyGuard(
  guard: ConstantColumns,
  X: Float64Array,
  nRows: number,
  nCols: number,
  scores: Float64Array,
  floor: number,
): Uint8Array | undefined {
  if (guard.length === 0) return undefined;
  let broken: Uint8Array | undefined;
  for (let i = 0; i < nRows; i++) {
    const o = i * nCols;
    let k = 0;
    for (const [j, v] of guard) if (X[o + j] !== v) k++;
    if (k > 0) {
      broken ??= new Uint8Array(nRows);
      broken[i] = Math.min(k, 255);
      if ((scores[i] as number) < floor) scores[i] = floor;
    }
  }
  return broken;
}
