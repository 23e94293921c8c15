import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticJboss } from '@logforest/core/testing';
import { describe, expect, it } from 'vitest';
import { evalMain, runEval, type EvalReport } from './eval.ts';

const dir = mkdtempSync(join(tmpdir(), 'logforest-eval-'));
const write = (name: string, lines: string[]): string => {
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
};
const at = (hh: number) => `2024-05-06 ${String(hh).padStart(2, '0')}:30:00,000`;

const known = [
  `${at(9)} ERROR [org.jboss.as.controller.management-operation] (Controller Boot Thread) WFLYCTL0013: Operation ("add") failed - address: ([("subsystem" => "datasources")])`,
  `${at(9)} ERROR [com.example.orders.OrderService] (default task-3) order 123 failed: javax.ejb.EJBException: rollback`,
  '\tat org.jboss.as.ejb3.tx.CMTTxInterceptor.invokeInOurTx(CMTTxInterceptor.java:275)',
  'Caused by: java.lang.NullPointerException',
  '\t... 40 more',
];
const trainLines = [...syntheticJboss(400, 3, 0).lines, ...known];
const testLines = [
  ...syntheticJboss(300, 5, 0, Date.UTC(2024, 4, 6, 12)).lines,
  // recurring error: same code, other values
  `${at(13)} ERROR [org.jboss.as.controller.management-operation] (ServerService Thread Pool -- 7) WFLYCTL0013: Operation ("remove") failed - address: ([("subsystem" => "mail")])`,
  // novel: a code training never saw
  `${at(13)} ERROR [org.jboss.jca.core.connectionmanager.pool.strategy.OnePool] (default task-9) IJ000453: Unable to get managed connection for java:jboss/datasources/ShopDS`,
  // novel: same exception class as training but another root cause
  `${at(14)} ERROR [com.example.orders.OrderService] (default task-4) order 77 failed: javax.ejb.EJBException: rollback`,
  '\tat org.jboss.as.ejb3.tx.CMTTxInterceptor.invokeInOurTx(CMTTxInterceptor.java:275)',
  'Caused by: java.net.ConnectException: Connection refused',
  '\t... 40 more',
  // new code at WARN: not an error, so not a positive
  `${at(14)} WARN  [org.infinispan.remoting] (transport-thread-2) ISPN000136: Error executing command PutKeyValueCommand`,
];
const trainFile = write('train.log', trainLines);
const testFile = write('test.log', testLines);

