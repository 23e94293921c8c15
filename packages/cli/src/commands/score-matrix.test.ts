import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModel, encodeModel, forestToSklearnDump, IsolationForest, rawModel } from '@logforest/core';
import { rng } from '@logforest/core/testing';
import { describe, expect, it } from 'vitest';
import { run } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'logforest-matrix-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const r = rng(5);
const cols = ['latency_ms', 'bytes', 'errors'];
const rows = Array.from({ length: 300 }, () => [Math.round(r() * 100), Math.round(r() * 1e6), r() < 0.05 ? 1 : 0]);
rows.push([5000, 9e9, 12]); // the outlier
const forest = IsolationForest.fit(Float64Array.from(rows.flat()), rows.length, 3, { contamination: 0.01, randomState: 42 });
const modelPath = join(dir, 'raw.lfm');
writeFileSync(modelPath, encodeModel(rawModel(forest.toArrays(), cols, { version: 'native' })));
const score = (...args: string[]) => run(['score-matrix', '--model', modelPath, ...args]);

describe('logforest score-matrix', () => {
  it('scores rows by column name in any order and writes what the forest gives', () => {
    const reordered = file('m.csv', `errors,id,bytes,latency_ms\n${rows.map((x, i) => `${x[2]},row${i},${x[1]},${x[0]}`).join('\n')}\n`);
    const out = score(reordered).trim().split('\n');
    expect(out[0]).toBe('score_samples,decision_function,predict');
    expect(out).toHaveLength(rows.length + 1);
    const s = forest.scoreSamples(Float64Array.from(rows.flat()), rows.length);
    const d = forest.decisionFunction(Float64Array.from(rows.flat()), rows.length);
    out.slice(1).forEach((line, i) => expect(line).toBe(`${s[i]},${d[i]},${(d[i] as number) < 0 ? -1 : 1}`));
    expect(out[out.length - 1]!.endsWith(',-1')).toBe(true); // the outlier is predicted anomalous
    const nd = score(reordered, '--ndjson').trim().split('\n').map((l) => JSON.parse(l));
    expect(nd[0]).toEqual({ row: 1, score_samples: s[0], decision_function: d[0], predict: 1 });
  });

  it('names the line and column of bad input', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /is empty: it needs a header row/],
      ['latency_ms,bytes\n1,2\n', /line 1: missing column "errors" \(the model needs 3: latency_ms, bytes, errors\)/],
      ['1,2,3\n4,5,6\n', /missing columns "latency_ms", "bytes", "errors".*looks like data: the file needs a header row/],
      ['latency_ms,bytes,errors\n', /has a header but no rows/],
      ['latency_ms,bytes,errors\n1,2,3\n4,abc,6\n', /line 3, column "bytes": "abc" is not a number/],
      ['latency_ms,bytes,errors\n1,2,NaN\n', /line 2, column "errors": NaN is not a usable value/],
      ['latency_ms,bytes,errors\n1,,3\n', /line 2, column "bytes": empty cell/],
      ['latency_ms,bytes,errors\n1,2,3,4\n', /line 2: 4 cells, the header has 3/],
      ['latency_ms,bytes,errors\n1,1e39,3\n', /line 2, column "bytes": 1e39 is beyond float32 range/],
      ['latency_ms,bytes,errors\n1,-inf,3\n', /line 2, column "bytes": "-inf" is not finite/],
      ['latency_ms,bytes,bytes\n', /column "bytes" appears twice/],
    ];
    cases.forEach(([text, re], i) => expect(() => score(file(`bad${i}.csv`, text))).toThrow(re));
    expect(() => score(join(dir, 'none.csv'))).toThrow(/cannot read .*no such file/);
    expect(() => score(file('x.parquet', 'PAR1'))).toThrow(/Parquet is not supported/);
  });

  it('exits 2 with the message from the command line, and event commands refuse raw models', () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'logforest.mjs');
    const bad = file('bad.csv', 'latency_ms,bytes,errors\n1,2,x\n');
    const a = spawnSync(process.execPath, [bin, 'score-matrix', '--model', modelPath, bad], { encoding: 'utf8' });
    expect(a.status).toBe(1);
    expect(a.stderr).toBe(`logforest: ${bad} line 2, column "errors": "x" is not a number\n`);
    const b = spawnSync(process.execPath, [bin, 'score', bad, '--model', modelPath], { encoding: 'utf8' });
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/raw-feature model over 3 named columns: it scores feature matrices \(logforest score-matrix\), not log events/);
  });
});

describe('logforest import-sklearn', () => {
  const dump = (columns?: string[]) => ({ ...forestToSklearnDump(forest.toArrays()), ...(columns ? { columns } : {}) });

  it('makes a raw model when the columns match no feature set, keeping their names', () => {
    const p = file('named.json', JSON.stringify(dump(cols)));
    expect(run(['import-sklearn', p, '-o', join(dir, 'a.lfm')])).toMatch(/3 features \(raw columns latency_ms, bytes, errors; score with: logforest score-matrix/);
    const m = decodeModel(readFileSync(join(dir, 'a.lfm')), { allowRaw: true });
    expect(m.featureSet).toEqual({ name: 'raw', version: 1, columns: cols });
    expect(m.threshold).toBe(-forest.offset);
    expect(() => decodeModel(readFileSync(join(dir, 'a.lfm')))).toThrow(/raw-feature model/);
  });

  it('names unnamed columns x0…, and --raw or a wrong --feature-set are explicit', () => {
    const p = file('unnamed.json', JSON.stringify(dump()));
    run(['import-sklearn', p, '-o', join(dir, 'b.lfm')]);
    expect(decodeModel(readFileSync(join(dir, 'b.lfm')), { allowRaw: true }).featureSet.columns).toEqual(['x0', 'x1', 'x2']);
    expect(() => run(['import-sklearn', p, '-o', join(dir, 'c.lfm'), '--feature-set', 'seed'])).toThrow(/the dump has 3 features; feature set seed has 5/);
    expect(() => run(['import-sklearn', p, '-o', join(dir, 'c.lfm'), '--raw', '--feature-set', 'seed'])).toThrow(/exclude each other/);
    const dup = file('dup.json', JSON.stringify(dump(['a', 'a', 'b'])));
    expect(() => run(['import-sklearn', dup, '-o', join(dir, 'd.lfm')])).toThrow(/column names must be distinct/);
  });
});
