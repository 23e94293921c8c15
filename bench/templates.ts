/**
 * Template miner throughput.
 *
 *   pnpm exec tsx bench/templates.ts [dataDir] [--ms=2000]
 *
 * - add(): fresh miner per pass over the Loghub 2k `Content` columns (all datasets, in file order);
 * - match(): the same messages against a miner that learned them (frozen vocabulary);
 * - pathological 1 MB messages (one token, many tokens, whitespace only, quotes, numbers): ms per MB.
 * Single-threaded. Rates are per second of this process's CPU time (process.cpuUsage), which is
 * steadier than wall time on a shared machine; wall-time rates are printed too. `--ms` is the CPU
 * time per add/match measurement (the pathological cases get 15% of it each).
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TemplateMiner } from '../packages/core/src/templates/index.ts';
import { readStructured } from '../tools/eval-templates.ts';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const msArg = process.argv.find((a) => a.startsWith('--ms='));
const MS = msArg ? Number(msArg.slice(5)) : 2000;
const dataDir = resolve(positional[0] ?? '/work/shared/data/loghub');
const files = readdirSync(dataDir)
  .filter((f) => f.endsWith('_2k.log_structured.csv'))
  .sort();
const messages = files.flatMap((f) => readStructured(join(dataDir, f)).map((r) => r['Content'] ?? ''));
const avgLen = messages.reduce((s, m) => s + m.length, 0) / messages.length;

/** Runs `run` (which returns items done) for at least `minMs` of CPU time; rates are per CPU second. */
function timeIt(minMs: number, run: () => number): { perSec: number; ms: number; wallPerSec: number } {
  run(); // warm-up
  let items = 0;
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  let cpuMs = 0;
  while (cpuMs < minMs) {
    items += run();
    const c = process.cpuUsage(c0);
    cpuMs = (c.user + c.system) / 1000;
  }
  const wall = performance.now() - w0;
  return { perSec: (items / cpuMs) * 1000, ms: cpuMs / items, wallPerSec: (items / wall) * 1000 };
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

console.log(`${messages.length} Loghub messages from ${files.length} files, mean ${avgLen.toFixed(1)} chars\n`);

const add = timeIt(MS, () => {
  const m = new TemplateMiner();
  for (const msg of messages) m.add(msg);
  return messages.length;
});
const rate = (r: { perSec: number; wallPerSec: number }): string => `${fmt(r.perSec)} msg/s (wall ${fmt(r.wallPerSec)})`;
console.log(`add()   fresh miner per pass: ${rate(add)}`);

const trained = new TemplateMiner();
for (const msg of messages) trained.add(msg);
let sink = 0;
const match = timeIt(MS, () => {
  for (const msg of messages) if (trained.match(msg) !== undefined) sink++;
  return messages.length;
});
console.log(`match() frozen (${trained.size} templates): ${rate(match)}`);

const short = messages.filter((m) => m.length <= 60);
const shortLen = short.reduce((s, m) => s + m.length, 0) / short.length;
const matchShort = timeIt(MS, () => {
  for (const msg of short) if (trained.match(msg) !== undefined) sink++;
  return short.length;
});
console.log(`match() short messages (${short.length} of them ≤ 60 chars, mean ${shortLen.toFixed(1)}): ${rate(matchShort)}`);

const frozen = TemplateMiner.fromJSON(JSON.parse(JSON.stringify(trained.toJSON())));
const matchRt = timeIt(MS / 2, () => {
  for (const msg of messages) if (frozen.match(msg) !== undefined) sink++;
  return messages.length;
});
console.log(`match() after toJSON/fromJSON: ${rate(matchRt)}`);

const MB = 1 << 20;
const fill = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
const patho: Array<[string, string]> = [
  ['one 1 MB token', fill('x')],
  ['1 MB of "a " (512k tokens)', fill('a ')],
  ['1 MB of spaces', fill(' ')],
  ['1 MB of tabs/newlines', fill('\t\n')],
  ['1 MB of "1.2.3.4 "', fill('1.2.3.4 ')],
  ['1 MB of digits, no space', fill('7')],
  ['1 MB of quote chars', fill('"')],
  ['1 MB of "\\" " (quote, space)', fill('" ')],
  ['"(" + 1 MB of "=\'"', `(${fill("='")}`],
  ['1 MB of "blk_1 " (one run)', fill('blk_1 ')],
];
console.log('\npathological 1 MB messages (add on a fresh miner, then match):');
for (const [name, msg] of patho) {
  const a = timeIt(MS * 0.15, () => {
    new TemplateMiner().add(msg);
    return 1;
  });
  const m = new TemplateMiner();
  m.add(msg);
  const b = timeIt(MS * 0.15, () => {
    if (m.match(msg)) sink++;
    return 1;
  });
  console.log(`  ${name.padEnd(32)} add ${a.ms.toFixed(2).padStart(7)} ms/MB   match ${b.ms.toFixed(2).padStart(7)} ms/MB`);
}
if (sink < 0) console.log(sink);
