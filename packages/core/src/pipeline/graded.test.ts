import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '../model/codec.ts';
import { syntheticJboss } from '../testing/synthetic.ts';
import { Scorer } from './scorer.ts';
import { trainModel } from './train.ts';

const toRecords = (lines: string[]) => lines.map((line) => ({ line }));
// Training: routine traffic plus a recurring ERROR (JBWEB003043 with its stack trace, 5 times).
const train = syntheticJboss(1500, 7, 5);
const model = decodeModel(encodeModel(trainModel(toRecords(train.lines), { now: 0 })));
const scorer = new Scorer(model);

const at = '2024-05-20 10:00:00,000';
const lines = {
  newError: `${at} ERROR [org.jboss.as.controller.management-operation] (Controller Boot Thread) WFLYCTL0013: Operation ("add") failed - address: ([("subsystem" => "undertow")])`,
  newError2: `${at} ERROR [org.infinispan.interceptors] (default task-3) ISPN000136: Error executing command PutKeyValueCommand on Cache 'sessions'`,
  newInfo: `${at} INFO  [org.jboss.as.repository] (management-handler-thread - 11) WFLYDR0002: Content removed from location /opt/data/content`,
  newWarn: `${at} WARN  [org.jboss.as.txn] (default task-9) ARJUNA012117: TransactionReaper::check timeout for TX 0:ffff7f000001`,
  knownErrorNewText: `${at} ERROR [org.apache.coyote.http11.Http11Protocol] (MSC service thread 1-2) JBWEB003043: Error initializing endpoint on a new interface entirely`,
};

describe('history in the artifact', () => {
  it('is stored, bounded and survives the codec', () => {
    expect(model.featureSet).toMatchObject({ name: 'default', version: 3 });
    expect(model.history).toMatchObject({ kind: 'count-min', width: 16384, depth: 4, total: 1500 });
    expect(model.history!.table.length).toBe(16384 * 4);
    const small = trainModel(toRecords(train.lines), { now: 0, history: { width: 1024, depth: 2 } });
    expect(small.history!.table.byteLength).toBe(1024 * 2 * 4);
  });

  it('is refused when its table does not match its shape', () => {
    const bad = { ...model, history: { ...model.history!, width: 2048 } };
    expect(() => decodeModel(encodeModel(bad))).toThrow(/history|width/);
  });

  it('is absent for the seed set, whose scores are the forest alone', () => {
    const seed = trainModel(toRecords(train.lines), { featureSet: 'seed', now: 0 });
    expect(seed.history).toBeUndefined();
    const s = new Scorer(seed);
    const b = s.scoreBatch(toRecords(train.lines.slice(0, 200)));
    const forest = s.forest.anomalyScore(b.X, b.nRows);
    for (let i = 0; i < b.nRows; i++) if (!b.novel?.[i]) expect(b.scores[i]).toBe(forest[i]);
  });
});

describe('graded novelty', () => {
  const v = scorer.score(toRecords(Object.values(lines)), { receivedAt: 0 });
  const by = Object.fromEntries(Object.keys(lines).map((k, i) => [k, v[i]!]));

  it('ranks new signatures by severity, above a known signature', () => {
    expect(by['newError']!.anomaly_score).toBeGreaterThan(by['newWarn']!.anomaly_score);
    expect(by['newWarn']!.anomaly_score).toBeGreaterThan(by['newInfo']!.anomaly_score);
    expect(by['newError2']!.anomaly_score).toBeGreaterThan(by['knownErrorNewText']!.anomaly_score);
    expect(by['newError']!.anomaly_score).toBeGreaterThan(by['knownErrorNewText']!.anomaly_score);
    for (const x of v) expect(x.is_anomaly).toBe(true);
  });

  it('gives unrelated novel events different scores', () => {
    const scores = v.map((x) => x.anomaly_score);
    expect(new Set(scores).size).toBe(scores.length);
  });

  it('ranks the first event of a storm above its repeats, each repeat a little lower', () => {
    const storm = scorer.score(toRecords([lines.newError, lines.newError, lines.newError]), { receivedAt: 0 }).map((x) => x.anomaly_score);
    expect(storm[0]).toBeGreaterThan(storm[1]!);
    expect(storm[1]).toBeGreaterThan(storm[2]!);
    expect(storm[0]! - storm[2]!).toBeLessThan(0.01);
  });

  it('keeps routine events below the threshold and below every novel event', () => {
    const routine = scorer.score(toRecords(syntheticJboss(300, 8, 0).lines), { receivedAt: 0 });
    const flagged = routine.filter((x) => x.is_anomaly).length;
    expect(flagged).toBeLessThanOrEqual(15);
    const min = Math.min(...v.map((x) => x.anomaly_score));
    for (const x of routine) expect(x.anomaly_score).toBeLessThan(min);
  });
});

