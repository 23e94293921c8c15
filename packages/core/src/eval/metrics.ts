/**
 * Detection metrics against binary labels: precision / recall / F1 at the model's
 * threshold, and the threshold-free ROC-AUC and PR-AUC (average precision) of the scores.
 */

export interface Metrics {
  n: number;
  positives: number;
  flagged: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  /** Area under the ROC curve; ties count one half (Mann–Whitney). NaN with one class only. */
  rocAuc: number;
  /** Average precision (area under the precision–recall step curve, scikit-learn's definition). */
  prAuc: number;
}

/** `scores`: higher = more anomalous. `flags`: the model's decisions. `labels`: 1 = anomaly. */
export function evaluate(scores: ArrayLike<number>, flags: ArrayLike<boolean | number>, labels: ArrayLike<number>): Metrics {
  const n = labels.length;
  if (scores.length !== n || flags.length !== n) throw new Error('scores, flags and labels must have the same length');
  let tp = 0, fp = 0, fn = 0, positives = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i] ? 1 : 0;
    const f = flags[i] ? 1 : 0;
    positives += y;
    if (f && y) tp++;
    else if (f) fp++;
    else if (y) fn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = positives === 0 ? 0 : tp / positives;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    n, positives, flagged: tp + fp, tp, fp, fn, precision, recall, f1,
    rocAuc: rocAuc(scores, labels),
    prAuc: averagePrecision(scores, labels),
  };
}

function order(scores: ArrayLike<number>): number[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  return idx.sort((a, b) => (scores[b] as number) - (scores[a] as number));
}

export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  // Rank-sum with average ranks for ties.
  const n = scores.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let pos = 0, rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1] as number] === scores[idx[i] as number]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[idx[k] as number]) {
        pos++;
        rankSum += avgRank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const idx = order(scores);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] ? 1 : 0;
  if (positives === 0) return Number.NaN;
  let tp = 0, seen = 0, ap = 0, prevRecall = 0;
  for (let i = 0; i < idx.length; ) {
    // A block of tied scores is one threshold.
    let j = i;
    const s = scores[idx[i] as number];
    while (j < idx.length && scores[idx[j] as number] === s) {
      seen++;
      if (labels[idx[j] as number]) tp++;
      j++;
    }
    const recall = tp / positives;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
    i = j;
  }
  return ap;
}
