import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '../model/codec.ts';
import { STACK, syntheticJboss } from '../testing/synthetic.ts';
import { applyGuard, constantColumns, noveltyScore } from './novelty.ts';
import { Scorer } from './scorer.ts';
import { trainModel } from './train.ts';

const toRecords = (lines: string[]) => lines.map((line) => ({ line }));

describe('constantColumns / applyGuard', () => {
  it('finds columns with one value and raises rows that differ there', () => {
    const X = Float64Array.from([1, 5, 0, 2, 5, 0, 3, 5, 0]); // 3 rows × 3 cols; cols 1 and 2 constant
    expect(constantColumns(X, 3, 3)).toEqual([[1, 5], [2, 0]]);
    const Y = Float64Array.from([9, 5, 0, 9, 6, 1]);
    const scores = Float64Array.from([0.4, 0.4]);
    const novel = applyGuard([[1, 5], [2, 0]], Y, 2, 3, scores, 0.9);
    expect(Array.from(novel!)).toEqual([0, 2]);
    expect(Array.from(scores)).toEqual([0.4, 0.9]);
  });

  it('uses the score of a point isolated at depth 1 in every tree', () => {
    expect(noveltyScore(10.244770920119917)).toBeCloseTo(2 ** (-1 / 10.244770920119917), 15);
  });
});

describe('a model bootstrapped on routine traffic', () => {
  const routine = syntheticJboss(1200, 5, 0);
  const failure = [
    '2024-05-09 03:12:44,001 FATAL [org.jboss.as.server] (Controller Boot Thread) WFLYSRV0056: Server boot has failed in an unrecoverable manner; exiting',
    '2024-05-09 03:12:45,017 ERROR [org.apache.coyote.http11.Http11Protocol] (MSC service thread 1-2) JBWEB003043: Error initializing endpoint: java.net.BindException: Address already in use /127.0.0.1:8080',
    ...STACK,
  ];

  it('flags a failure kind it never saw (stack traces, FATAL) and says why', () => {
    const scorer = new Scorer(decodeModel(encodeModel(trainModel(toRecords(routine.lines)))));
    const verdicts = scorer.score(toRecords([...routine.lines.slice(0, 50), ...failure]));
    const flagged = verdicts.filter((v) => v.is_anomaly);
    expect(flagged.map((v) => v.log.split(' ')[2])).toEqual(['FATAL', 'ERROR']);
    const why = flagged.flatMap((v) => v.explanation!.map((e) => e.feature));
    expect(why).toContain('stack_depth');
    expect(why).toContain('kw_fail'); // "has failed": no routine message says fail
    // Routine events keep their forest scores.
    expect(verdicts.slice(0, 50).every((v) => !v.is_anomaly || v.anomaly_score < 0.9)).toBe(true);
  });

  it('is off with noveltyGuard: false (the forest alone cannot see a training-constant feature)', () => {
    const model = trainModel(toRecords(routine.lines), { noveltyGuard: false });
    expect(model.novelty?.constant).toEqual([]);
    const guarded = trainModel(toRecords(routine.lines));
    const cols = guarded.featureSet.columns;
    const constant = guarded.novelty!.constant.map(([j]) => cols[j]);
    expect(constant).toEqual(expect.arrayContaining(['stack_depth', 'exception']));
  });
});
