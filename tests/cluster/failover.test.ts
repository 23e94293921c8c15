/**
 * Failover on a real 3-master, 3-replica Redis Cluster: clients post unique events without pause,
 * retrying refusals like a shipper; the master that owns the deployment's slot is SIGKILLed and
 * its replica promoted. Every acknowledged event is then looked for among the scored ones (the
 * sample stream holds each scored event once, written with its verdicts).
 *
 * Two deployments (prefixes on two different masters) share the cluster:
 * - REDIS_WAIT_REPLICAS=0 — an acknowledgement means "on the master"; replication is async, so
 *   the events acknowledged in the last instant before the kill may be lost. The test measures
 *   how many, and asserts they were all acknowledged within 1 s before the kill (the bound);
 * - REDIS_WAIT_REPLICAS=1 — an acknowledgement means "on the master and its replica": nothing
 *   acknowledged may be lost. The promoted replica has no replica of its own, so ingest refuses
 *   (503 not_replicated) until one is back: the killed node is restarted, rejoins as the new
 *   master's replica, and acknowledgements resume.
 * Figures are printed (`failover:` lines) for RELIABILITY.md.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel, keys, trainModel } from '@logforest/core';
import { artifactMeta, createModelRegistry, keySlot, readSample } from '@logforest/runtime';
import { ndjson, routineEvents } from '../e2e/jboss-lines.ts';
import { startRedisCluster, type RedisClusterHandle } from '../setup/redis-cluster.ts';
import { uniquePrefix } from '../setup/redis.ts';
import { eventually, startClusterStack, type ClusterStack } from './stack.ts';

const hasCluster = ['redis-server', 'redis-cli'].every((b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status === 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cluster: RedisClusterHandle;

/** Two prefixes whose slots belong to two different masters. */
async function prefixesOnTwoMasters(): Promise<[string, string]> {
  const first = uniquePrefix('fo');
  const owner = await cluster.masterOf(keySlot(first));
  for (;;) {
    const second = uniquePrefix('fo');
    if ((await cluster.masterOf(keySlot(second))) !== owner) return [first, second];
  }
}

interface Outcome {
  acked: number;
  lost: string[];
  lostAckedMsBeforeKill: number[];
  duplicates: number;
  refusals: number;
  failoverMs: number;
  drainMs: number;
  /** WAIT mode: refused requests between the promotion and the killed node's return as a replica. */
  refusedWithoutReplica: number;
  /** WAIT mode: ms from the restart of the killed node to the first acknowledgement after it. */
  resumeMs: number;
  requests: number;
}

