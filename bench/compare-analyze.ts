/**
 * `pnpm bench:compare-analyze`: logforest's `POST /analyze` beside a re-implementation of the
 * original Python design (bench/reference/app.py: FastAPI + pandas + scikit-learn, one uvicorn
 * worker; a benchmark peer, not part of logforest), same client, same lines, in one run.
 *
 * Lines: the Loghub OpenSSH and Linux auth logs (../shared/data/loghub), the lines of the seed's
 * shape `<ts> <host> <comp>[<pid>]: <msg>`, so both sides parse every one. Both models are trained
 * on those lines at start: the reference fits IsolationForest(contamination=0.01,
 * random_state=42) on its five seed features; logforest's ingest serves a model of the `seed`
 * feature set (like for like), then one of the `default` set. For each request size (1, 10, 100,
 * 1,000 lines) the two systems take turns, A B A B, for `--seconds` each per round, one client
 * sending sequentially (bench/analyze-client.ts): lines/s = lines answered / time, p50/p99 per
 * request, and each server process's CPU time per line over the timed requests (what the server
 * itself costs, apart from the client and from waiting for a loaded machine's cores).
 *
 *   pnpm bench:compare-analyze [--sizes 1,10,100,1000] [--seconds 2] [--rounds 3] [--warmup 3]
 *
 * `--warmup`: seconds of untimed requests per system before each size (both servers measured warm).
 * `--profile DIR`: run the ingest process under `node --cpu-prof`, its profile written to DIR at exit
 * (a profiled server is slower: figures of such a run are not for BENCHMARKS.md).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { encodeModel, trainModel, type FeatureSetName } from '../packages/core/src/index.ts';
import { artifactMeta, createModelRegistry } from '../packages/runtime/src/registry/index.ts';
import { freePort, startRedisServer } from '../tests/setup/redis-server.ts';
import { ROOT, spawnTs, waitForHttp, watchProc, type Proc } from '../tests/stack/proc.ts';
import { requirePython, startPython } from './lib/python.ts';
import { AnalyzeClient, processCpuMs } from './analyze-client.ts';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,10,100,1000' },
    seconds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    python: { type: 'string', default: '/usr/bin/python3' },
    sets: { type: 'string', default: 'seed,default' },
    profile: { type: 'string' },
  },
});
const SIZES = args.sizes.split(',').map(Number);
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const ROUNDS = Number(args.rounds);
const SETS = args.sets.split(',') as FeatureSetName[];
const DATA = process.env['LOGFOREST_DATA'] ?? join(ROOT, '../shared/data/loghub');
const PY_MODULES = ['fastapi', 'uvicorn', 'pandas', 'sklearn'];
const PY_DEBS = 'python3-fastapi python3-uvicorn python3-pandas python3-sklearn';
const SEED_SHAPE = /^\w{3}\s+\d{1,2}\s\d{2}:\d{2}:\d{2}\s\S+\s[^\s[]+\[\d+\]:\s/;

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

const lines = ['OpenSSH_2k.log', 'Linux_2k.log'].flatMap((f) => readFileSync(join(DATA, f), 'utf8').split('\n')).filter((l) => SEED_SHAPE.test(l));
if (lines.length < 1000) throw new Error(`need ≥ 1,000 seed-shaped lines under ${DATA}, found ${lines.length}`);

interface Tally {
  lines: number;
  seconds: number;
  latencies: number[];
  /** CPU time the server process used during the timed requests (ms). */
  serverCpu: number;
}
const tally = (): Tally => ({ lines: 0, seconds: 0, latencies: [], serverCpu: 0 });

/** 64 different request bodies of `size` lines each (built before anything is timed). */
function bodies(size: number): string[] {
  let at = 0;
  return Array.from({ length: 64 }, () => JSON.stringify({ logs: Array.from({ length: size }, () => lines[at++ % lines.length] as string) }));
}

/** One client, sequential requests of `size` lines for `seconds`; `pid` is the server's process. */
async function drive(client: AnalyzeClient, pid: number | undefined, body: string[], size: number, seconds: number, t: Tally): Promise<void> {
  const cpu0 = processCpuMs(pid);
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let n = 0;
  while (n < 3 || performance.now() < deadline) {
    const t0 = performance.now();
    const verdicts = await client.analyze(body[n % body.length] as string);
    t.latencies.push(performance.now() - t0);
    if (verdicts !== size) throw new Error(`answered ${verdicts} verdicts for ${size} lines`);
    t.lines += size;
    n++;
  }
  t.seconds += (performance.now() - start) / 1000;
  t.serverCpu += processCpuMs(pid) - cpu0;
}

