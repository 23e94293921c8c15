import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, ModelFormatError } from '../model/codec.ts';
import { syntheticAuth, syntheticJboss } from '../testing/synthetic.ts';
import { Scorer } from './scorer.ts';
import { trainModel } from './train.ts';
import { validateCandidate } from './validate.ts';

const toRecords = (lines: string[]) => lines.map((line) => ({ line }));

describe('trainModel + Scorer on a WildFly log', () => {
  const log = syntheticJboss(1500, 7, 6);
  const model = trainModel(toRecords(log.lines), { contamination: 0.01 });
  const scorer = new Scorer(model);
  const verdicts = scorer.score(toRecords(log.lines), { receivedAt: Date.UTC(2024, 4, 6) });

  it('gives one verdict per event, stack traces joined', () => {
    expect(verdicts).toHaveLength(log.events);
    const first = verdicts[log.anomalyEvents[0] as number];
    expect(first!.log.split('\n').length).toBeGreaterThan(5);
    expect(first?.log).toContain('Caused by: java.net.BindException');
  });

  it('ranks the injected ERROR events above all normal traffic', () => {
    const ranked = verdicts.map((v, i) => ({ i, s: v.anomaly_score })).sort((a, b) => b.s - a.s);
    const top = new Set(ranked.slice(0, log.anomalyEvents.length).map((x) => x.i));
    for (const a of log.anomalyEvents) expect(top.has(a)).toBe(true);
    for (const a of log.anomalyEvents) expect(verdicts[a]!.is_anomaly).toBe(true);
  });

  it('flags about the contamination share and explains anomalies', () => {
    const flagged = verdicts.filter((v) => v.is_anomaly);
    expect(flagged.length).toBeGreaterThanOrEqual(log.anomalyEvents.length);
    expect(flagged.length).toBeLessThanOrEqual(Math.ceil(log.events * 0.02));
    for (const v of flagged) {
      expect(v.explanation?.length).toBe(3);
      const total = v.explanation!.reduce((s, e) => s + e.contribution, 0);
      expect(total).toBeGreaterThan(0);
      expect(total).toBeLessThanOrEqual(1 + 1e-9);
      expect(v.anomaly_score).toBeGreaterThan(v.threshold);
      expect(v.model_version).toBe('local');
    }
  });

  it('keeps the seed verdict shape with template and threshold', () => {
    const v = verdicts[0]!;
    expect(Object.keys(v)).toEqual(expect.arrayContaining(['timestamp', 'log', 'anomaly_score', 'is_anomaly', 'threshold', 'model_version', 'template']));
    expect(v.timestamp).toMatch(/^2024-05-06T\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(v.anomaly_score).toBeGreaterThan(0);
    expect(v.anomaly_score).toBeLessThanOrEqual(1);
  });

  it('round-trips through the artifact codec with identical scores', () => {
    const again = new Scorer(decodeModel(encodeModel(model)));
    const a = scorer.scoreBatch(toRecords(log.lines)).scores;
    const b = again.scoreBatch(toRecords(log.lines)).scores;
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('refuses foreign, truncated, corrupt and unknown-feature-set artifacts', () => {
    const blob = encodeModel(model);
    const reason = (b: Uint8Array) => {
      try {
        decodeModel(b);
        return 'accepted';
      } catch (err) {
        expect(err).toBeInstanceOf(ModelFormatError);
        return (err as ModelFormatError).reason;
      }
    };
    expect(reason(Buffer.from('{"format":"sklearn"}'))).toBe('foreign');
    expect(reason(blob.subarray(0, blob.length - 10))).toBe('truncated');
    const corrupt = Buffer.from(blob);
    corrupt[corrupt.length - 5] = (corrupt[corrupt.length - 5] as number) ^ 0xff;
    expect(reason(corrupt)).toBe('checksum');
    const future = Buffer.from(blob);
    future.writeUInt16BE(99, 8);
    expect(reason(future)).toBe('version');
    const foreignSet = encodeModel({ ...model, featureSet: { ...model.featureSet, version: 99 } });
    expect(reason(foreignSet)).toBe('feature-set');
  });

  it('passes validation on held-back events from the same distribution', () => {
    const holdout = syntheticJboss(400, 99, 1);
    const report = validateCandidate(model, model, toRecords(holdout.lines));
    expect(report.passed).toBe(true);
    expect(report.holdoutEvents).toBe(400);
    expect(report.ksDistance).toBe(0);
  });
});

describe('seed feature set on an auth log', () => {
  it('flags the night-time failed passwords', () => {
    const log = syntheticAuth(1000, 3, 5);
    const model = trainModel(toRecords(log.lines), { featureSet: 'seed', contamination: 0.01 });
    expect(model.featureSet.columns).toEqual(['hour', 'dayofweek', 'pid', 'auth_failure', 'failed_password']);
    expect(model.miner).toBeNull();
    const verdicts = new Scorer(model).score(toRecords(log.lines));
    for (const a of log.anomalyEvents) expect(verdicts[a]!.is_anomaly).toBe(true);
  });

  it('refuses to train on too few events', () => {
    expect(() => trainModel([{ line: 'one line' }])).toThrow(/at least 2 events/);
  });
});
