import type { ScoreSummary } from '../model/artifact.ts';

/** Quantiles, mean and flag rate of anomaly scores. */
export function summarizeScores(scores: Float64Array, threshold: number): ScoreSummary {
  const n = scores.length;
  if (n === 0) return { p50: 0, p90: 0, p99: 0, max: 0, mean: 0, flagRate: 0 };
  const sorted = Float64Array.from(scores).sort();
  const q = (p: number): number => sorted[Math.min(n - 1, Math.floor(p * (n - 1)))] as number;
  let sum = 0, flagged = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i] as number;
    sum += s;
    if (s > threshold) flagged++;
  }
  return { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: sorted[n - 1] as number, mean: sum / n, flagRate: flagged / n };
}

/** Two-sample Kolmogorov–Smirnov statistic: the largest gap between the empirical CDFs. */
export function ksDistance(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0, j = 0, d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i] as number, y[j] as number);
    while (i < x.length && (x[i] as number) <= v) i++;
    while (j < y.length && (y[j] as number) <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}
