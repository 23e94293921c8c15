/**
 * Ranking metrics for evaluation beyond one threshold: best F1 over all thresholds, recall and
 * precision when a fixed share of events is flagged, ROC-AUC within a subset, and score ties.
 * Ties in the score are one threshold block: no order inside a block is assumed.
 */
import { rocAuc } from './metrics.ts';

interface Block {
  /** Events in the block (same score). */
  size: number;
  /** Positives in the block. */
  pos: number;
  score: number;
}

/** Events grouped by equal score, highest score first. */
function blocks(scores: ArrayLike<number>, labels: ArrayLike<number>): Block[] {
  const n = scores.length;
  if (labels.length !== n) throw new Error('scores and labels must have the same length');
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const out: Block[] = [];
  for (let i = 0; i < n; ) {
    const s = scores[idx[i] as number] as number;
    let j = i;
    let pos = 0;
    while (j < n && scores[idx[j] as number] === s) {
      if (labels[idx[j] as number]) pos++;
      j++;
    }
    out.push({ size: j - i, pos, score: s });
    i = j;
  }
  return out;
}

/** The best F1 over every threshold "flag score ≥ t", and the t that gives it (NaN without positives). */
export function bestF1(scores: ArrayLike<number>, labels: ArrayLike<number>): { f1: number; threshold: number } {
  const bs = blocks(scores, labels);
  let positives = 0;
  for (const b of bs) positives += b.pos;
  if (positives === 0) return { f1: Number.NaN, threshold: Number.NaN };
  let tp = 0, seen = 0, best = 0, at = Number.NaN;
  for (const b of bs) {
    tp += b.pos;
    seen += b.size;
    const f1 = (2 * tp) / (seen + positives);
    if (f1 > best) {
      best = f1;
      at = b.score;
    }
  }
  return { f1: best, threshold: at };
}

export interface AtFlagged {
  /** Share of events flagged, as asked. */
  fraction: number;
  /** Events flagged: round(fraction · n), at least 1. */
  k: number;
  recall: number;
  precision: number;
}

/**
 * Recall and precision when the k = round(fraction · n) highest-scored events are flagged. When
 * the k-th place falls inside a block of tied scores, the block's positives count in proportion
 * (the expected value over every order of the tied events), so ties are neither rewarded nor punished.
 */
export function atFlagged(scores: ArrayLike<number>, labels: ArrayLike<number>, fraction: number): AtFlagged {
  const n = scores.length;
  const k = Math.max(1, Math.min(n, Math.round(fraction * n)));
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] ? 1 : 0;
  let tp = 0, seen = 0;
  for (const b of blocks(scores, labels)) {
    if (seen + b.size <= k) {
      tp += b.pos;
      seen += b.size;
      if (seen === k) break;
      continue;
    }
    tp += ((k - seen) * b.pos) / b.size;
    break;
  }
  return { fraction, k, recall: positives === 0 ? Number.NaN : tp / positives, precision: n === 0 ? Number.NaN : tp / k };
}

/** ROC-AUC among the events where `within[i]` is set (NaN when that subset holds one class only). */
export function rocAucWithin(scores: ArrayLike<number>, labels: ArrayLike<number>, within: ArrayLike<boolean | number>): number {
  const s: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (!within[i]) continue;
    s.push(scores[i] as number);
    y.push(labels[i] ? 1 : 0);
  }
  return rocAuc(s, y);
}

/** Flagged events whose score equals that of another flagged event. */
export function tiedFlagged(scores: ArrayLike<number>, flags: ArrayLike<boolean | number>): number {
  const count = new Map<number, number>();
  for (let i = 0; i < scores.length; i++) if (flags[i]) count.set(scores[i] as number, (count.get(scores[i] as number) ?? 0) + 1);
  let tied = 0;
  for (const c of count.values()) if (c > 1) tied += c;
  return tied;
}

export interface AtRecall {
  /** Recall asked for. */
  recall: number;
  /** Events that must be flagged, from the top, to reach it (fractional inside a tied block). */
  flagged: number;
  precision: number;
}

/**
 * Precision of the shortest top-of-the-ranking that reaches `recall`: the fair way to set a
 * detector beside a rule that flags a fixed set (compare precision at the rule's own recall).
 * Inside a block of tied scores, flagging m of its n events counts m/n of its positives (as
 * `atFlagged` does), so reaching the block's last positive takes the whole block.
 * NaN precision without positives or for a recall outside (0, 1].
 */
export function precisionAtRecall(scores: ArrayLike<number>, labels: ArrayLike<number>, recall: number): AtRecall {
  const bs = blocks(scores, labels);
  let positives = 0;
  for (const b of bs) positives += b.pos;
  const none = { recall, flagged: Number.NaN, precision: Number.NaN };
  if (positives === 0 || !(recall > 0 && recall <= 1)) return none;
  const target = recall * positives;
  let tp = 0, seen = 0;
  for (const b of bs) {
    if (b.pos > 0 && tp + b.pos >= target - 1e-9) {
      const flagged = seen + ((target - tp) * b.size) / b.pos;
      return { recall, flagged, precision: target / flagged };
    }
    tp += b.pos;
    seen += b.size;
  }
  return none;
}