describe('verdicts say why', () => {
  it('carry level, signature and familiarity', () => {
    const [fresh, known] = scorer.score(toRecords([lines.newError, lines.knownErrorNewText]), { receivedAt: 0 });
    expect(fresh).toMatchObject({
      level: 'ERROR',
      signature: 'WFLYCTL0013',
      familiarity: { signature: 'WFLYCTL0013', seen_in_training: false, template_count: 0, signature_count: 0, entity: 'category=org.jboss.as.controller.management-operation' },
    });
    expect(known!.familiarity).toMatchObject({ signature: 'JBWEB003043', seen_in_training: true, signature_count: 5 });
    expect(fresh!.explanation!.map((e) => e.feature)).toContain('signature_new');
  });

  it('name the host whose baseline the event is rare in', () => {
    const recs = [
      ...Array.from({ length: 300 }, (_, i) => ({ line: `May  6 10:${String(i % 60).padStart(2, '0')}:00 app1 sshd[42]: Accepted publickey for deploy from 10.0.0.${i % 9}`, host: 'app1' })),
      ...Array.from({ length: 300 }, (_, i) => ({ line: `May  6 10:${String(i % 60).padStart(2, '0')}:00 app2 cron[7]: (root) CMD (run-parts /etc/cron.hourly) ${i % 3}`, host: 'app2' })),
    ];
    const s = new Scorer(trainModel(recs, { now: 0 }));
    const [v2] = s.score([{ line: 'May  6 11:00:00 app2 sshd[42]: Accepted publickey for deploy from 10.0.0.1', host: 'app2' }], { receivedAt: 0, explain: 'all' });
    expect(v2!.familiarity).toMatchObject({ seen_in_training: true, entity: 'host=app2' });
    const [v1] = s.score([{ line: 'May  6 11:00:00 app1 sshd[42]: Accepted publickey for deploy from 10.0.0.1', host: 'app1' }], { receivedAt: 0, explain: 'all' });
    expect(v2!.anomaly_score).toBeGreaterThan(v1!.anomaly_score);
  });
});

describe('ties among flagged events', () => {
  it('fewer than one in three flagged events shares its score, storms included', () => {
    const levels = ['ERROR', 'WARN ', 'INFO ', 'ERROR', 'FATAL'];
    const words = ['ledger', 'invoice', 'tenant', 'quota', 'shard', 'replica', 'token', 'session', 'cursor', 'mailbox'];
    const novel = Array.from({ length: 40 }, (_, i) => {
      const code = `APP${String(1000 + i * 7).padStart(6, '0')}`;
      return `${at} ${levels[i % 5]} [com.example.${words[i % 10]}.Service${i % 3}] (default task-${i}) ${code}: ${words[(i * 3) % 10]} ${words[(i * 7) % 10]} could not be ${i % 2 ? 'reconciled' : 'loaded'} after ${i} attempts`;
    });
    // A storm: one of them 15 more times, and the routine traffic of a later day around it.
    const batch = [...syntheticJboss(600, 11, 0).lines, ...novel, ...Array.from({ length: 15 }, () => novel[0] as string)];
    const v = scorer.score(toRecords(batch), { receivedAt: 0 });
    const flagged = v.filter((x) => x.is_anomaly).map((x) => x.anomaly_score);
    expect(flagged.length).toBeGreaterThanOrEqual(55);
    const count = new Map<number, number>();
    for (const s of flagged) count.set(s, (count.get(s) ?? 0) + 1);
    const tied = [...count.values()].filter((c) => c > 1).reduce((a, c) => a + c, 0);
    expect(tied / flagged.length).toBeLessThan(1 / 3);
    // No two of the unrelated novel events tie.
    const first = v.slice(600, 640).map((x) => x.anomaly_score);
    expect(new Set(first).size).toBe(first.length);
  });
});

describe('the novelty band is for new incidents', () => {
  it('puts a new routine INFO line below the band, above the routine lines it resembles, and a new WARN in it', () => {
    const floor = 2 ** (-1 / scorer.forest.toArrays().averagePathLengthMaxSamples);
    const newRoutine = `${at} INFO  [com.example.reports.Nightly] (EE-ManagedExecutorService-default-Thread-2) report 42 rendered for tenant north in 310 ms`;
    const [routineNew, warnNew] = scorer.score(toRecords([newRoutine, lines.newWarn]), { receivedAt: 0 });
    expect(routineNew!.familiarity).toMatchObject({ seen_in_training: false });
    expect(routineNew!.anomaly_score).toBeLessThan(floor);
    expect(warnNew!.anomaly_score).toBeGreaterThan(floor);
    const routine = scorer.score(toRecords(syntheticJboss(300, 8, 0).lines), { receivedAt: 0 });
    const known = routine.filter((x) => x.level === 'INFO').map((x) => x.anomaly_score);
    expect(routineNew!.anomaly_score).toBeGreaterThan(Math.max(...known));
  });
});
