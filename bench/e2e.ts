/**
 * End-to-end benchmark: redis-server, I ingest processes and N score workers as separate
 * processes started the way the production image starts them (`node services/<name>/dist/main.js`,
 * the esbuild bundles, rebuilt first when a source changed), and a load generator posting real
 * JBoss/WildFly lines (shared/data/jboss, cycled) as NDJSON batches the way Fluent Bit
 * `json_lines` does. Several ingest processes stand in for ingest replicas behind a load balancer
 * (clients are spread over them).
 *
 * Per phase (plain, gzip, plain paced at half the plain rate): accepted and scored lines/s,
 * acceptance→verdict latency (scoredAt − receivedAt of the anomalies written), loss (lines
 * acknowledged − records the workers wrote: must be 0), CPU of every process per 1,000 lines
 * (/proc), Redis commands per line (INFO commandstats) and Redis memory. Then peak RSS per
 * process, what an event leaves in Redis (MEMORY USAGE by key kind), and /analyze.
 * `--profile` adds `--cpu-prof` to the services and splits their CPU of the first phase by stage.
 *
 *   pnpm bench:e2e [--workers 2] [--ingest 1] [--seconds 10] [--batch 1000] [--concurrency 8]
 *                  [--phases plain,gzip,half] [--max-lines N] [--skip-analyze] [--profile] [--json out.json]
 *                  [--format v2]   # score-job wire format ingest writes (SCORE_JOB_FORMAT), v1 or v2
 *
 * LOGFOREST_DATA=dir reads the lines from `dir/*server.log*` instead of ../shared/data/jboss.
 * Extra environment for the workers: BENCH_WORKER_ENV='WORKER_CONCURRENCY=1,…'.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { encodeModel, keys as keyNames, trainModel } from '../packages/core/src/index.ts';
import { artifactMeta, createModelRegistry } from '../packages/runtime/src/registry/index.ts';
import { freePort, startRedisServer } from '../tests/setup/redis-server.ts';
import { ROOT, waitForHttp, type Proc } from '../tests/stack/proc.ts';
import { profileIn, stageShares } from './lib/cpu-profile.ts';
import { analyzeBench, printReport, type PhaseRow, type Report } from './lib/e2e-report.ts';
import { buildBodies, jbossLines, load } from './lib/load.ts';
import { buildServices, cpuSnapshot, loadAverage, removeTempDirs, spawnService, tempDir, watchRss } from './lib/procs.ts';
import { commandStats, keyBytes, perEvent, serverStats } from './lib/redis-stats.ts';

const { values: args } = parseArgs({
  options: {
    workers: { type: 'string', default: '2' },
    ingest: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '10' },
    batch: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '8' },
    phases: { type: 'string', default: 'plain,gzip,half' },
    'max-lines': { type: 'string' },
    'skip-analyze': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    json: { type: 'string' },
    format: { type: 'string', default: 'v2' },
  },
});
const WORKERS = Number(args.workers);
const INGESTS = Number(args.ingest);
const SECONDS = Number(args.seconds);
const BATCH = Number(args.batch);
const CONCURRENCY = Number(args.concurrency);
const MAX_LINES = args['max-lines'] === undefined ? undefined : Number(args['max-lines']);
if (!['v1', 'v2'].includes(args.format)) throw new Error(`unknown --format ${args.format} (v1, v2)`);
const PHASES = args.phases.split(',').map((p) => p.trim());
const PREFIX = '{bench}';
const DATA = process.env['LOGFOREST_DATA'] ?? join(ROOT, '../shared/data/jboss');
for (const p of PHASES) if (!['plain', 'gzip', 'half'].includes(p)) throw new Error(`unknown phase ${p} (plain, gzip, half)`);
if (PHASES.includes('half') && PHASES[0] !== 'plain') throw new Error('the half phase is paced at half the rate of a plain phase that runs first');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
const monoUs = () => Number(process.hrtime.bigint() / 1000n);

async function main(): Promise<void> {
  const lines = jbossLines(DATA);
  buildServices(['ingest', 'worker']);
  const redisServer = await startRedisServer();
  const redis = new Redis(redisServer.url);
  const k = keyNames(PREFIX);
  const procs: Record<string, Proc> = {};
  const profDirs: Record<string, string> = {};
  const report: Report = { date: new Date().toISOString(), workers: WORKERS, ingests: INGESTS, batch: BATCH, concurrency: CONCURRENCY, seconds: SECONDS, node: process.version, phases: [], peakRss: {}, redisKeys: [] };
  try {
    // A model trained on the same data, active before the workers start (no cold start in the figures).
    const registry = createModelRegistry({ redis, prefix: PREFIX });
    const version = await registry.nextVersion();
    const artifact = trainModel(lines.map((line) => ({ line })), { version });
    await registry.store(version, encodeModel(artifact), artifactMeta(artifact));
    await registry.activate(version);
    report.featureSet = `${artifact.featureSet.name} v${artifact.featureSet.version}`;

    const env = { REDIS_URL: redisServer.url, LOGFOREST_PREFIX: PREFIX, LOG_LEVEL: 'warn' };
    const nodeArgs = (name: string) => {
      if (!args.profile) return [];
      profDirs[name] = tempDir(`prof-${name}`);
      return ['--cpu-prof', `--cpu-prof-dir=${profDirs[name]}`];
    };
    const bases: string[] = [];
    for (let i = 0; i < INGESTS; i++) {
      const port = await freePort();
      const name = `ingest-${i + 1}`;
      procs[name] = spawnService('ingest', { ...env, HOST: '127.0.0.1', PORT: String(port), FORWARD_PORT: '0', SCORE_JOB_FORMAT: args.format }, nodeArgs(name));
      bases.push(`http://127.0.0.1:${port}`);
    }
    const workerEnv = Object.fromEntries((process.env['BENCH_WORKER_ENV'] ?? '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    for (let i = 0; i < WORKERS; i++) procs[`worker-${i + 1}`] = spawnService('worker', { ...env, ...workerEnv }, nodeArgs(`worker-${i + 1}`));
    for (const [i, base] of bases.entries()) await waitForHttp(`${base}/readyz`, procs[`ingest-${i + 1}`] as Proc, 60_000);
    const pids = () => ({ ...Object.fromEntries(Object.entries(procs).map(([n, p]) => [n, p.proc.pid])), redis: redisServer.proc.pid, 'load generator': process.pid });
    const rss = watchRss(pids);

    const bodies = { plain: buildBodies(lines, BATCH, false), gzip: buildBodies(lines, BATCH, true) };
    const drain = async () => {
      for (let i = 0; i < 1200 && (await redis.llen(`${PREFIX}:score:wait`)) + (await redis.zcard(`${PREFIX}:score:prioritized`)) > 0; i++) await sleep(100);
    };
    // Warm-up (JIT, connections), not measured; then wait for the queue to drain.
    await load({ bases, bodies: bodies.plain, batch: BATCH, gzip: false, concurrency: CONCURRENCY, seconds: MAX_LINES ? 60 : 3, maxLines: MAX_LINES });
    await drain();
    await sleep(1000);
    let fullRate = 0;
    for (const phase of PHASES) {
      const gzip = phase === 'gzip';
      await redis.del(k.anomalies, k.totals);
      await redis.config('RESETSTAT');
      const before = { cpu: cpuSnapshot(pids()), redis: await serverStats(redis), at: monoUs(), load: loadAverage() };
      const sent = await load({
        bases, bodies: gzip ? bodies.gzip : bodies.plain, batch: BATCH, gzip, concurrency: CONCURRENCY,
        seconds: MAX_LINES ? 120 : SECONDS, rate: phase === 'half' ? fullRate / 2 : undefined, maxLines: MAX_LINES,
      });
      if (phase === 'plain' && fullRate === 0) fullRate = sent.accepted / sent.seconds;
      const acceptedAt = performance.now();
      let totals: Record<string, string> = {};
      for (let waited = 0; waited < 300_000; waited += 50) {
        totals = await redis.hgetall(k.totals);
        if (Number(totals['records'] ?? 0) >= sent.accepted) break;
        await sleep(50);
      }
      const records = Number(totals['records'] ?? 0);
      const scoredSeconds = sent.seconds + (performance.now() - acceptedAt) / 1000;
      const after = { cpu: cpuSnapshot(pids()), redis: await serverStats(redis), at: monoUs() };
      const stats = perEvent(await commandStats(redis), records);
      const entries = await redis.xrange(k.anomalies, '-', '+');
      const latencies = entries
        .map(([, f]) => JSON.parse(f[f.indexOf('v') + 1] ?? '{}') as { receivedAt?: number; scoredAt?: number })
        .filter((d) => d.receivedAt !== undefined && d.scoredAt !== undefined)
        .map((d) => (d.scoredAt as number) - (d.receivedAt as number))
        .sort((a, b) => a - b);
      const cpuMsPer1k = Object.fromEntries(Object.keys(after.cpu).map((n) => [n, ((after.cpu[n] as number) - (before.cpu[n] as number)) * 1e6 / records]));
      cpuMsPer1k['redis'] = ((after.redis.cpu - before.redis.cpu) * 1e6) / records; // INFO cpu: finer than /proc ticks
      const row: PhaseRow = {
        phase, load: before.load, accepted: sent.accepted, acceptedPerSec: sent.accepted / sent.seconds, records,
        events: Number(totals['events'] ?? 0), scoredPerSec: records / scoredSeconds, p50: pct(latencies, 0.5), p99: pct(latencies, 0.99),
        latencySamples: latencies.length, refused: sent.refused, lost: sent.accepted - records, cpuMsPer1k,
        redisCallsPerLine: stats.total, redisUsecPerLine: stats.usecPerEvent, redisTop: stats.top,
        redisMemoryDelta: after.redis.usedMemory - before.redis.usedMemory, window: [before.at, after.at],
        redisNetInPerLine: (after.redis.netIn - before.redis.netIn) / records, redisNetOutPerLine: (after.redis.netOut - before.redis.netOut) / records,
      };
      report.phases.push(row);
      if (report.redisKeys.length === 0) report.redisKeys = [...(await keyBytes(redis, PREFIX))].sort((a, b) => b[1].bytes - a[1].bytes);
    }
    if (!args['skip-analyze']) report.analyze = await analyzeBench(bases[0] as string, lines);
    report.peakRss = rss.stop();
  } finally {
    await Promise.all(Object.values(procs).map((p) => p.stop(20_000)));
    redis.disconnect();
    redisServer.proc.kill('SIGTERM');
    for (let i = 0; i < 100 && redisServer.proc.exitCode === null && redisServer.proc.signalCode === null; i++) await sleep(50);
    await redisServer.stop();
  }
  const first = report.phases[0];
  try {
    if (args.profile && first) addStages(report, first, profDirs);
  } finally {
    removeTempDirs();
  }
  console.log(`\nscore-job wire format (ingest SCORE_JOB_FORMAT): ${args.format}`);
  printReport(report);
  if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2));
}

/** Split each service's CPU of the first phase by stage, from its --cpu-prof profile. */
function addStages(report: Report, first: PhaseRow, profDirs: Record<string, string>): void {
  report.stages = {};
  for (const [name, dir] of Object.entries(profDirs)) {
    const file = profileIn(dir);
    if (!file) continue;
    const bundle = join(ROOT, 'services', name.startsWith('ingest') ? 'ingest' : 'worker', 'dist/main.js');
    const s = stageShares(file, bundle, first.window);
    report.stages[name] = { samples: s.samples, msPer1k: Object.fromEntries([...s.shares].map(([stage, share]) => [stage, share * (first.cpuMsPer1k[name] ?? Number.NaN)])) };
  }
}

await main();
