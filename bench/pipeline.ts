/**
 * parse → features → verdict throughput on the real JBoss/WildFly files (../shared/data/jboss)
 * and the Loghub auth logs, model trained on the same file: the default feature set beside the
 * seed set in the same run, interleaved A B A B, CPU time (one core: scoring is single-threaded).
 * Then the memory of a scoring process holding one model per file, one child process per set.
 *   pnpm exec tsx bench/pipeline.ts [dataDir] [--lines=200000] [--rounds=6]
 * `--lines`: each measurement repeats the file until it covers at least that many lines.
 * `--rounds`: paired rounds per file, the first a warm-up (at least 2).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join } from 'node:path';
import { decodeLogBytes, encodeModel, fileDateFromName, Scorer, splitLines, trainModel, type FeatureSetName, type ModelArtifact } from '@logforest/core';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const MIN_LINES = flag('lines') ? Number(flag('lines')) : 200_000;
const ROUNDS = Math.max(2, flag('rounds') ? Number(flag('rounds')) : 6);
const memoryOf = flag('memory');
const root = positional[0] ?? join(import.meta.dirname, '..', '..', 'shared', 'data');
const files = [
  ...(existsSync(join(root, 'jboss')) ? readdirSync(join(root, 'jboss')).filter((f) => f.includes('server.log')).sort().map((f) => join(root, 'jboss', f)) : []),
  ...['OpenSSH_2k.log', 'Linux_2k.log'].map((f) => join(root, 'loghub', f)).filter(existsSync),
];
if (files.length === 0) {
  console.error(`no data under ${root}`);
  process.exit(1);
}
const SETS: FeatureSetName[] = ['default', 'seed'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

interface Input {
  file: string;
  bytes: Buffer;
  lines: number;
  parse: { receivedAt: number; fileDate?: number };
}
const inputs: Input[] = files.map((file) => {
  const bytes = readFileSync(file);
  const fileDate = fileDateFromName(basename(file));
  return { file, bytes, lines: splitLines(decodeLogBytes(bytes)).length, parse: { receivedAt: Date.UTC(2024, 0, 1), ...(fileDate !== undefined ? { fileDate } : {}) } };
});
const train = (inp: Input, set: FeatureSetName): ModelArtifact =>
  trainModel(splitLines(decodeLogBytes(inp.bytes)).map((line) => ({ line })), { featureSet: set, parse: inp.parse });

/** Decode + split + join + parse + features + score + verdicts of the file, `reps` times; returns verdicts of the last pass. */
function pass(scorer: Scorer, inp: Input, reps: number): number {
  let events = 0;
  for (let k = 0; k < reps; k++) {
    const lines = splitLines(decodeLogBytes(inp.bytes));
    events = scorer.score(lines.map((line) => ({ line })), { parse: inp.parse, explain: 'anomalies' }).length;
  }
  return events;
}

if (memoryOf !== undefined) {
  // Child: one model per file for one set (or none), score every file, report memory after a GC.
  const gc = (globalThis as { gc?: () => void }).gc;
  const scorers = memoryOf === 'none' ? [] : inputs.map((inp) => new Scorer(train(inp, memoryOf as FeatureSetName)));
  scorers.forEach((s, i) => pass(s, inputs[i] as Input, Math.max(1, Math.ceil(MIN_LINES / 4 / (inputs[i] as Input).lines))));
  gc?.();
  const m = process.memoryUsage();
  process.stdout.write(JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, external: m.external, gc: gc !== undefined }));
  process.exit(0);
}

const load0 = loadavg();
const rows: string[] = [];
const ratios: string[] = [];
for (const inp of inputs) {
  const models = SETS.map((set) => train(inp, set));
  const scorers = models.map((m) => new Scorer(m));
  const reps = Math.max(1, Math.ceil(MIN_LINES / inp.lines));
  const cpu: number[][] = SETS.map(() => []);
  const wall: number[][] = SETS.map(() => []);
  const perRound: number[] = [];
  const events: number[] = SETS.map(() => 0);
  for (let r = 0; r < ROUNDS; r++) {
    const rate: number[] = [];
    for (let k = 0; k < SETS.length; k++) {
      const i = r % 2 === 0 ? k : SETS.length - 1 - k; // A B, B A, … so neither always goes first
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      events[i] = pass(scorers[i] as Scorer, inp, reps);
      const t = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      const n = reps * inp.lines;
      rate[i] = n / ((c.user + c.system) / 1e6);
      if (r > 0) {
        cpu[i]!.push(rate[i] as number); // first round is warm-up
        wall[i]!.push(n / t);
      }
    }
    if (r > 0) perRound.push((rate[0] as number) / (rate[1] as number));
  }
  SETS.forEach((set, i) => {
    rows.push(`| ${set} | ${basename(inp.file)} | ${inp.lines} | ${events[i]} | ${fmt(median(cpu[i]!))} | ${fmt(median(wall[i]!))} | ${fmt(encodeModel(models[i] as ModelArtifact).length)} |`);
  });
  ratios.push(`| ${basename(inp.file)} | ${median(perRound).toFixed(2)} | ${Math.min(...perRound).toFixed(2)} – ${Math.max(...perRound).toFixed(2)} | ${median(cpu[0]!) >= 300_000 ? 'yes' : 'no'} |`);
}

console.log('### parse → features → verdict (one core, decode + split + join + parse + template match + features + score + verdict objects)\n');
console.log(`Sets interleaved A B / B A in ${ROUNDS} rounds (the first is warm-up), ≥ ${fmt(MIN_LINES)} lines per measurement; load average ${load0.map((x) => x.toFixed(2)).join(' ')} at the start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end.\n`);
console.log(`| feature set | file | lines | events | lines/s per CPU-second (median of ${ROUNDS - 1}) | lines/s wall | model bytes |`);
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log(`\n| file | ${SETS[0]} / ${SETS[1]} throughput (median of the ${ROUNDS - 1} paired rounds) | range | ${SETS[0]} ≥ 300,000 lines/s/core (the target is set for the JBoss files) |`);
console.log('|---|---|---|---|');
for (const r of ratios) console.log(r);

// Memory of a scoring process: one model per file above, every file scored, after a GC.
const mem: string[] = [];
for (const set of ['none', ...SETS]) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename, root, `--memory=${set}`, `--lines=${MIN_LINES}`], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  const m = JSON.parse(r.stdout) as { rss: number; heapUsed: number; external: number };
  mem.push(`| ${set === 'none' ? 'none (the process without models)' : set} | ${mib(m.rss)} | ${mib(m.heapUsed)} | ${mib(m.external)} |`);
}
console.log(`\n### memory of a scoring process holding ${inputs.length} models (one per file), after scoring each file and a GC\n`);
console.log('| feature set | RSS | heap used | external |');
console.log('|---|---|---|---|');
for (const r of mem) console.log(r);
