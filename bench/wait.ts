/**
 * What REDIS_WAIT_REPLICAS=1 costs on the ingest path, against REDIS_WAIT_REPLICAS=0, on a real
 * Redis Cluster of 3 masters with one replica each (redis-server + redis-cli, free ports).
 *
 * Two ingest processes (services/ingest, the same code and prefix, one with WAIT 0 and one with
 * WAIT 1) run side by side; load goes to one at a time, A B A B, in rounds of `--seconds`:
 * closed-loop clients posting NDJSON bodies of `--events` routine JBoss events, each waiting for
 * its answer before the next. Two shapes: one client with small bodies (the latency an ack costs)
 * and `--concurrency` clients with large bodies (throughput). The queue is drained between
 * rounds (no workers run: only the acknowledgement path is measured). Every answer that is not
 * 202 is counted; medians are over rounds, percentiles over all requests of a mode. Last, the
 * ack latency paired: one client alternating single requests between the two, A B A B.
 *
 *   pnpm bench:wait [--rounds 4] [--seconds 3] [--small 100] [--large 1000] [--concurrency 8]
 *   pnpm bench:wait --nodes 10.0.0.1:7000,10.0.0.2:7000   # an existing cluster (its masters need a
 *                                                          # replica; writes under {bench-wait}, drained)
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import { keySlot } from '../packages/runtime/src/redis/slot.ts';
import { ndjson, routineEvents } from '../tests/e2e/jboss-lines.ts';
import { startRedisCluster } from '../tests/setup/redis-cluster.ts';
import { startIngest, type IngestProc } from '../tests/stack/proc.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '3' },
    small: { type: 'string', default: '100' },
    large: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '8' },
    nodes: { type: 'string' },
  },
});
const ROUNDS = Number(args.rounds);
const SECONDS = Number(args.seconds);
const CONCURRENCY = Number(args.concurrency);
const PREFIX = '{bench-wait}';

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
const signed = (n: number): string => `${n >= 0 ? '+' : '−'}${fmt(Math.abs(n), 2)}`;
const fmt = (n: number, d = 0): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

interface Round {
  eventsPerSecond: number;
  latencies: number[];
  refused: Map<number, number>;
}

/** `clients` closed-loop clients posting `body` (of `events` events) to `ingest` for SECONDS. */
async function round(ingest: IngestProc, body: string, events: number, clients: number): Promise<Round> {
  const latencies: number[] = [];
  const refused = new Map<number, number>();
  let acked = 0;
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        const res = await fetch(`${ingest.base}/ingest/jboss`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
        await res.arrayBuffer();
        if (res.status === 202) {
          latencies.push(performance.now() - s);
          acked += events;
        } else {
          refused.set(res.status, (refused.get(res.status) ?? 0) + 1);
        }
      }
    }),
  );
  return { eventsPerSecond: acked / ((performance.now() - t0) / 1000), latencies, refused };
}

