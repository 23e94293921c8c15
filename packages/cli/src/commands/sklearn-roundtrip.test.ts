/**
 * scikit-learn interop both ways, against Debian's scikit-learn (/usr/bin/python3, python3-sklearn):
 *   sklearn fit → export_sklearn dump → import-sklearn → score-matrix  equals sklearn's own scores;
 *   import → export-sklearn → logforest_sklearn.load → sklearn scores   equals sklearn's own scores;
 *   native fit → export-sklearn → logforest_sklearn.load → sklearn      equals our scores.
 * Shapes: 1 column; 11 columns (constant, tiny-variance, huge-magnitude, …); 100 rows; 100,000 rows;
 * max_samples int / float / auto; contamination auto / float; max_features 0.5; bootstrap.
 * Two Python processes in all (fit everything, then score everything). Skipped, saying so, without sklearn.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModel, IsolationForest, rawModel, Scorer, sklearnDumpToArrays, trainModel, forestToSklearnDump } from '@logforest/core';
import { syntheticJboss } from '@logforest/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMatrix } from '../matrix.ts';
import { run } from '../main.ts';

const PY = '/usr/bin/python3';
const TOOL = join(import.meta.dirname, '..', '..', '..', '..', 'tools', 'sklearn', 'roundtrip.py');
const hasSklearn = spawnSync(PY, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0;
if (!hasSklearn) console.warn('sklearn-roundtrip: SKIPPED — scikit-learn is not installed (apt-get install python3-sklearn; .ci/run installs it)');

interface Case { name: string; shape: 'one' | 'eleven' | 'gauss'; rows: number; cols?: number; seed: number; params: Record<string, unknown> }
const CASES: Case[] = [
  { name: 'one_column', shape: 'one', rows: 500, seed: 1, params: {} }, // max_samples auto, contamination auto
  { name: 'eleven_columns', shape: 'eleven', rows: 2000, seed: 2, params: { contamination: 0.05 } },
  { name: 'rows_100', shape: 'gauss', rows: 100, cols: 4, seed: 3, params: { contamination: 0.1 } },
  // contamination auto: a float would make sklearn score all 100,000 rows once more inside fit (~6 s here)
  { name: 'rows_100000', shape: 'gauss', rows: 100_000, cols: 3, seed: 4, params: {} },
  { name: 'max_samples_int', shape: 'gauss', rows: 3000, cols: 5, seed: 5, params: { max_samples: 64, contamination: 0.02 } },
  { name: 'max_samples_float', shape: 'gauss', rows: 3000, cols: 5, seed: 6, params: { max_samples: 0.3 } },
  { name: 'max_features_half', shape: 'gauss', rows: 2000, cols: 6, seed: 7, params: { max_features: 0.5, contamination: 0.03 } },
  { name: 'bootstrap', shape: 'gauss', rows: 2000, cols: 4, seed: 8, params: { bootstrap: true, contamination: 0.02 } },
];
/** Native fits use the options our fit has (no max_features / bootstrap: those cases are import-only). */
const NATIVE = CASES.filter((c) => !('max_features' in c.params) && !('bootstrap' in c.params));

interface Scores { score_samples: number[]; decision_function: number[]; predict: number[] }
const dir = mkdtempSync(join(tmpdir(), 'logforest-sklearn-'));
const at = (name: string, ext: string) => join(dir, `${name}.${ext}`);
const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;

function python(mode: 'fit' | 'score', cases: object[]): void {
  writeFileSync(at(mode, 'cases.json'), JSON.stringify(cases));
  const r = spawnSync(PY, [TOOL, mode, at(mode, 'cases.json'), dir], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`roundtrip.py ${mode} failed (${r.status}): ${r.stderr}`);
}

function parseScoreCsv(text: string): Scores {
  const lines = text.trim().split('\n');
  expect(lines[0]).toBe('score_samples,decision_function,predict');
  const out: Scores = { score_samples: [], decision_function: [], predict: [] };
  for (const l of lines.slice(1)) {
    const [a, b, c] = l.split(',');
    out.score_samples.push(Number(a));
    out.decision_function.push(Number(b));
    out.predict.push(Number(c));
  }
  return out;
}

/** Largest |diff| of the two float outputs, and predict mismatches outside a ±1e-12 band around 0. */
function compare(ours: Scores, theirs: Scores): { maxDiff: number; predictMismatch: number; n: number } {
  expect(ours.score_samples.length).toBe(theirs.score_samples.length);
  let maxDiff = 0, predictMismatch = 0;
  for (let i = 0; i < ours.score_samples.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(ours.score_samples[i]! - theirs.score_samples[i]!), Math.abs(ours.decision_function[i]! - theirs.decision_function[i]!));
    if (ours.predict[i] !== theirs.predict[i] && Math.abs(theirs.decision_function[i]!) > 1e-12) predictMismatch++;
  }
  return { maxDiff, predictMismatch, n: ours.score_samples.length };
}

const LIMIT = 10_000;
const head = (s: Scores, n: number): Scores => ({ score_samples: s.score_samples.slice(0, n), decision_function: s.decision_function.slice(0, n), predict: s.predict.slice(0, n) });
const scoreMatrix = (model: string, csv: string) => parseScoreCsv(run(['score-matrix', '--model', model, csv]));
const found: Record<string, { maxDiff: number; predictMismatch: number; n: number }> = {};

