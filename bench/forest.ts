/**
 * Isolation Forest benchmark: fit time (including the contamination offset, which scores every
 * training row), batch scoring throughput and single-row latency, on uniform random data.
 *
 *   pnpm exec tsx bench/forest.ts            # 100k×5 and 1M×5
 *   pnpm exec tsx bench/forest.ts --quick    # 100k×5 only
 *   pnpm exec tsx bench/forest.ts --rows=N   # N×5 only (single-row figures on N rows too)
 *
 * Prints a markdown table. Every figure is the median of RUNS timed runs after WARMUP untimed
 * ones, on one core (the benchmark is single-threaded). `scoreSamples` uses the fastest kernel
 * (WebAssembly SIMD block heap); the "kernel" rows time the path-length sums of each kernel alone:
 * SIMD, the scalar WebAssembly rank heap (no SIMD), the JavaScript rank heap (no WebAssembly)
 * and the node walk (deep forests).
 */
import { IsolationForest } from '../packages/core/src/forest/forest.ts';
import { createKernel, type KernelChoice } from '../packages/core/src/forest/kernel.ts';
import { Xoshiro128 } from '../packages/core/src/forest/prng.ts';

const WARMUP = 2;
const RUNS = 5;
const N_COLS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/**
 * Median time in ms of `fn` over RUNS runs after WARMUP runs: process CPU time (user + system),
 * which on a shared machine is closer to the cost on one free core than wall time is; the median
 * wall time is kept in `lastWall` for the table.
 */
let lastWall = 0;
function time(fn: () => void, warmup = WARMUP, runs = RUNS): number {
  for (let i = 0; i < warmup; i++) fn();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  lastWall = median(wall);
  return median(cpu);
}
const wallNote = (ms: number): string => ` (wall ${fmt(ms, 1)} ms)`;

function uniform(nRows: number, seed: number): Float64Array {
  const rng = new Xoshiro128(seed);
  const X = new Float64Array(nRows * N_COLS);
  for (let i = 0; i < X.length; i++) X[i] = rng.nextDouble();
  return X;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

const rowsArg = process.argv.find((a) => a.startsWith('--rows='));
const sizes = rowsArg ? [Number(rowsArg.slice(7))] : process.argv.includes('--quick') ? [100_000] : [100_000, 1_000_000];
const rows: string[][] = [];
let sink = 0; // keeps results observable so nothing is optimised away

for (const n of sizes) {
  const X = uniform(n, 1);
  const label = `${n >= 1000 ? `${fmt(n / 1000)}k` : fmt(n)}×${N_COLS}`;
  let forest = IsolationForest.fit(X, n, N_COLS, { contamination: 0.01 });
  const fitMs = time(() => {
    forest = IsolationForest.fit(X, n, N_COLS, { contamination: 0.01 });
  });
  const fitWall = lastWall;
  const fitAutoMs = time(() => {
    sink += IsolationForest.fit(X, n, N_COLS).offset;
  });
  rows.push([label, 'fit, contamination 0.01 (incl. scoring all rows for the offset)', `${fmt(fitMs, 1)} ms${wallNote(fitWall)}`]);
  rows.push([label, "fit, contamination 'auto' (trees only)", `${fmt(fitAutoMs, 1)} ms${wallNote(lastWall)}`]);

  const out = new Float64Array(n);
  const scoreMs = time(() => {
    forest.scoreSamples(X, n, out);
    sink += out[0] as number;
  });
  rows.push([label, 'scoreSamples', `${fmt(n / (scoreMs / 1000) / 1e6, 2)} M rows/s (${fmt(scoreMs, 1)} ms)${wallNote(lastWall)}`]);

  const kernelRows = Math.min(n, 100_000);
  for (const choice of ['simd', 'wasm', 'js', 'walk'] as KernelChoice[]) {
    const kernel = createKernel(forest.toArrays(), choice);
    const ms = time(() => {
      kernel.sums(X, 0, kernelRows, out);
      sink += out[0] as number;
    });
    rows.push([label, `path-length sums, ${choice} kernel (${fmt(kernelRows / 1000)}k rows)`, `${fmt(kernelRows / (ms / 1000) / 1e6, 2)} M rows/s${wallNote(lastWall)}`]);
  }
}

// Single-row latency on the 100k forest: one call per row, as a worker scoring one event would.
{
  const n = Math.min(100_000, sizes[0] as number);
  const X = uniform(n, 2);
  const forest = IsolationForest.fit(X, n, N_COLS, { contamination: 0.01 });
  const calls = Math.min(20_000, n);
  const one = new Float64Array(1);
  const rowMs = time(() => {
    for (let i = 0; i < calls; i++) sink += forest.scoreSample(X, i * N_COLS);
  });
  const batchOfOneMs = time(() => {
    for (let i = 0; i < calls; i++) sink += forest.scoreSamples(X.subarray(i * N_COLS, (i + 1) * N_COLS), 1, one)[0] as number;
  });
  const explains = Math.min(2000, n);
  const explainMs = time(() => {
    for (let i = 0; i < explains; i++) sink += forest.explain(X, i * N_COLS)[0] as number;
  });
  rows.push(['1 row', 'scoreSample(row, offset)', `${fmt((rowMs * 1000) / calls, 2)} µs/call`]);
  rows.push(['1 row', 'scoreSamples(X, 1, out)', `${fmt((batchOfOneMs * 1000) / calls, 2)} µs/call`]);
  rows.push(['1 row', 'explain(row, offset)', `${fmt((explainMs * 1000) / explains, 2)} µs/call`]);
}

const out = [
  `Isolation Forest, 100 trees, ψ = 256, uniform random data; Node ${process.version}; median of ${RUNS} runs after ${WARMUP} warm-up runs; times are process CPU time (median wall time in brackets)`,
  '',
  '| data | operation | result |',
  '|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];
process.stdout.write(`${out.join('\n')}\n`);
if (Number.isNaN(sink)) process.exitCode = 1;
