/**
 * parse → features → verdict throughput on the real JBoss/WildFly files (../shared/data/jboss)
 * and the Loghub auth logs: lines per second on one core, model trained on the same file.
 *   pnpm exec tsx bench/pipeline.ts [dataDir] [--lines=200000]
 * `--lines`: each measurement repeats the file until it covers at least that many lines.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { decodeLogBytes, fileDateFromName, Scorer, splitLines, trainModel, type FeatureSetName } from '@logforest/core';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const linesArg = process.argv.find((a) => a.startsWith('--lines='));
const MIN_LINES = linesArg ? Number(linesArg.slice(8)) : 200_000;
const root = positional[0] ?? join(import.meta.dirname, '..', '..', 'shared', 'data');
const files = [
  ...(existsSync(join(root, 'jboss')) ? readdirSync(join(root, 'jboss')).filter((f) => f.includes('server.log')).map((f) => join(root, 'jboss', f)) : []),
  ...['OpenSSH_2k.log', 'Linux_2k.log'].map((f) => join(root, 'loghub', f)).filter(existsSync),
];
if (files.length === 0) {
  console.error(`no data under ${root}`);
  process.exit(1);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const rows: string[] = [];
for (const set of ['default', 'seed'] as FeatureSetName[]) {
  for (const file of files) {
    const bytes = readFileSync(file);
    const fileDate = fileDateFromName(basename(file));
    const parse = { receivedAt: Date.UTC(2024, 0, 1), ...(fileDate !== undefined ? { fileDate } : {}) };
    const lines0 = splitLines(decodeLogBytes(bytes));
    const model = trainModel(lines0.map((line) => ({ line })), { featureSet: set, parse });
    const scorer = new Scorer(model);
    // Repeat the file so one measurement covers ≥ MIN_LINES lines.
    const reps = Math.max(1, Math.ceil(MIN_LINES / lines0.length));
    const runs: number[] = [];
    let events = 0;
    for (let r = 0; r < 6; r++) {
      const t0 = performance.now();
      let n = 0;
      for (let k = 0; k < reps; k++) {
        const lines = splitLines(decodeLogBytes(bytes));
        const verdicts = scorer.score(lines.map((line) => ({ line })), { parse, explain: 'anomalies' });
        n += lines.length;
        events = verdicts.length;
      }
      const s = (performance.now() - t0) / 1000;
      if (r > 0) runs.push(n / s); // first run is warm-up
    }
    rows.push(`| ${set} | ${basename(file)} | ${lines0.length} | ${events} | ${Math.round(median(runs)).toLocaleString('en-US')} |`);
  }
}
console.log('### parse → features → verdict (one core, decode + split + join + parse + template match + features + score + verdict objects)\n');
console.log('| feature set | file | lines | events | lines/s (median of 5) |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
