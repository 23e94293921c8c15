/**
 * End-to-end benchmark: redis-server, ingest and N score workers as separate processes, a load
 * generator posting real JBoss/WildFly lines (shared/data/jboss, cycled) as NDJSON batches the way
 * Fluent Bit `json_lines` does, with gzip off and on. Reports accepted and scored lines/s,
 * acceptance→verdict latency (scoredAt − receivedAt of the anomalies written), loss (records the
 * workers counted vs. lines acknowledged: must be 0), peak RSS per process, and /analyze latency
 * (1 line per request) and throughput (1,000 lines per request).
 *
 *   pnpm bench:e2e [--workers 2] [--seconds 10] [--batch 1000] [--concurrency 8]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { encodeModel, keys as keyNames, trainModel } from '../packages/core/src/index.ts';
import { artifactMeta, createModelRegistry } from '../packages/runtime/src/registry/index.ts';
import { freePort, startRedisServer } from '../tests/setup/redis-server.ts';
import { ROOT, spawnTs, waitForHttp, type Proc } from '../tests/stack/proc.ts';

const { values: args } = parseArgs({
  options: {
    workers: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '10' },
    batch: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '8' },
  },
});
const WORKERS = Number(args.workers);
const SECONDS = Number(args.seconds);
const BATCH = Number(args.batch);
const CONCURRENCY = Number(args.concurrency);
const PREFIX = '{bench}';
const DATA = process.env['LOGFOREST_DATA'] ?? join(ROOT, '../shared/data/jboss');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');

function jbossLines(): string[] {
  const files = readdirSync(DATA).filter((f) => f.includes('server.log'));
  const lines = files.flatMap((f) => readFileSync(join(DATA, f), 'utf8').split(/\r?\n/)).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error(`no JBoss lines under ${DATA}`);
  return lines;
}

/** Peak resident set size of each process, sampled from /proc every 250 ms. */
function watchRss(procs: Record<string, Proc>): { stop(): Record<string, number> } {
  const peak: Record<string, number> = {};
  const sample = () => {
    for (const [name, p] of Object.entries(procs)) {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.proc.pid}/status`, 'utf8'));
        if (m) peak[name] = Math.max(peak[name] ?? 0, Number(m[1]) * 1024);
      } catch {
        // not Linux, or the process is gone
      }
    }
  };
  const timer = setInterval(sample, 250);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/**
 * Post NDJSON batches from `concurrency` clients for `seconds`; retries 503 like a shipper.
 * Bodies are built before the clock starts (64 distinct ones, cycled) so the load generator,
 * which shares the 2 cores with the services, spends its time sending rather than encoding.
 */
function buildBodies(lines: string[], gzip: boolean): Buffer[] {
  const bodies: Buffer[] = [];
  let cursor = 0;
  for (let b = 0; b < 64; b++) {
    const batch: string[] = [];
    for (let i = 0; i < BATCH; i++) batch.push(JSON.stringify({ date: Date.now() / 1000, log: lines[cursor++ % lines.length] }));
    const raw = Buffer.from(batch.join('\n') + '\n');
    bodies.push(gzip ? gzipSync(raw, { level: 1 }) : raw);
  }
  return bodies;
}

async function load(
  base: string,
  bodies: Buffer[],
  gzip: boolean,
  seconds = SECONDS,
  /** Offered lines/s across all clients (paced); unlimited when omitted. */
  rate?: number,
): Promise<{ accepted: number; refused: number; seconds: number }> {
  let next = 0;
  let accepted = 0;
  let refused = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson', ...(gzip ? { 'content-encoding': 'gzip' } : {}) };
  const gap = rate ? (CONCURRENCY * BATCH * 1000) / rate : 0; // ms between one client's requests
  const client = async (c: number) => {
    let due = started + (gap * c) / CONCURRENCY;
    while (performance.now() < deadline) {
      if (gap) {
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        due += gap;
      }
      const body = bodies[next++ % bodies.length] as Buffer;
      for (;;) {
        const res = await fetch(`${base}/ingest/bench`, { method: 'POST', body, headers });
        await res.arrayBuffer();
        if (res.status === 202) {
          accepted += BATCH;
          break;
        }
        if (res.status !== 503) throw new Error(`ingest answered ${res.status}`);
        refused++;
        await sleep(100);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, c) => client(c)));
  return { accepted, refused, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const lines = jbossLines();
  const redisServer = await startRedisServer();
  const redis = new Redis(redisServer.url);
  const k = keyNames(PREFIX);
  const procs: Record<string, Proc> = {};
  try {
    // A model trained on the same data, active before the workers start (no cold start in the figures).
    const registry = createModelRegistry({ redis, prefix: PREFIX });
    const version = await registry.nextVersion();
    const artifact = trainModel(lines.map((line) => ({ line })), { version });
    await registry.store(version, encodeModel(artifact), artifactMeta(artifact));
    await registry.activate(version);

    const env = { REDIS_URL: redisServer.url, LOGFOREST_PREFIX: PREFIX, LOG_LEVEL: 'warn' };
    const port = await freePort();
    const ingest = spawnTs({ entry: 'services/ingest/src/main.ts', env: { ...env, HOST: '127.0.0.1', PORT: String(port), FORWARD_PORT: '0' } });
    procs['ingest'] = ingest;
    for (let i = 0; i < WORKERS; i++) procs[`worker-${i + 1}`] = spawnTs({ entry: 'services/worker/src/main.ts', env });
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/readyz`, ingest, 60_000);
    const rss = watchRss(procs);

    const rows: string[] = [];
    const bodies = { plain: buildBodies(lines, false), gzip: buildBodies(lines, true) };
    // Warm-up (JIT, connections), not measured; then wait for the queue to drain.
    await load(base, bodies.plain, false, 3);
    for (let i = 0; i < 600 && (await redis.llen(`${PREFIX}:score:wait`)) > 0; i++) await sleep(100);
    await sleep(1000);
    let fullRate = 0;
    for (const phase of ['plain', 'gzip', 'plain at half load'] as const) {
      const gzip = phase === 'gzip';
      await redis.del(k.anomalies, k.totals);
      const sent = await load(base, gzip ? bodies.gzip : bodies.plain, gzip, SECONDS, phase === 'plain at half load' ? fullRate / 2 : undefined);
      if (phase === 'plain') fullRate = sent.accepted / sent.seconds;
      const acceptedAt = performance.now();
      let records = 0;
      for (let waited = 0; waited < 300_000; waited += 100) {
        records = Number((await redis.hget(k.totals, 'records')) ?? 0);
        if (records >= sent.accepted) break;
        await sleep(100);
      }
      const scoredSeconds = sent.seconds + (performance.now() - acceptedAt) / 1000;
      const entries = await redis.xrange(k.anomalies, '-', '+');
      const latencies = entries
        .map(([, f]) => JSON.parse(f[f.indexOf('v') + 1] ?? '{}') as { receivedAt?: number; scoredAt?: number })
        .filter((d) => d.receivedAt !== undefined && d.scoredAt !== undefined)
        .map((d) => (d.scoredAt as number) - (d.receivedAt as number))
        .sort((a, b) => a - b);
      rows.push(
        `| ${phase} | ${fmt(sent.accepted / sent.seconds)} | ${fmt(records / scoredSeconds)} | ${fmt(pct(latencies, 0.5))} | ${fmt(pct(latencies, 0.99))} | ${latencies.length} | ${sent.refused} | ${sent.accepted - records} |`,
      );
    }

    // /analyze: 1 line per request (latency), 1,000 lines per request (throughput).
    const one = JSON.stringify({ logs: [lines[0]] });
    const times: number[] = [];
    for (let i = 0; i < 520; i++) {
      const t = performance.now();
      const res = await fetch(`${base}/analyze`, { method: 'POST', body: one, headers: { 'content-type': 'application/json' } });
      await res.arrayBuffer();
      if (i >= 20) times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const thousand = JSON.stringify({ logs: lines.slice(0, 1000) });
    for (let i = 0; i < 10; i++) await (await fetch(`${base}/analyze`, { method: 'POST', body: thousand, headers: { 'content-type': 'application/json' } })).arrayBuffer(); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${base}/analyze`, { method: 'POST', body: thousand, headers: { 'content-type': 'application/json' } });
      if (res.status !== 200) throw new Error(`/analyze answered ${res.status}`);
      await res.arrayBuffer();
    }
    const analyzeRate = (50 * 1000) / ((performance.now() - t0) / 1000);
    // The same with 2 clients at once (one per core): throughput rather than a serial round trip.
    const t1 = performance.now();
    await Promise.all(
      [0, 1].map(async () => {
        for (let i = 0; i < 25; i++) {
          const res = await fetch(`${base}/analyze`, { method: 'POST', body: thousand, headers: { 'content-type': 'application/json' } });
          if (res.status !== 200) throw new Error(`/analyze answered ${res.status}`);
          await res.arrayBuffer();
        }
      }),
    );
    const analyzeRate2 = (50 * 1000) / ((performance.now() - t1) / 1000);
    const peak = rss.stop();

    console.log(`\n## logforest end-to-end (${WORKERS} workers, ${CONCURRENCY} clients × ${BATCH} lines/request, ${SECONDS} s per phase)\n`);
    console.log('| body | accepted lines/s | scored lines/s | latency p50 ms | latency p99 ms | latency samples | 503s | lost |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows) console.log(r);
    console.log(`\n/analyze: 1 line p50 ${fmt(pct(times, 0.5), 2)} ms, p99 ${fmt(pct(times, 0.99), 2)} ms; 1,000 lines/request ${fmt(analyzeRate)} lines/s (one client), ${fmt(analyzeRate2)} lines/s (two clients)\n`);
    console.log('| process | peak RSS MiB |');
    console.log('| --- | ---: |');
    for (const [name, bytes] of Object.entries(peak)) console.log(`| ${name} | ${fmt(bytes / 2 ** 20)} |`);
    console.log('\nLatency = scoredAt − receivedAt of the anomalies written (every anomalous event carries both).');
  } finally {
    await Promise.all(Object.values(procs).map((p) => p.stop(10_000)));
    redis.disconnect();
    redisServer.proc.kill('SIGTERM');
    for (let i = 0; i < 100 && redisServer.proc.exitCode === null && redisServer.proc.signalCode === null; i++) await sleep(50);
    await redisServer.stop();
  }
}

await main();
