/**
 * Check an exported scikit-learn forest against scikit-learn's own results:
 *
 *   pnpm exec tsx tools/sklearn/check_dump.ts model.json scores.json rows.csv
 *
 * model.json and scores.json come from export_sklearn.py (--out, --scores) for the rows in
 * rows.csv. Prints the largest differences; exits 1 unless scores are within 1e-12, predictions
 * identical and path-length sums bit-exact.
 */
import { readFileSync } from 'node:fs';
import { importSklearnDump } from '../../packages/core/src/forest/sklearn.ts';

const TOL = 1e-12;

function readCsv(path: string): { X: Float64Array; nRows: number; nCols: number } {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const cells = lines.map((l) => l.split(','));
  if (cells.length > 0 && (cells[0] as string[]).some((c) => Number.isNaN(Number(c)))) cells.shift(); // header
  const nCols = cells[0]?.length ?? 0;
  const X = new Float64Array(cells.length * nCols);
  cells.forEach((row, i) => {
    if (row.length !== nCols) throw new Error(`${path}: row ${i + 1} has ${row.length} values, expected ${nCols}`);
    row.forEach((v, j) => (X[i * nCols + j] = Number(v)));
  });
  return { X, nRows: cells.length, nCols };
}

const [dumpPath, scoresPath, csvPath] = process.argv.slice(2);
if (!dumpPath || !scoresPath || !csvPath) {
  process.stderr.write('usage: tsx tools/sklearn/check_dump.ts model.json scores.json rows.csv\n');
  process.exit(2);
}
const forest = importSklearnDump(JSON.parse(readFileSync(dumpPath, 'utf8')));
const expected = JSON.parse(readFileSync(scoresPath, 'utf8')) as {
  score_samples: number[];
  decision_function: number[];
  predict: number[];
  path_length_sum: number[];
};
const { X, nRows, nCols } = readCsv(csvPath);
if (nCols !== forest.nFeatures) throw new Error(`${csvPath} has ${nCols} columns, the forest expects ${forest.nFeatures}`);

const maxDiff = (a: ArrayLike<number>, b: number[]): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};
const score = maxDiff(forest.scoreSamples(X, nRows), expected.score_samples);
const decision = maxDiff(forest.decisionFunction(X, nRows), expected.decision_function);
const predict = forest.predict(X, nRows);
const sums = forest.pathLengthSum(X, nRows);
let predictMismatch = 0;
let sumMismatch = 0;
for (let i = 0; i < nRows; i++) {
  if (predict[i] !== expected.predict[i]) predictMismatch++;
  if (sums[i] !== expected.path_length_sum[i]) sumMismatch++;
}
const ok = score <= TOL && decision <= TOL && predictMismatch === 0 && sumMismatch === 0;
process.stdout.write(
  `${nRows} rows × ${nCols}: score_samples max |diff| ${score.toExponential(2)}, decision_function ${decision.toExponential(2)}, ` +
    `predict mismatches ${predictMismatch}, path_length_sum non-identical ${sumMismatch}: ${ok ? 'OK' : 'FAIL'}\n`,
);
process.exitCode = ok ? 0 : 1;
