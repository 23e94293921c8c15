/**
 * One score worker draining a backlog, configurations side by side (A B A B): peak RSS, CPU per
 * 1,000 lines and lines/s of the compiled worker (`node services/worker/dist/main.js`) while it
 * works as fast as it can through `--jobs` score jobs of `--batch` real JBoss/WildFly lines each,
 * queued before it starts (the shape ingest enqueues). CPU and lines/s are measured from the time
 * a tenth of the backlog is written (start-up left out); peak RSS over the whole run. With a backlog the worker never waits for
 * ingest, so the figures are the worker's own, whatever else the machine runs; bench:e2e gives the
 * whole system.
 *
 *   pnpm bench:worker-memory [--jobs 150] [--batch 1000] [--rounds 2]
 *       [--config 'name=NODE_ARG …,ENV=VALUE …'] …     # default: the worker as shipped
 *
 * A config is `name=` followed by space-separated tokens: `--x` tokens are node arguments,
 * `BUNDLE=path` runs another build of the worker (a copy of an older `dist/`, to compare code),
 * `JOBS=v1|v2` picks the wire format of the queued jobs (default v2, what ingest writes), other
 * `KEY=VALUE` tokens are environment variables of the worker.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { encodeModel, encodeScoreJob, keys as keyNames, QUEUES, trainModel, type ScoreJobFormat } from '../packages/core/src/index.ts';
import { artifactMeta, createModelRegistry } from '../packages/runtime/src/registry/index.ts';
import { startRedisServer } from '../tests/setup/redis-server.ts';
import { ROOT } from '../tests/stack/proc.ts';
import { jbossLines } from './lib/load.ts';
import { buildServices, cpuSeconds, loadAverage, removeTempDirs, spawnService, watchRss } from './lib/procs.ts';

const { values: args } = parseArgs({
  options: {
    jobs: { type: 'string', default: '150' },
    batch: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '2' },
    config: { type: 'string', multiple: true, default: [] },
  },
});
const JOBS = Number(args.jobs);
const BATCH = Number(args.batch);
const DATA = process.env['LOGFOREST_DATA'] ?? join(ROOT, '../shared/data/jboss');
const configs = (args.config.length ? args.config : ['shipped=']).map((c) => {
  const name = c.slice(0, c.indexOf('='));
  const tokens = c.slice(c.indexOf('=') + 1).split(/\s+/).filter(Boolean);
  return {
    name,
    nodeArgs: tokens.filter((t) => t.startsWith('--')),
    env: Object.fromEntries(tokens.filter((t) => !t.startsWith('--') && !t.startsWith('BUNDLE=') && !t.startsWith('JOBS=')).map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)])),
    bundle: tokens.find((t) => t.startsWith('BUNDLE='))?.slice('BUNDLE='.length),
    format: (tokens.find((t) => t.startsWith('JOBS='))?.slice('JOBS='.length) ?? 'v2') as ScoreJobFormat,
  };
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');

interface Run {
  config: string;
  load: string;
  peakMiB: number;
  cpuMsPer1k: number;
  linesPerSec: number;
}

async function main(): Promise<void> {
  const lines = jbossLines(DATA);
  buildServices(['worker']);
  const server = await startRedisServer();
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  const artifact = trainModel(lines.map((line) => ({ line })), { version: 'v1' });
  const blob = encodeModel(artifact);
  const runs: Run[] = [];
  try {
    for (let round = 0; round < Number(args.rounds); round++) {
      for (const cfg of configs) {
        const prefix = `{wm-${randomBytes(4).toString('hex')}}`;
        const registry = createModelRegistry({ redis, prefix });
        await registry.store('v1', blob, artifactMeta(artifact));
        await registry.activate('v1');
        const queue = new Queue(QUEUES.score, { connection: redis, prefix });
        let cursor = 0;
        for (let j = 0; j < JOBS; j += 10) {
          const jobs = Array.from({ length: Math.min(10, JOBS - j) }, () => {
            const batchId = `b-${Date.now().toString(36)}-${randomBytes(9).toString('base64url')}`;
            const records = Array.from({ length: BATCH }, () => ({ line: lines[cursor++ % lines.length] as string, ts: Date.now() }));
            return { name: 'score', data: encodeScoreJob({ batchId, receivedAt: Date.now(), tag: 'bench', records }, cfg.format), opts: { jobId: batchId, removeOnComplete: { count: 100 }, attempts: 5 } };
          });
          await queue.addBulk(jobs);
        }
        await queue.close();
        const load = loadAverage();
        const worker = spawnService('worker', { REDIS_URL: server.url, LOGFOREST_PREFIX: prefix, LOG_LEVEL: 'warn', ...cfg.env }, cfg.nodeArgs, cfg.bundle);
        const rss = watchRss(() => ({ worker: worker.proc.pid }));
        const k = keyNames(prefix);
        // The measured window starts once a tenth of the backlog is written (start-up, model load and
        // JIT warm-up left out), and ends when the last line is.
        const started = performance.now();
        let records = 0;
        let from: { at: number; cpu: number; records: number } | undefined;
        while (records < JOBS * BATCH && performance.now() - started < 600_000) {
          await sleep(20);
          records = Number((await redis.hget(k.totals, 'records')) ?? 0);
          if (!from && records >= (JOBS * BATCH) / 10) from = { at: performance.now(), cpu: cpuSeconds(worker.proc.pid), records };
        }
        const seconds = (performance.now() - (from?.at ?? started)) / 1000;
        const cpu = cpuSeconds(worker.proc.pid) - (from?.cpu ?? 0);
        const measured = records - (from?.records ?? 0);
        const peak = rss.stop()['worker'] ?? Number.NaN;
        await worker.stop(20_000);
        if (records < JOBS * BATCH) throw new Error(`${cfg.name}: only ${records} of ${JOBS * BATCH} lines written:\n${worker.output().slice(-2000)}`);
        runs.push({ config: cfg.name, load, peakMiB: peak / 2 ** 20, cpuMsPer1k: (cpu * 1e6) / measured, linesPerSec: measured / seconds });
        console.error(`[${cfg.name}] peak ${fmt(peak / 2 ** 20)} MiB, ${fmt((cpu * 1e6) / measured, 2)} ms CPU/1k lines, ${fmt(measured / seconds)} lines/s (load ${load})`);
      }
    }
  } finally {
    redis.disconnect();
    server.proc.kill('SIGTERM');
    for (let i = 0; i < 100 && server.proc.exitCode === null && server.proc.signalCode === null; i++) await sleep(50);
    await server.stop();
    removeTempDirs();
  }
  console.log(`\n## one worker draining ${JOBS} × ${BATCH} lines (${new Date().toISOString()}, node ${process.version})\n`);
  console.log('| config | run | load avg | peak RSS MiB | CPU ms / 1,000 lines | lines/s |');
  console.log('| --- | ---: | --- | ---: | ---: | ---: |');
  const seen = new Map<string, number>();
  for (const r of runs) {
    const n = (seen.get(r.config) ?? 0) + 1;
    seen.set(r.config, n);
    console.log(`| ${r.config} | ${n} | ${r.load} | ${fmt(r.peakMiB)} | ${fmt(r.cpuMsPer1k, 2)} | ${fmt(r.linesPerSec)} |`);
  }
}

await main();
