/**
 * `pnpm bench`: every hot-path benchmark, one after another, each in its own process so
 * one's JIT state and garbage do not colour the next. Output is markdown for BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const benches = ['decode.ts', 'parse.ts', 'templates.ts', 'forest.ts', 'pipeline.ts'];
const only = process.argv.slice(2);
let failed = 0;
for (const b of benches) {
  if (only.length && !only.some((o) => b.startsWith(o))) continue;
  const file = join(import.meta.dirname, b);
  if (!existsSync(file)) continue;
  console.log(`\n## bench/${b}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