/** The ingest service as `pnpm start` runs it (node --import tsx), under `--cpu-prof` with `--profile`. */
function spawnIngest(env: Record<string, string>): Proc {
  if (args.profile === undefined) return spawnTs({ entry: 'services/ingest/src/main.ts', env });
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const argv = ['--cpu-prof', `--cpu-prof-dir=${args.profile}`, '--import', tsx, join(ROOT, 'services/ingest/src/main.ts')];
  return watchProc(spawn(process.execPath, argv, { cwd: dir, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

requirePython(args.python, PY_MODULES, PY_DEBS); // before any child process is started
const dir = mkdtempSync(join(tmpdir(), 'logforest-analyze-'));
const train = join(dir, 'train.txt');
writeFileSync(train, `${lines.join('\n')}\n`);
const procs: Proc[] = [];
const redisServer = await startRedisServer();
const redis = new Redis(redisServer.url);
const out: string[] = [];
const load0 = loadavg();
try {
  const refPort = await freePort();
  const ref = startPython(args.python, ['-m', 'uvicorn', '--app-dir', join(ROOT, 'bench/reference'), 'app:app', '--host', '127.0.0.1', '--port', String(refPort), '--workers', '1', '--log-level', 'warning'], {
    REFERENCE_TRAIN: train,
  }, PY_MODULES, PY_DEBS);
  procs.push(ref);

  const prefix = '{cmp}';
  const registry = createModelRegistry({ redis, prefix });
  const port = await freePort();
  const ingest = spawnIngest({
    REDIS_URL: redisServer.url,
    LOGFOREST_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    FORWARD_PORT: '0',
  });
  procs.push(ingest);
  const ours = `http://127.0.0.1:${port}/analyze?explain=none`;
  const theirs = `http://127.0.0.1:${refPort}/analyze`;
  await waitForHttp(`http://127.0.0.1:${refPort}/healthz`, ref, 120_000);
  const oursClient = new AnalyzeClient(ours);
  const theirsClient = new AnalyzeClient(theirs);

  for (const set of SETS) {
    const version = await registry.nextVersion();
    const artifact = trainModel(lines.map((line) => ({ line })), { version, featureSet: set });
    await registry.store(version, encodeModel(artifact), artifactMeta(artifact));
    await registry.activate(version);
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, ingest, 60_000);
    for (let i = 0; i < 100; i++) {
      const r = await fetch(ours, { method: 'POST', body: JSON.stringify({ logs: [lines[0]] }), headers: { 'content-type': 'application/json' } });
      if (r.headers.get('x-model-version') === version) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    for (const size of SIZES) {
      const a = tally();
      const b = tally();
      const body = bodies(size);
      // Warm-up, not counted: V8 optimises the request path only after enough requests (on a loaded
      // box its background compiler needs seconds), and both servers are measured warm.
      await drive(oursClient, ingest.proc.pid, body, size, WARMUP, tally());
      await drive(theirsClient, ref.proc.pid, body, size, WARMUP, tally());
      for (let r = 0; r < ROUNDS; r++) {
        await drive(oursClient, ingest.proc.pid, body, size, SECONDS, a);
        await drive(theirsClient, ref.proc.pid, body, size, SECONDS, b);
      }
      a.latencies.sort((x, y) => x - y);
      b.latencies.sort((x, y) => x - y);
      const ra = a.lines / a.seconds;
      const rb = b.lines / b.seconds;
      out.push(
        `| ${set} | ${fmt(size)} | ${fmt(ra)} | ${fmt(pct(a.latencies, 0.5), 2)} / ${fmt(pct(a.latencies, 0.99), 2)} | ${fmt(rb)} | ${fmt(pct(b.latencies, 0.5), 1)} / ${fmt(pct(b.latencies, 0.99), 1)} | ${fmt(ra / rb, 1)}× | ` +
          `${fmt((a.serverCpu * 1000) / a.lines, 1)} / ${fmt((b.serverCpu * 1000) / b.lines, 0)} | ${fmt(b.serverCpu / b.lines / (a.serverCpu / a.lines), 1)}× |`,
      );
    }
  }
  oursClient.close();
  theirsClient.close();
} finally {
  await Promise.all(procs.map((p) => p.stop(5000)));
  redis.disconnect();
  await redisServer.stop();
  rmSync(dir, { recursive: true, force: true });
}
const load1 = loadavg();
console.log(
  `/analyze, logforest (ingest, one process) vs the original design re-implemented (bench/reference: FastAPI + pandas + scikit-learn, one uvicorn worker); ` +
    `${lines.length} seed-shaped Loghub lines; one sequential client (node:http, keep-alive); ${WARMUP} s warm-up, then ${ROUNDS} alternating rounds of ${SECONDS} s per system and size; ` +
    `server CPU = the server process's user + system time over the timed requests, per line (/proc, 10 ms ticks); ` +
    `load average ${load0.map((l) => l.toFixed(2)).join(' ')} → ${load1.map((l) => l.toFixed(2)).join(' ')}; ${new Date().toISOString().slice(0, 16)}Z`,
);
console.log('');
console.log('| logforest feature set | lines/request | logforest lines/s | logforest p50 / p99 ms | reference lines/s | reference p50 / p99 ms | ratio | server CPU µs/line, logforest / reference | CPU ratio |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of out) console.log(r);