describe.skipIf(!hasSklearn)('scikit-learn round trip (Debian python3-sklearn)', () => {
  beforeAll(() => {
    python('fit', CASES);
    const back: Array<{ name: string; csv?: string; limit?: number }> = [];
    for (const c of CASES) {
      run(['import-sklearn', at(c.name, 'dump.json'), '-o', at(c.name, 'lfm')]);
      run(['export-sklearn', at(c.name, 'lfm'), '-o', at(c.name, 'back.json'), '--no-loader']);
      // The re-exported 100,000-row forest is the imported one, array for array (checked below): score 10,000 rows of it.
      back.push({ name: c.name, ...(c.rows > 20_000 ? { limit: LIMIT } : {}) });
    }
    for (const c of NATIVE) {
      const csv = at(c.name, 'csv');
      const header = readFileSync(csv, 'utf8').slice(0, 2000).split('\n')[0]!.split(',');
      const { X, nRows } = readMatrix(readFileSync(csv, 'utf8'), csv, header);
      const p = c.params as { max_samples?: number; contamination?: number };
      const forest = IsolationForest.fit(X, nRows, header.length, {
        randomState: 42, contamination: p.contamination ?? 'auto', maxSamples: p.max_samples ?? 'auto',
      });
      writeFileSync(at(`${c.name}_native`, 'lfm'), encodeModel(rawModel(forest.toArrays(), header, { version: 'native' })));
      run(['export-sklearn', at(`${c.name}_native`, 'lfm'), '-o', at(`${c.name}_native`, 'back.json'), '--no-loader']);
      back.push({ name: `${c.name}_native`, csv: `${c.name}.csv` });
    }
    // A model `logforest train` makes (default feature set), scored on its own feature rows.
    const model = trainModel(syntheticJboss(1500, 9, 6).lines.map((line) => ({ line })), { featureSet: 'default', contamination: 0.02 });
    const b = new Scorer(model).scoreBatch(syntheticJboss(600, 10, 6).lines.map((line) => ({ line })));
    const cols = model.featureSet.columns;
    const rows = Array.from({ length: b.nRows }, (_, i) => Array.from(b.X.subarray(i * b.nCols, (i + 1) * b.nCols)).join(','));
    writeFileSync(at('default_set', 'csv'), `${cols.join(',')}\n${rows.join('\n')}\n`);
    writeFileSync(at('default_set', 'lfm'), encodeModel(model));
    run(['export-sklearn', at('default_set', 'lfm'), '-o', at('default_set', 'back.json')]); // with the loader copied beside
    back.push({ name: 'default_set' });
    python('score', back);
  }, 180_000);

  it.each(CASES.map((c) => [c.name]))('sklearn → import-sklearn → score-matrix equals sklearn: %s', (name) => {
    const r = compare(scoreMatrix(at(name, 'lfm'), at(name, 'csv')), readJson<Scores>(at(name, 'sklearn.json')));
    found[`import ${name}`] = r;
    expect(r.maxDiff).toBeLessThanOrEqual(1e-12);
    expect(r.predictMismatch).toBe(0);
  });

  it.each(CASES.map((c) => [c.name]))('import → export-sklearn → sklearn loader equals sklearn: %s', (name) => {
    const loaded = readJson<Scores>(at(name, 'loaded.json'));
    const r = compare(loaded, head(readJson<Scores>(at(name, 'sklearn.json')), loaded.score_samples.length));
    found[`re-export ${name}`] = r;
    expect(r.maxDiff).toBeLessThanOrEqual(1e-12);
    expect(r.predictMismatch).toBe(0);
  });

  it.each(NATIVE.map((c) => [c.name]))('native fit → export-sklearn → sklearn equals ours: %s', (name) => {
    const r = compare(readJson<Scores>(at(`${name}_native`, 'loaded.json')), scoreMatrix(at(`${name}_native`, 'lfm'), at(name, 'csv')));
    found[`native ${name}`] = r;
    expect(r.maxDiff).toBeLessThanOrEqual(1e-12);
    expect(r.predictMismatch).toBe(0);
  });

  it('a default-feature-set model from logforest train exports and scores identically in sklearn', () => {
    const r = compare(readJson<Scores>(at('default_set', 'loaded.json')), scoreMatrix(at('default_set', 'lfm'), at('default_set', 'csv')));
    found['native default_set'] = r;
    expect(r.n).toBe(600);
    expect(r.maxDiff).toBeLessThanOrEqual(1e-12);
    expect(r.predictMismatch).toBe(0);
    expect(readFileSync(join(dir, 'logforest_sklearn.py'), 'utf8')).toContain('def load(');
  });

  it('export then import gives back the same forest arrays, bit for bit', () => {
    for (const c of CASES) {
      const original = sklearnDumpToArrays(readJson(at(c.name, 'dump.json')));
      const again = sklearnDumpToArrays(forestToSklearnDump(original));
      for (const k of ['feature', 'threshold', 'left', 'right', 'nNodeSamples', 'leafValue', 'averagePathLengthTable'] as const) {
        expect(Buffer.from(again[k].buffer).equals(Buffer.from(original[k].buffer)), `${c.name} ${k}`).toBe(true);
      }
      expect([again.offset, again.maxSamples, again.nEstimators]).toEqual([original.offset, original.maxSamples, original.nEstimators]);
    }
    console.info(`sklearn round trip, max |diff| per case: ${Object.entries(found).map(([k, v]) => `${k} ${v.maxDiff.toExponential(1)} (${v.n} rows)`).join('; ')}`);
  });
});
