/**
 * `pnpm bench:compare`: logforest's Isolation Forest beside Debian's scikit-learn, on this
 * machine, in one run. scikit-learn runs in a persistent `/usr/bin/python3` child
 * (bench/peers/sklearn_peer.py), so Python start-up is never timed; both sides are timed around
 * the call only, in their own process, and the runs alternate A B A B so load on a shared box
 * hits both alike. Same data (uniform random, written once to a temp file both read), 100 trees,
 * ψ = 256. Scoring is timed on the same forest: scikit-learn's, imported into logforest through
 * the dump format (checked: the score sums must agree), so tree shapes cannot favour either side.
 *
 *   pnpm bench:compare [--sizes 100000,1000000] [--runs 5] [--calls 20000]
 *
 * Figures are medians of process CPU time (user + system; wall time in the notes); the ratio is
 * scikit-learn's time over logforest's. The last line is `forest/scikit-learn score 100kx5: <R>x`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { IsolationForest } from '../packages/core/src/forest/forest.ts';
import { Xoshiro128 } from '../packages/core/src/forest/prng.ts';
import { importSklearnDump } from '../packages/core/src/forest/sklearn.ts';
import { LinePeer } from './lib/peer.ts';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    runs: { type: 'string', default: '5' },
    calls: { type: 'string', default: '20000' },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});
const SIZES = args.sizes.split(',').map(Number);
const RUNS = Number(args.runs);
const CALLS = Number(args.calls);
const SK_CALLS = Math.max(10, Math.round(CALLS / 100)); // scikit-learn's single-row call is ~ms
const COLS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const label = (n: number) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1000 ? `${fmt(n / 1000)}k` : String(n));

interface Sample {
  cpu: number;
  wall: number;
}
function timeOurs(fn: () => void): Sample {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1000, wall };
}

function uniform(nRows: number, seed: number): Float64Array {
  const rng = new Xoshiro128(seed);
  const X = new Float64Array(nRows * COLS);
  for (let i = 0; i < X.length; i++) X[i] = rng.nextDouble();
  return X;
}

const peer = new LinePeer(args.python, [join(import.meta.dirname, 'peers', 'sklearn_peer.py')]);
const hello = await peer.ask({ op: 'hello' });
if (!hello.ok) {
  const why = hello.missing ? `a Python module is missing (${hello.missing})` : hello.error;
  console.error(
    `bench:compare needs ${args.python} with scikit-learn and numpy (Debian: apt-get install python3-sklearn).\n` +
      `It could not use them: ${why}`,
  );
  await peer.close();
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'logforest-compare-'));
const rows: string[][] = [];
let sink = 0;
let ratio100k = Number.NaN;
const load0 = loadavg();
try {
  for (const n of SIZES) {
    const X = uniform(n, 1);
    const name = `u${n}`;
    const file = join(dir, `${name}.f64`);
    writeFileSync(file, new Uint8Array(X.buffer, X.byteOffset, X.byteLength));
    await peer.must({ op: 'load', name, path: file, rows: n, cols: COLS });
    const L = `${label(n)}×${COLS}`;

    // Fit, with and without the contamination offset (which scores every training row).
    for (const contamination of [0.01, 'auto'] as const) {
      const ours: Sample[] = [];
      const theirs: Sample[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const a = timeOurs(() => {
          sink += IsolationForest.fit(X, n, COLS, { contamination }).offset;
        });
        const b = await peer.must({ op: 'fit', name, contamination, model: `fit-${contamination}` });
        if (i === 0) continue; // warm-up
        ours.push(a);
        theirs.push({ cpu: b['cpu_ms'] as number, wall: b['wall_ms'] as number });
      }
      rows.push(row(`fit ${L}, contamination ${contamination}`, ours, theirs, 'ms'));
    }

    // Score: the same (scikit-learn's) forest on both sides.
    await peer.must({ op: 'fit', name, contamination: 0.01, model: 'm' });
    await peer.must({ op: 'dump', model: 'm', path: join(dir, 'm.json') });
    const forest = importSklearnDump(JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8')));
    const out = new Float64Array(n);
    const ours: Sample[] = [];
    const theirs: Sample[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const a = timeOurs(() => forest.scoreSamples(X, n, out));
      const b = await peer.must({ op: 'score', model: 'm', name });
      let sum = 0;
      for (let r = 0; r < n; r++) sum += out[r] as number;
      const theirSum = b['checksum'] as number;
      if (Math.abs(sum - theirSum) > 1e-9 * n) throw new Error(`score sums differ: logforest ${sum}, scikit-learn ${theirSum}`);
      if (i === 0) continue;
      ours.push(a);
      theirs.push({ cpu: b['cpu_ms'] as number, wall: b['wall_ms'] as number });
    }
    const r = row(`score ${L} (rows/s)`, ours, theirs, 'rows/s', n);
    rows.push(r);
    if (n === 100_000) ratio100k = Number((r[3] as string).replace(/[×,]/g, ''));

    // Single-row latency (one call per row, as a worker scoring one event would), on the 100k forest.
    if (n === SIZES[0]) {
      const calls = Math.min(CALLS, n);
      const ours1: Sample[] = [];
      const theirs1: Sample[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const a = timeOurs(() => {
          for (let k = 0; k < calls; k++) sink += forest.scoreSample(X, k * COLS);
        });
        const b = await peer.must({ op: 'one', model: 'm', name, calls: SK_CALLS });
        if (i === 0) continue;
        ours1.push({ cpu: (a.cpu * 1000) / calls, wall: (a.wall * 1000) / calls });
        theirs1.push({ cpu: ((b['cpu_ms'] as number) * 1000) / SK_CALLS, wall: ((b['wall_ms'] as number) * 1000) / SK_CALLS });
      }
      rows.push(row(`single row, score_samples(1 row) (µs/call)`, ours1, theirs1, 'µs'));
    }
  }
} finally {
  await peer.close();
  rmSync(dir, { recursive: true, force: true });
}

/** A table row: medians of both, ratio = how many times faster logforest is. */
function row(what: string, ours: Sample[], theirs: Sample[], unit: 'ms' | 'rows/s' | 'µs', n = 0): string[] {
  const o = median(ours.map((s) => s.cpu));
  const t = median(theirs.map((s) => s.cpu));
  const ow = median(ours.map((s) => s.wall));
  const tw = median(theirs.map((s) => s.wall));
  const show = (cpu: number, wall: number): string => {
    if (unit === 'rows/s') return `${fmt(n / (cpu / 1000))} (${fmt(cpu, 1)} ms; wall ${fmt(wall, 1)})`;
    if (unit === 'µs') return `${fmt(cpu, 2)} µs (wall ${fmt(wall, 2)})`;
    return `${fmt(cpu, 1)} ms (wall ${fmt(wall, 1)})`;
  };
  return [what, show(o, ow), show(t, tw), `${fmt(t / o, 1)}×`];
}

const load1 = loadavg();
console.log(
  `logforest vs scikit-learn ${String(hello['sklearn'])} (numpy ${String(hello['numpy'])}, Python ${String(hello['python'])}); Node ${process.version}; ` +
    `100 trees, ψ = 256, uniform random data, ${COLS} columns; median of ${RUNS} alternating runs after one warm-up each; ` +
    `process CPU time (wall in brackets); load average ${load0.map((l) => l.toFixed(2)).join(' ')} → ${load1.map((l) => l.toFixed(2)).join(' ')}; ${new Date().toISOString().slice(0, 16)}Z`,
);
console.log('');
console.log('| what | logforest | scikit-learn | logforest speed-up |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log('');
if (Number.isNaN(sink)) process.exitCode = 1;
console.log(`forest/scikit-learn score 100kx5: ${Number.isFinite(ratio100k) ? `${fmt(ratio100k, 1)}x` : 'n/a (no 100k size in this run)'}`);
