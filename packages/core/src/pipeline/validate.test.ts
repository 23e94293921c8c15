import { describe, expect, it } from 'vitest';
import { syntheticJboss } from '../testing/synthetic.ts';
import { trainModel } from './train.ts';
import { validateCandidate } from './validate.ts';

const toRecords = (lines: string[]) => lines.map((line) => ({ line }));
const at = (i: number) => `2024-05-07 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},000`;

// The newest part of a sample holds message kinds the training part never had: a deployment that
// started after the cut logs its own (INFO) lines. 20% of the held-back slice is new.
const train = syntheticJboss(1500, 7, 5);
const model = trainModel(toRecords(train.lines), { contamination: 0.01, now: 0 });
const routine = syntheticJboss(400, 99, 0).lines;
const fresh = Array.from(
  { length: 100 },
  (_, i) => `${at(i)} INFO  [com.example.billing.InvoiceJob] (EE-ManagedScheduledExecutorService-default-Thread-${i % 4}) invoice batch ${i} exported to ledger shard ${i % 7}`,
);
const drifted = routine.flatMap((l, i) => (i % 4 === 3 ? [l, fresh[(i - 3) / 4] as string] : [l]));

describe('validateCandidate', () => {
  it('passes a healthy forest although the held-back slice holds many novel events, and reports their share', () => {
    const report = validateCandidate(model, undefined, toRecords(drifted));
    expect(report.holdoutEvents).toBe(500);
    // The new kind is flagged (that is the model doing its job) ...
    expect(report.noveltyShare).toBeCloseTo(100 / 500, 2);
    expect(report.candidate!.flagRate).toBeGreaterThan(0.06);
    // ... and the forest component stays near the contamination, so the candidate passes.
    expect(report.forestFlagRate).toBeLessThanOrEqual(0.06);
    expect(report.passed).toBe(true);
    expect(report.reasons).toEqual([]);
  });

  it('still rejects a candidate whose forest flags far more than the contamination', () => {
    // The training events themselves (the forest flags its 1%, the injected errors), against a
    // ceiling it cannot meet: contamination 0.0001, factor 1, no slack.
    const report = validateCandidate(model, undefined, toRecords(train.lines), { contamination: 1e-4, maxFlagRateFactor: 1, flagRateSlack: 0 });
    expect(report.forestFlagRate).toBeGreaterThan(0.002);
    expect(report.noveltyShare).toBe(0);
    expect(report.passed).toBe(false);
    expect(report.reasons.join(' ')).toMatch(/forest flags .* above the 0\.01% ceiling/);
  });

  it('rejects a degenerate candidate that scores every held-back event the same', () => {
    const same = Array.from({ length: 50 }, () => `${at(0)} INFO  [a.b] (t) same line`);
    const flat = trainModel(toRecords(same), { contamination: 0.01, now: 0 });
    const report = validateCandidate(flat, undefined, toRecords(same));
    expect(report.passed).toBe(false);
    expect(report.reasons.join(' ')).toMatch(/degenerate/);
  });

  it('refuses a candidate of an unknown feature set without scoring', () => {
    const report = validateCandidate({ ...model, featureSet: { ...model.featureSet, version: 99 } }, undefined, toRecords(routine));
    expect(report.passed).toBe(false);
    expect(report.holdoutEvents).toBe(0);
  });
});
