/**
 * Regenerates the tables of EVALUATION.md with the code of `logforest eval` (commands/eval.ts):
 *   pnpm exec tsx tools/evaluate.ts [../shared/data] > /tmp/eval.md
 * Each table is preceded by the one `logforest eval` command that prints it alone.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { renderEvalTables, runEval, type EvalSpec } from '../packages/cli/src/commands/eval.ts';

const data = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'data');
const rel = (p: string) => `../shared/data/${p}`;

function section(title: string, args: string, spec: EvalSpec, note: (r: ReturnType<typeof runEval>) => string): void {
  const r = runEval(spec);
  console.log(`### ${title}\n\n\`\`\`sh\npnpm logforest eval ${args}\n\`\`\`\n\n${note(r)}\n\n${renderEvalTables(r)}`);
}

const base = { test: [], sets: ['seed', 'default'] as EvalSpec['sets'] };
for (const c of [0.01, 0.07]) {
  section(`BGL_2k, trained and tested on the file, contamination ${c}`, `${rel('loghub/BGL_2k.log')} --labels bgl --contamination ${c}`,
    { ...base, train: [join(data, 'loghub/BGL_2k.log')], labels: 'bgl', contamination: c },
    (r) => `Loghub label token; ${r.positives} alerts in ${r.events.test} lines.`);
}
for (const file of ['OpenSSH_2k.log', 'Linux_2k.log']) {
  section(`${file}, proxy labels`, `${rel(`loghub/${file}`)} --labels proxy`,
    { ...base, train: [join(data, `loghub/${file}`)], labels: 'proxy', contamination: 0.01 },
    (r) => `Proxy label: "authentication failure" or "failed password"; ${r.positives} of ${r.events.test} events.`);
}
for (const file of readdirSync(join(data, 'jboss')).filter((f) => f.includes('server.log')).sort()) {
  section(`${file}, time split 60/40, signature labels`, `${rel(`jboss/${file}`)} --split 0.6 --labels signature`,
    { ...base, train: [join(data, 'jboss', file)], split: 0.6, labels: 'signature', contamination: 0.01 },
    (r) => `First 60% of the day's events train (${r.events.train}), the rest test (${r.events.test}): ` +
      `${r.positives} novel errors among ${r.errorEvents} ERROR-or-worse test events.`);
}