const loadBefore = load();
console.log(`bench:wait — ${args.nodes ? 'cluster at --nodes' : '3 masters + 3 replicas'}, rounds ${ROUNDS} × ${SECONDS} s per mode and shape, A B A B; load average before: ${loadBefore}`);
const cluster = args.nodes ? undefined : await startRedisCluster({ masters: 3, replicas: 1, nodeTimeoutMs: 5000 });
const seeds = args.nodes ?? (cluster as NonNullable<typeof cluster>).seeds;
const ingests: IngestProc[] = [];
try {
  const client = new Cluster(seeds.split(',').map((n) => ({ host: n.slice(0, n.lastIndexOf(':')), port: Number(n.slice(n.lastIndexOf(':') + 1)) })));
  client.on('error', () => undefined);
  const queue = new Queue('score', { connection: client, prefix: PREFIX });
  console.log(`${cluster ? 'local cluster' : 'cluster'} ${seeds}; prefix ${PREFIX} → slot ${keySlot(PREFIX)}${cluster ? ` on master 127.0.0.1:${await cluster.masterOf(keySlot(PREFIX))}` : ''}`);
  const common = {
    REDIS_CLUSTER_NODES: seeds,
    LOGFOREST_PREFIX: PREFIX,
    QUEUE_MAX_WAITING: '1000000',
    QUEUE_DEPTH_CACHE_MS: '200',
    MAX_EVENTS_PER_REQUEST: '100000',
    INGEST_TOKENS: '',
    ADMIN_TOKEN: '',
    LOG_LEVEL: 'error',
  };
  const modes = [
    { name: 'REDIS_WAIT_REPLICAS=0', ingest: await startIngest({ ...common, REDIS_WAIT_REPLICAS: '0' }) },
    { name: 'REDIS_WAIT_REPLICAS=1', ingest: await startIngest({ ...common, REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '1000' }) },
  ];
  ingests.push(...modes.map((m) => m.ingest));

  const shapes = [
    { name: `1 client × ${args.small} events/request`, events: Number(args.small), clients: 1 },
    { name: `${CONCURRENCY} clients × ${args.large} events/request`, events: Number(args.large), clients: CONCURRENCY },
  ];
  console.log('');
  console.log('| shape | mode | events/s (median of rounds) | rounds | p50 ms | p99 ms | requests | refused |');
  console.log('|---|---|---|---|---|---|---|---|');
  const ratios: string[] = [];
  for (const shape of shapes) {
    const body = ndjson(routineEvents(shape.events, 7), 'bench-wait');
    // Warm-up: connections, JIT, the queue's keys.
    for (const m of modes) await round(m.ingest, body, shape.events, shape.clients).then(() => queue.drain());
    const results = modes.map(() => [] as Round[]);
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < modes.length; i++) {
        (results[i] as Round[]).push(await round((modes[i] as (typeof modes)[number]).ingest, body, shape.events, shape.clients));
        await queue.drain();
      }
    }
    const summary = results.map((rs) => {
      const lat = rs.flatMap((x) => x.latencies).sort((a, b) => a - b);
      const refused = new Map<number, number>();
      for (const x of rs) for (const [code, n] of x.refused) refused.set(code, (refused.get(code) ?? 0) + n);
      return { eps: median(rs.map((x) => x.eventsPerSecond)), each: rs.map((x) => x.eventsPerSecond), p50: pct(lat, 0.5), p99: pct(lat, 0.99), requests: lat.length, refused };
    });
    summary.forEach((s, i) => {
      const refused = [...s.refused].map(([c, n]) => `${n}× ${c}`).join(', ') || '0';
      console.log(`| ${shape.name} | ${(modes[i] as (typeof modes)[number]).name} | ${fmt(s.eps)} (${s.each.map((e) => fmt(e)).join(' / ')}) | ${ROUNDS} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${fmt(s.requests)} | ${refused} |`);
    });
    const [a, b] = summary as [(typeof summary)[number], (typeof summary)[number]];
    ratios.push(`${shape.name}: WAIT 1 / WAIT 0 throughput ${(b.eps / a.eps).toFixed(2)}×, p50 ${signed(b.p50 - a.p50)} ms, p99 ${signed(b.p99 - a.p99)} ms`);
  }
  // The ack latency itself, paired: one client alternates single requests A B A B, so drift of
  // the (shared, loaded) machine hits both modes alike; the median of the per-pair differences.
  const pairBody = ndjson(routineEvents(Number(args.small), 8), 'bench-wait');
  const pairs: Array<[number, number]> = [];
  const post = async (ingest: IngestProc): Promise<number> => {
    const t = performance.now();
    const res = await fetch(`${ingest.base}/ingest/jboss`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: pairBody });
    await res.arrayBuffer();
    return res.status === 202 ? performance.now() - t : Number.NaN;
  };
  const pairEnd = performance.now() + ROUNDS * SECONDS * 1000;
  while (performance.now() < pairEnd) pairs.push([await post(modes[0]!.ingest), await post(modes[1]!.ingest)]);
  await queue.drain();
  const ok = pairs.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const diffs = ok.map(([x, y]) => y - x);
  console.log('');
  console.log(`paired, 1 client, ${args.small} events/request, requests alternating A B A B for ${ROUNDS * SECONDS} s: ${fmt(ok.length)} pairs (${pairs.length - ok.length} with a refusal)`);
  console.log(`  p50 ack latency WAIT 0 ${fmt(median(ok.map((p) => p[0])), 2)} ms, WAIT 1 ${fmt(median(ok.map((p) => p[1])), 2)} ms; per-pair difference WAIT 1 − WAIT 0: median ${signed(median(diffs))} ms, p90 ${signed(pct([...diffs].sort((x, y) => x - y), 0.9))} ms`);
  console.log('');
  for (const r of ratios) console.log(r);
  await queue.close();
  client.disconnect();
} finally {
  await Promise.all(ingests.map((i) => i.proc.stop(15_000)));
  await cluster?.stop();
}
console.log(`load average before / after: ${loadBefore} / ${load()}  (node ${process.version}, ${ROUNDS} rounds × ${SECONDS} s)`);