async function runFailover(prefix: string, waitReplicas: number): Promise<Outcome> {
  const stack: ClusterStack = await startClusterStack({
    seeds: cluster.seeds,
    prefix,
    env: {
      REDIS_WAIT_REPLICAS: String(waitReplicas),
      REDIS_WAIT_TIMEOUT_MS: '500',
      REDIS_TIMEOUT_MS: '1000',
      QUEUE_DEPTH_CACHE_MS: '0',
      JOB_BACKOFF_MS: '200',
      WORKER_CONCURRENCY: '2',
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      SAMPLE_STREAM_MAXLEN: '1000000',
      MODEL_POLL_INTERVAL_MS: '1000',
    },
  });
  try {
    const model = trainModel(routineEvents(400, 5).map((line) => ({ line })), { version: 'v1' });
    const registry = createModelRegistry({ redis: stack.redis, prefix });
    await registry.store('v1', encodeModel(model), artifactMeta(model));
    await registry.activate('v1');
    await eventually('worker has v1', async () => (stack.workers[0]?.cache.version === 'v1' ? true : undefined), 10_000);

    const slot = keySlot(prefix);
    const master = await cluster.masterOf(slot);
    const victim = cluster.nodes.find((n) => n.port === master)!;
    // A live node to ask (the master killed by an earlier case of this file stays dead).
    const witness = cluster.nodes.find((n) => n.port !== master && n.proc.exitCode === null && n.proc.signalCode === null)!;
    const acked = new Map<string, number>();
    let refusals = 0;
    let requests = 0;
    let stop = false;
    const base = routineEvents(50, 9);
    const client = async (c: number): Promise<void> => {
      for (let n = 0; !stop; n++) {
        const lines = base.map((l, k) => `${l} req=${prefix}-${c}-${n}-${k}`);
        for (let attempt = 0; ; attempt++) {
          requests++;
          const res = await fetch(`${stack.url}/ingest/jboss`, { method: 'POST', body: ndjson(lines, `c${c}`), headers: { 'content-type': 'application/x-ndjson' } }).catch(() => undefined);
          if (res?.status === 202) {
            const at = Date.now();
            for (const l of lines) acked.set(l, at);
            break;
          }
          refusals++;
          if (stop) return;
          await sleep(Math.min(20 * 2 ** attempt, 300));
        }
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(client));
    await sleep(1500);
    const killAt = Date.now();
    victim.proc.kill('SIGKILL');
    await eventually('replica promoted', async () => {
      const now = await cluster.masterOf(slot, witness.port).catch(() => master);
      return now !== master ? now : undefined;
    }, 60_000, 50);
    const failoverMs = Date.now() - killAt;
    let refusedWithoutReplica = 0;
    let resumeMs = 0;
    if (waitReplicas > 0) {
      // No replica behind the new master: nothing is acknowledged until the old master returns as one.
      await sleep(1000);
      const refusedBefore = refusals;
      const ackedBefore = acked.size;
      await sleep(1000);
      refusedWithoutReplica = refusals - refusedBefore;
      expect(acked.size).toBe(ackedBefore);
      const restartAt = Date.now();
      await cluster.restart(victim.port);
      await eventually('acknowledgements resume', async () => (acked.size > ackedBefore ? true : undefined), 30_000, 20);
      resumeMs = Date.now() - restartAt;
    }
    await sleep(2000);
    stop = true;
    await load;

    // Drain: until every acknowledged event is scored, or nothing more arrives for 8 s.
    const t0 = Date.now();
    const sampleKey = keys(prefix).sample;
    let seen: string[] = [];
    let lastGrowth = Date.now();
    for (;;) {
      const now = (await readSample(stack.redis, sampleKey, 1_000_000).catch(() => undefined))?.map((r) => r.line);
      if (now && now.length > seen.length) {
        seen = now;
        lastGrowth = Date.now();
      }
      const got = new Set(seen);
      if ([...acked.keys()].every((l) => got.has(l)) || Date.now() - lastGrowth > 8000) break;
      await sleep(200);
    }
    const drainMs = Date.now() - t0;
    const got = new Set(seen);
    const lost = [...acked.keys()].filter((l) => !got.has(l));
    return {
      acked: acked.size,
      lost,
      lostAckedMsBeforeKill: [...new Set(lost.map((l) => killAt - (acked.get(l) as number)))],
      duplicates: seen.length - got.size,
      refusals,
      failoverMs,
      drainMs,
      requests,
      refusedWithoutReplica,
      resumeMs,
    };
  } finally {
    await stack.close();
  }
}

function report(mode: string, o: Outcome): void {
  console.log(
    `failover: ${mode}: ${o.acked} events acknowledged in ${o.requests} requests (${o.refusals} refused and retried), ` +
      `replica promoted ${o.failoverMs} ms after SIGKILL, ${o.lost.length} acknowledged events never scored` +
      (o.lost.length ? ` (acknowledged ${o.lostAckedMsBeforeKill.join(', ')} ms before the kill)` : '') +
      `, ${o.duplicates} scored twice, drained ${o.drainMs} ms after load` +
      (o.resumeMs ? `; without a replica ${o.refusedWithoutReplica} requests refused in 1 s, acknowledgements resumed ${o.resumeMs} ms after the old master restarted` : ''),
  );
}

describe.skipIf(!hasCluster)('failover: SIGKILL of the master that owns the queue, under load', () => {
  let prefixes: [string, string];
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicas: 1, nodeTimeoutMs: 1000 });
    prefixes = await prefixesOnTwoMasters();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('without WAIT: loses at most what was acknowledged in the last second before the kill', async () => {
    const o = await runFailover(prefixes[0], 0);
    report('REDIS_WAIT_REPLICAS=0', o);
    expect(o.acked).toBeGreaterThan(1000);
    for (const ms of o.lostAckedMsBeforeKill) expect(ms).toBeLessThanOrEqual(1000);
    expect(o.lostAckedMsBeforeKill.every((ms) => ms >= -200)).toBe(true); // nothing acknowledged after the kill was lost
  }, 90_000);

  it('with REDIS_WAIT_REPLICAS=1: nothing acknowledged is lost', async () => {
    const o = await runFailover(prefixes[1], 1);
    report('REDIS_WAIT_REPLICAS=1', o);
    expect(o.acked).toBeGreaterThan(1000);
    expect(o.lost).toEqual([]);
    expect(o.refusedWithoutReplica).toBeGreaterThan(0);
  }, 90_000);
});
