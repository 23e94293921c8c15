/**
 * logforest score-matrix --model m.lfm FILE.csv|- [--ndjson] [-o OUT]
 *
 * Scores a numeric feature matrix with the model's forest and writes scikit-learn's three outputs
 * per row: score_samples, decision_function, predict. The CSV header names the columns (any order,
 * extras ignored) and must hold every column the model names. Forest scores only: event scoring's
 * extras (the novelty guard) are not applied, which is what makes the scores scikit-learn's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { IsolationForest, type ForestArrays } from '@logforest/core';
import { flag, modelOption, outputOption, str, type Command } from '../command.ts';
import { loadModel } from '../scoring.ts';
import { CliError } from '../input.ts';
import { readMatrix } from '../matrix.ts';

function readText(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new CliError(`cannot read '${path}': ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.message}`, 2);
  }
}

export const scoreMatrix: Command = {
  name: 'score-matrix',
  args: '<file.csv|->',
  arity: [1, 1],
  summary: 'score_samples, decision_function, predict of each row of a numeric feature matrix',
  description: `Scores a CSV feature matrix with the model's forest (a raw-feature model from
import-sklearn, or any model: its feature columns) and writes scikit-learn's three outputs per
row, in input order. The header row names the columns (any order; other columns are ignored);
every cell the model needs must be a finite number within float32 range. Forest scores only:
event scoring's novelty guard is not applied. Parquet is not read (convert to CSV first).`,
  options: {
    ...modelOption('the model (required)'),
    ndjson: { type: 'boolean', help: 'one JSON object per row ({row, score_samples, decision_function, predict}) instead of CSV' },
    ...outputOption('write the scores to FILE instead of stdout'),
  },
  examples: [
    'logforest import-sklearn dump.json -o raw.lfm && logforest score-matrix --model raw.lfm rows.csv > scores.csv',
    'cat rows.csv | logforest score-matrix --model raw.lfm - --ndjson',
  ],
  run({ args, values }) {
    const modelPath = str(values, 'model');
    if (!modelPath) throw new CliError('score-matrix needs --model <file>', 2);
    const path = args[0]!;
    if (/\.parquet$/i.test(path)) throw new CliError(`${path}: Parquet is not supported; write the matrix as CSV with a header row (pandas: df.to_csv(path, index=False))`, 2);
    const model = loadModel(modelPath, true);
    const forest = IsolationForest.fromArrays(model.forest as unknown as ForestArrays);
    const name = path === '-' ? 'stdin' : path;
    const { X, nRows } = readMatrix(readText(path), name, model.featureSet.columns);
    const s = forest.scoreSamples(X, nRows);
    const off = forest.offset;
    const nd = flag(values, 'ndjson');
    const parts: string[] = nd ? [] : ['score_samples,decision_function,predict'];
    for (let i = 0; i < nRows; i++) {
      const ss = s[i] as number;
      const df = ss - off;
      const p = df < 0 ? -1 : 1;
      parts.push(nd ? `{"row":${i + 1},"score_samples":${ss},"decision_function":${df},"predict":${p}}` : `${ss},${df},${p}`);
    }
    const out = `${parts.join('\n')}\n`;
    const output = str(values, 'output');
    if (!output) return out;
    writeFileSync(output, out);
    return `wrote ${output}: ${nRows} rows scored with ${model.version} (${forest.nEstimators} trees, ${forest.nFeatures} columns)\n`;
  },
};
