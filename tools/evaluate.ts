/**
 * Regenerates the tables of EVALUATION.md with the same code as `logforest eval`.
 *   pnpm exec tsx tools/evaluate.ts [../shared/data] > /tmp/eval.md
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '@logforest/core';
import { evalRows, type CommonOptions, type EvalRow } from '../packages/cli/src/commands.ts';
import type { LabelSource } from '../packages/cli/src/labels.ts';

const data = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'data');
const f = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));
const opts = (contamination: number): CommonOptions => ({ featureSet: 'default', contamination, format: 'table', top: 20, all: false });

function table(rows: Array<{ label: string; r: EvalRow | ReturnType<typeof evaluate> }>): string {
  return [
    '| detector | flagged | precision | recall | F1 | ROC-AUC | PR-AUC |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(({ label, r }) => `| ${label} | ${r.flagged} | ${f(r.precision)} | ${f(r.recall)} | ${f(r.f1)} | ${f(r.rocAuc)} | ${f(r.prAuc)} |`),
  ].join('\n');
}

function run(file: string, labels: LabelSource, contaminations: number[]): Array<{ label: string; r: EvalRow }> {
  const out: Array<{ label: string; r: EvalRow }> = [];
  for (const c of contaminations) {
    for (const r of evalRows(join(data, file), opts(c), labels, ['seed', 'default'])) {
      out.push({ label: `IsolationForest, ${r.name.split(' ')[0]} features, contamination ${c}`, r });
    }
  }
  return out;
}

/** BGL's FATAL-only rule as a baseline: flag = level FATAL; score = 1 for FATAL else 0. */
function fatalRule(file: string) {
  const lines = readFileSync(join(data, file), 'utf8').split('\n').filter((l) => l !== '');
  const y = lines.map((l) => (l.startsWith('- ') ? 0 : 1));
  const s = lines.map((l) => (/ RAS \S+ FATAL /.test(l) ? 1 : 0));
  return evaluate(s, s, y);
}

console.log(`### BGL_2k (Loghub label token; 143 alerts in 2,000 lines)\n`);
console.log(table([{ label: 'rule: level = FATAL', r: fatalRule('loghub/BGL_2k.log') }, ...run('loghub/BGL_2k.log', 'bgl', [0.01, 0.07])]));
for (const file of ['OpenSSH_2k.log', 'Linux_2k.log']) {
  console.log(`\n### ${file} (proxy labels: "authentication failure" or "failed password")\n`);
  console.log(table(run(`loghub/${file}`, 'proxy', [0.01])));
}