describe('logforest eval --train/--test --labels signature', () => {
  const r: EvalReport = runEval({ train: [trainFile], test: [testFile], labels: 'signature', sets: ['default'], contamination: 0.01 });

  it('labels exactly the ERROR events whose signature training never saw', () => {
    expect(r.events.test).toBe(300 + 4); // the trace is one event
    expect(r.positives).toBe(2);
    expect(r.errorEvents).toBe(3);
  });

  it('prints the every-ERROR baseline with the figures its flags imply', () => {
    const b = r.rows.find((x) => x.name === 'every ERROR/FATAL line')!;
    expect(b).toMatchObject({ kind: 'baseline', flagged: 3, tp: 2, fp: 1, fn: 0, recall: 1, tiedFlagged: 3 });
    expect(b.precision).toBeCloseTo(2 / 3, 12);
    expect(b.rocAucErrors).toBe(0.5); // one score for every error
    // 1% of 304 = 3 flagged: exactly the error block.
    expect(b.at[1]).toMatchObject({ fraction: 0.01, k: 3, recall: 1 });
    expect(r.rows.some((x) => x.name === 'every FATAL line')).toBe(false); // no FATAL in the test
  });

  it('gives the model row every metric, consistent with its own counts', () => {
    const m = r.rows.find((x) => x.kind === 'model')!;
    expect(m.name).toBe('default (local)');
    expect(m.tp + m.fp).toBe(m.flagged);
    expect(m.bestF1).toBeGreaterThanOrEqual(m.f1);
    for (const x of [m.rocAuc, m.prAuc, m.rocAucErrors, m.bestF1]) expect(x).toBeGreaterThanOrEqual(0);
    expect(m.at.map((a) => a.k)).toEqual([2, 3, 6]);
    expect(m.tiedFlagged).toBeLessThanOrEqual(m.flagged);
    expect(m.tiedShare).toBeCloseTo(m.flagged ? m.tiedFlagged / m.flagged : 0, 12);
  });

  it('sets the model beside the ERROR rule at the rule\'s recall', () => {
    const m = r.rows.find((x) => x.kind === 'model')!;
    // The rule finds both novel errors (recall 1): the model must flag from its top until both are in.
    expect(m.atRuleRecall!.recall).toBe(1);
    expect(m.atRuleRecall!.flagged).toBeGreaterThanOrEqual(2);
    expect(m.atRuleRecall!.precision).toBeCloseTo(2 / m.atRuleRecall!.flagged, 12);
    expect(r.rows.find((x) => x.kind === 'baseline')!.atRuleRecall).toBeUndefined();
  });

  it('ranks by the incident prior alone as a threshold-free baseline', () => {
    const p = r.rows.find((x) => x.kind === 'ranking')!;
    expect(p.name).toBe('incident prior alone (no forest)');
    expect(p.flagged).toBe(0);
    // The three errors carry the highest priors (ERROR level); the two novel ones among them are
    // not told apart from the recurring one by words alone, so within errors it is no better than 1/2.
    expect(p.rocAuc).toBeGreaterThan(0.95);
    expect(p.rocAucErrors).toBeLessThanOrEqual(0.5);
    expect(p.atRuleRecall!.precision).toBeGreaterThan(0);
  });
});

