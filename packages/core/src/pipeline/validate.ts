/**
 * Promotion gates for a freshly trained candidate, checked on held-back events the
 * candidate did not train on. A candidate passes when:
 *   - its feature set is one this build (and so every worker of this build) knows;
 *   - its scores are finite, and its forest's scores not all equal (a degenerate forest isolates nothing);
 *   - its *forest's* flag rate on the held-back slice is near the configured contamination:
 *     at most max(maxFlagRateFactor × contamination, contamination + flagRateSlack).
 *
 * Why the forest's flag rate and not the final one: the final score also lifts *novel* events
 * (novelty guard, graded band of models with history: a template, signature or first stack
 * trace the training part never had). The held-back slice is the newest part of the sample, so
 * it holds events the training part never saw — on a small or bursty sample a large share — and
 * flagging those is the model doing its job, not a miscalibrated forest. Gating on the final
 * flag rate rejected healthy retrains for exactly that reason. The forest component (the
 * Isolation Forest's own score against its own offset_-derived threshold, the part whose
 * calibration contamination controls) is what this gate checks; the final flag rate
 * (`candidate.flagRate`) and the share of held-back events that are novel (`noveltyShare`) are
 * reported beside it for operators, like the active model's summary on the same slice and the KS
 * distance between the two score distributions: reported, not gated, because logs may drift.
 * Counting the holdout into the history instead would hide exactly the novelty an operator wants
 * to see in the report.
 */
import { featureSet } from '../features/sets.ts';
import type { ModelArtifact, ValidationReport } from '../model/artifact.ts';
import type { ParseContext } from '../parse/index.ts';
import type { LogRecord } from '../types.ts';
import { Scorer } from './scorer.ts';
import { ksDistance, summarizeScores } from './summary.ts';

export interface ValidateOptions {
  /** Expected anomaly share. @defaultValue the candidate's contamination, or 0.01 for 'auto' */
  contamination?: number;
  /** Flag-rate ceiling as a multiple of contamination. @defaultValue 5 */
  maxFlagRateFactor?: number;
  /** Flag-rate ceiling as contamination plus this. @defaultValue 0.05 */
  flagRateSlack?: number;
  /** Receive time for events without a time. */
  receivedAt?: number;
  /** Parse context of the held-back records (as scoring would have it). */
  parse?: ParseContext;
  /** Join stack-trace lines of the held-back records; false when they are events already. @defaultValue true */
  join?: boolean;
}

export function validateCandidate(
  candidate: ModelArtifact,
  active: ModelArtifact | undefined,
  holdout: LogRecord[],
  opts: ValidateOptions = {},
): ValidationReport {
  const reasons: string[] = [];
  try {
    featureSet(candidate.featureSet.name, candidate.featureSet.version);
  } catch (err) {
    return { passed: false, reasons: [(err as Error).message], holdoutEvents: 0 };
  }
  const scorer = new Scorer(candidate);
  const receivedAt = opts.receivedAt ?? Date.now();
  const batch = { receivedAt, join: opts.join ?? true, ...(opts.parse ? { parse: opts.parse } : {}) };
  const c = scorer.scoreBatch(holdout, batch);
  const summary = summarizeScores(c.scores, candidate.threshold);
  const report: ValidationReport = { passed: true, reasons, holdoutEvents: c.nRows, candidate: summary };
  let forestFlagged = 0;
  let novel = 0;
  // The forest's own scores (no novelty band, no history): what the gates below check.
  const forestScores = c.nRows > 0 ? scorer.forest.anomalyScore(c.X, c.nRows) : undefined;
  if (forestScores) {
    const forestThreshold = -scorer.forest.offset;
    for (let i = 0; i < c.nRows; i++) {
      if ((forestScores[i] as number) > forestThreshold) forestFlagged++;
      if (c.novel?.[i]) novel++;
    }
    report.forestFlagRate = forestFlagged / c.nRows;
    report.noveltyShare = novel / c.nRows;
  }
  if (c.nRows === 0) {
    // Nothing held back (tiny training sets): the training-set summary stands in.
    report.candidate = candidate.training.scores;
  } else {
    for (const s of c.scores) {
      if (!Number.isFinite(s)) {
        reasons.push('candidate produced a non-finite score');
        break;
      }
    }
    let min = Infinity, max = -Infinity;
    for (const s of forestScores!) {
      if (s < min) min = s;
      if (s > max) max = s;
    }
    if (c.nRows > 1 && max - min < 1e-12) reasons.push('candidate scores every held-back event the same (degenerate forest)');
    const cont = opts.contamination ?? (candidate.contamination === 'auto' ? 0.01 : candidate.contamination);
    const ceiling = Math.max((opts.maxFlagRateFactor ?? 5) * cont, cont + (opts.flagRateSlack ?? 0.05));
    const forestRate = report.forestFlagRate ?? 0;
    if (forestRate > ceiling) {
      reasons.push(`candidate's forest flags ${(forestRate * 100).toFixed(2)}% of held-back events, above the ${(ceiling * 100).toFixed(2)}% ceiling`);
    }
  }
  if (active && c.nRows > 0) {
    try {
      const a = new Scorer(active).scoreBatch(holdout, batch);
      report.active = { ...summarizeScores(a.scores, active.threshold), version: active.version };
      report.ksDistance = ksDistance(c.scores, a.scores);
    } catch {
      // An unreadable active model is no reason to keep a good candidate out.
    }
  }
  report.passed = reasons.length === 0;
  return report;
}
