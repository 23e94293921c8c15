/**
 * How close a native logforest fit is to scikit-learn's fit of the same data — statistically, since
 * the two draw different random trees (xoshiro128 vs numpy's MT19937) — next to scikit-learn's own
 * seed-to-seed spread. Fits on the parity fixtures' training rows, compares test-row scores:
 *
 *   pnpm exec tsx tools/sklearn/agreement.ts [../shared/fixtures/sklearn]
 *
 * Writes the native scores to a temporary file and runs tools/sklearn/agreement.py (Debian's
 * /usr/bin/python3 with python3-sklearn), which fits scikit-learn and prints the table.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsolationForest } from '../../packages/core/src/forest/index.ts';

const dir = process.argv[2] ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'sklearn');
export const SEEDS = [42, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const FIXTURES: Array<{ name: string; contamination: number | 'auto' }> = [
  { name: 'seed5', contamination: 0.01 },
  { name: 'gauss8', contamination: 'auto' },
];

const out: Record<string, unknown> = {};
for (const f of FIXTURES) {
  const train = JSON.parse(readFileSync(join(dir, `${f.name}.train.json`), 'utf8')) as { X: number[][] };
  const test = (JSON.parse(readFileSync(join(dir, `${f.name}.expected.json`), 'utf8')) as { test: { X: number[][] } }).test.X;
  const d = train.X[0]!.length;
  const X = Float64Array.from(train.X.flat());
  const T = Float64Array.from(test.flat());
  out[f.name] = {
    contamination: f.contamination,
    seeds: SEEDS.map((seed) => {
      const forest = IsolationForest.fit(X, train.X.length, d, { randomState: seed, contamination: f.contamination });
      return { seed, score_samples: Array.from(forest.scoreSamples(T, test.length)), predict: Array.from(forest.predict(T, test.length)) };
    }),
  };
}
const tmp = join(mkdtempSync(join(tmpdir(), 'logforest-agree-')), 'native.json');
writeFileSync(tmp, JSON.stringify(out));
const r = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'agreement.py'), dir, tmp], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