describe('logforest eval, other forms', () => {
  it('--split cuts one file in file order and labels novelty against the first part', () => {
    const file = write('day.log', [...trainLines, ...testLines]);
    const events = 400 + 2 + 304;
    const out = JSON.parse(evalMain([file, '--split', '0.6', '--feature-set', 'seed', '--json'])) as EvalReport;
    expect(out.events).toEqual({ train: Math.round(events * 0.6), test: events - Math.round(events * 0.6) });
    expect(out.split).toBe(0.6);
    expect(out.rows.map((x) => x.name)).toEqual(['seed (local)', 'every ERROR/FATAL line', 'incident prior alone (no forest)']);
    // the known errors fall before the cut: the test part holds the same 2 novel of 3 errors
    expect([out.positives, out.errorEvents]).toEqual([2, 3]);
  });

  it('reads a line_no,label file: an event is positive when any of its lines is', () => {
    const labels = write('labels.csv', ['line_no,label', '3,1', '5,0', `${300 + 3 + 1},1`]); // a plain line; the trace's "Caused by" line
    const out = runEval({ train: [trainFile], test: [testFile], labels: { file: labels }, sets: ['default'], contamination: 0.01 });
    expect(out.positives).toBe(2);
    expect(out.labels).toBe(`file ${labels}`);
    // No header, CRLF line ends and a byte-order mark, as spreadsheets write it.
    const bom = join(dir, 'bom.csv');
    writeFileSync(bom, `\uFEFF3,1\r\n${300 + 3 + 1},1\r\n`);
    expect(runEval({ train: [trainFile], test: [testFile], labels: { file: bom }, sets: ['seed'], contamination: 0.01 }).positives).toBe(2);
  });

  it('prints markdown tables with the baseline beside the models', () => {
    const text = evalMain(['--train', trainFile, '--test', testFile, '--feature-set', 'default']);
    expect(text).toMatch(/labels: signature — 2 novel errors .*; 3 ERROR-or-worse events/);
    expect(text).toMatch(/\| default \(local\) \| \d+ \|/);
    expect(text).toMatch(/\| every ERROR\/FATAL line \| 3 \| 0\.667 \| 1\.000 \| 0\.800 \|/);
    expect(text).toContain('| detector | recall @0.5% (2) | precision @0.5% | recall @1% (3)');
  });

  it('trains on several files given after one --train', () => {
    const second = write('train2.log', syntheticJboss(100, 9, 0, Date.UTC(2024, 4, 5)).lines);
    const out = JSON.parse(evalMain(['--train', trainFile, second, '--test', testFile, '--feature-set', 'seed', '--json'])) as EvalReport;
    expect(out.train).toEqual([trainFile, second]);
    expect(out.events).toEqual({ train: 400 + 2 + 100, test: 304 });
  });

  it('reads BGL label tokens, strips them, and prints the FATAL rule', () => {
    const node = 'R02-M1-N0-C:J12-U11';
    const bgl = (tag: string, i: number, level: string, msg: string) =>
      `${tag} ${1117838570 + i} 2005.06.03 ${node} 2005-06-03-15.42.${String(10 + (i % 50)).padStart(2, '0')}.675872 ${node} RAS KERNEL ${level} ${msg}`;
    const lines = Array.from({ length: 200 }, (_, i) => bgl('-', i, 'INFO', `generating core.${1000 + i}`));
    lines.push(bgl('KERNDTLB', 201, 'FATAL', 'data TLB error interrupt'), bgl('-', 202, 'FATAL', 'machine check interrupt'));
    const out = JSON.parse(evalMain([write('bgl.log', lines), '--labels', 'bgl', '--feature-set', 'default', '--json'])) as EvalReport;
    expect([out.positives, out.events.test]).toEqual([1, 202]);
    const fatal = out.rows.find((x) => x.name === 'every FATAL line')!;
    expect(fatal).toMatchObject({ flagged: 2, tp: 1, recall: 1, precision: 0.5 });
    const notBgl = write('notbgl.log', ['- 1 ok', '2024-05-06 10:00:00,000 INFO [a.B] (main) hello']);
    expect(() => evalMain([notBgl, '--labels', 'bgl'])).toThrow(/notbgl\.log line 2 does not start with BGL's label token .* got "2024-05-06"/);
  });

  it('refuses bad input with one clear message and exit code 2', () => {
    const bad = write('bad.csv', ['line_no,label', '3,maybe']);
    expect(() => runEval({ train: [trainFile], test: [testFile], labels: { file: bad }, sets: ['default'], contamination: 0.01 })).toThrow(
      /bad\.csv line 2: label must be 1\/0 or true\/false, got "maybe"/,
    );
    const far = write('far.csv', ['99999,1']);
    expect(() => runEval({ train: [trainFile], test: [testFile], labels: { file: far }, sets: ['default'], contamination: 0.01 })).toThrow(/line 99999 is past the end/);
    expect(() => evalMain([testFile, '--split', '1.5'])).toThrow(/--split must be a fraction/);
    expect(() => evalMain([testFile, '--labels', 'signature'])).toThrow(/needs training data/);
    expect(() => evalMain(['--train', trainFile])).toThrow(/--train needs --test/);
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'logforest.mjs');
    const cli = (...args: string[]) => spawnSync(process.execPath, [bin, 'eval', ...args], { encoding: 'utf8' });
    const r = cli('--train', trainFile, '--test', testFile, '--labels', 'nonsense');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^logforest: --labels must be signature, bgl, loghub, proxy or a line_no,label CSV file/);
    const missing = join(dir, 'no-such.log');
    for (const args of [['--train', missing, '--test', testFile], ['--train', trainFile, '--test', missing]]) {
      const m = cli(...args);
      expect(m.status).toBe(2);
      expect(m.stderr).toContain(`logforest: cannot read '${missing}': no such file`);
    }
    const badLine = cli('--train', trainFile, '--test', testFile, '--labels', write('bad2.csv', ['3,1', '4,1', 'x,1']));
    expect(badLine.status).toBe(2);
    expect(badLine.stderr).toMatch(/bad2\.csv line 3: line_no must be a positive integer, got "x"/);
    expect(badLine.stdout).toBe('');
  });
});
