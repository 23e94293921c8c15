/**
 * `pnpm start` (tools/start.ts, real processes) on a Redis Cluster:
 * - `REDIS_CLUSTER_NODES` pointing at a 3-master cluster from tests/setup/redis-cluster.ts: no
 *   local Redis is started; events posted → cold-start model v1 → POST /retrain → v2 trained,
 *   registered and active → verdicts of v2 read back through /anomalies; the registry keys are on
 *   the cluster; SIGTERM stops every child (exit 0) and leaves the cluster running;
 * - `--cluster`: a throw-away local 3-master cluster, used by the services, stopped after them
 *   and its directory removed;
 * - a cluster nobody answers on, or `--cluster` with REDIS_CLUSTER_NODES: one message, exit 1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySlot } from '@logforest/runtime';
import { failureEvents, ndjson, routineEvents } from '../e2e/jboss-lines.ts';
import { startRedisCluster, type RedisClusterHandle } from '../setup/redis-cluster.ts';
import { freePort } from '../setup/redis-server.ts';
import { uniquePrefix } from '../setup/redis.ts';
import { ROOT, eventually, freePortRun, processGone, spawnTs, waitForHttp, type Proc } from '../stack/proc.ts';
import { apiCall, type ApiAnswer } from '../stack/http.ts';

const hasCluster = ['redis-server', 'redis-cli'].every((b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status === 0);
const ADMIN = 'start-cluster-admin-7c1e';
const INGEST = 'start-cluster-ingest-e04b';
const running: Proc[] = [];

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop(45_000)));
});

async function start(env: Record<string, string>, args: string[] = []): Promise<{ p: Proc; base: string; port: number }> {
  const port = await freePort();
  const metricsBase = await freePortRun(2);
  // REDIS_URL='' overrides a developer's .env (loadEnvFile keeps variables already set).
  const p = spawnTs({
    entry: 'tools/start.ts',
    args,
    cwd: ROOT,
    env: {
      REDIS_URL: '',
      REDIS_CLUSTER_NODES: '',
      PORT: String(port),
      METRICS_PORT: String(metricsBase),
      HOST: '127.0.0.1',
      FORWARD_PORT: '0',
      LOG_LEVEL: 'info',
      INGEST_TOKENS: INGEST,
      ADMIN_TOKEN: ADMIN,
      TRAIN_INTERVAL_MS: '0',
      ...env,
    },
  });
  running.push(p);
  return { p, base: `http://127.0.0.1:${port}`, port };
}

const api = <T>(base: string, method: string, path: string, body?: string, token = INGEST): Promise<ApiAnswer<T>> =>
  apiCall<T>(base, method, path, { token, body });

async function post(base: string, events: readonly string[], host: string): Promise<void> {
  const r = await api<{ accepted: number }>(base, 'POST', '/ingest/jboss', ndjson(events, host));
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  expect(r.body.accepted).toBe(events.length);
}

const pidsOf = (out: string): Map<string, number> => new Map([...out.matchAll(/([\w-]+) started \(pid (\d+)\)/g)].map((m) => [m[1] as string, Number(m[2])]));
const gone = processGone;

describe.skipIf(!hasCluster)('pnpm start with REDIS_CLUSTER_NODES (3 masters)', () => {
  let cluster: RedisClusterHandle;
  let client: Cluster;
  const prefix = uniquePrefix('st');

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    client = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0]?.port as number }]);
    client.on('error', () => undefined);
  }, 60_000);
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('the whole flow: events → model trained and registered (cold start, then /retrain) → verdicts; clean stop', async () => {
    const { p, base } = await start({
      REDIS_CLUSTER_NODES: cluster.seeds,
      LOGFOREST_PREFIX: prefix,
      TRAIN_MIN_EVENTS: '300',
      COLD_START_RETRY_MS: '300',
      CONTAMINATION: '0.05',
    });
    await waitForHttp(`${base}/healthz`, p, 120_000);
    await eventually('banner', async () => (p.output().includes('logforest is up.') ? true : undefined), 10_000);
    const out = p.output();
    expect(out).toContain(`using the Redis Cluster at REDIS_CLUSTER_NODES (cluster ${cluster.seeds}: 3 masters, 0 replicas, cluster_state:ok)`);
    expect(out).toContain(`redis      cluster ${cluster.seeds}  (3 masters, 0 replicas)`);
    expect(out).not.toMatch(/redis started \(pid/);
    const pids = pidsOf(out);
    expect([...pids.keys()].sort()).toEqual(['ingest', 'trainer', 'worker']);

    // Events posted: the cold start trains and registers v1, and the parked events are scored.
    const routine = routineEvents(900, 31);
    for (let i = 0; i < routine.length; i += 300) await post(base, routine.slice(i, i + 300), 'web-1');
    await eventually('v1 active', async () => ((await api<{ active: string | null }>(base, 'GET', '/models')).body.active === 'v1' ? true : undefined), 90_000, 500);

    // POST /retrain: v2 trained, validated, registered and activated.
    await post(base, routineEvents(400, 32), 'web-2');
    const req = await api<{ status_url: string }>(base, 'POST', '/retrain', undefined, ADMIN);
    expect(req.status).toBe(202);
    const done = await eventually('the retrain job', async () => {
      const r = await api<{ state: string; result?: { version?: string; status: string } }>(base, 'GET', req.body.status_url, undefined, ADMIN);
      return r.body.state === 'completed' || r.body.state === 'failed' ? r.body : undefined;
    }, 90_000, 500);
    expect(done.state, JSON.stringify(done)).toBe('completed');
    expect(done.result, JSON.stringify(done.result)).toMatchObject({ version: 'v2', status: 'active' });
    const models = await api<{ active: string; models: Array<{ version: string; active: boolean }> }>(base, 'GET', '/models');
    expect(models.body.active).toBe('v2');
    expect(models.body.models.map((m) => m.version).sort()).toEqual(['v1', 'v2']);
    // The registry is on the cluster, in the slot of the prefix, on the master owning it.
    expect(await client.get(`${prefix}:model:active`)).toBe('v2');
    const owner = await cluster.masterOf(keySlot(prefix));
    expect((await cluster.cli(owner, 'cluster', 'countkeysinslot', String(keySlot(prefix)))).trim()).not.toBe('0');

    // Verdicts written by the worker (with v2 once it has swapped), read back through the API.
    const failures = failureEvents(3, 'start-cluster', 33);
    await eventually('verdicts of v2 for the failures', async () => {
      const host = `db-${Date.now()}`;
      await post(base, failures, host);
      const flagged = await eventually('the failures scored', async () => {
        const r = await api<{ items: Array<{ log: string; model_version: string; is_anomaly: boolean }> }>(base, 'GET', `/anomalies?host=${host}&limit=100`);
        return r.body.items.length === failures.length ? r.body.items : undefined;
      }, 30_000, 300);
      expect(flagged.map((a) => a.log).sort()).toEqual([...failures].sort());
      for (const a of flagged) expect(a.is_anomaly).toBe(true);
      // Right after the swap the first probe may still have been scored with v1: then post again.
      return flagged.every((a) => a.model_version === 'v2') ? true : undefined;
    }, 60_000, 0);

    // Clean stop: every child gone, exit 0, and the cluster (not ours) left running.
    expect(await p.stop(45_000)).toBe(0);
    for (const [name, pid] of pids) expect(gone(pid), `${name} still running`).toBe(true);
    expect(p.output()).toContain('stopping (SIGTERM): SIGTERM to ingest, worker, trainer');
    expect(p.output()).not.toContain('stopping redis-server');
    expect(p.output()).toMatch(/start\s+\| stopped\n/);
    for (const n of cluster.nodes) expect(n.proc.exitCode, `node ${n.port}`).toBeNull();
    await cluster.waitHealthy(5_000);
  }, 420_000);
});

describe.skipIf(!hasCluster)('pnpm start --cluster', () => {
  it('starts a local 3-master cluster the services use, stops it after them and removes its directory', async () => {
    const prefix = uniquePrefix('stc');
    const { p, base } = await start({ LOGFOREST_PREFIX: prefix, TRAIN_MIN_EVENTS: '100000' }, ['--cluster']);
    await waitForHttp(`${base}/healthz`, p, 120_000);
    await eventually('banner', async () => (p.output().includes('logforest is up.') ? true : undefined), 10_000);
    const out = p.output();
    const m = /redis cluster started on (\S+), data in (\S+)/.exec(out);
    expect(m, out.slice(-3000)).not.toBeNull();
    const [seeds, dir] = [m?.[1] as string, m?.[2] as string];
    expect(seeds.split(',')).toHaveLength(3);
    expect(existsSync(dir)).toBe(true);
    const nodePids = (/local cluster from --cluster \(pids ([\d ]+)\)/.exec(out)?.[1] ?? '').split(' ').map(Number);
    expect(nodePids).toHaveLength(3);
    const pids = pidsOf(out);
    expect([...pids.keys()].sort()).toEqual(['ingest', 'trainer', 'worker']);

    // An event posted is a job on the cluster, in the prefix's slot.
    await post(base, routineEvents(5, 41), 'web-1');
    const [host, port] = (seeds.split(',')[0] as string).split(':') as [string, string];
    const client = new Cluster([{ host, port: Number(port) }]);
    client.on('error', () => undefined);
    try {
      expect(await client.exists(`${prefix}:score:meta`)).toBe(1);
      // Only the master owning the prefix's slot holds its keys.
      const counts = await Promise.all(seeds.split(',').map(async (seed) => {
        const r = new Redis(`redis://${seed}`);
        try {
          return Number(await r.cluster('COUNTKEYSINSLOT', keySlot(prefix)));
        } finally {
          r.disconnect();
        }
      }));
      expect(counts.filter((c) => c > 0), String(counts)).toHaveLength(1);
      const nodes = String(await client.cluster('NODES')).trim().split('\n');
      expect(nodes.filter((l) => l.includes('master')).length).toBe(3);
    } finally {
      client.disconnect();
    }

    expect(await p.stop(45_000)).toBe(0);
    const after = p.output();
    expect(after.indexOf('stopping the local Redis Cluster (3 redis-server)')).toBeGreaterThan(after.indexOf('"msg":"ingest stopped"'));
    for (const pid of [...pids.values(), ...nodePids]) expect(gone(pid), `pid ${pid} still running`).toBe(true);
    expect(existsSync(dir)).toBe(false);
  }, 240_000);
});

describe('pnpm start: Redis Cluster refusals', () => {
  it('REDIS_CLUSTER_NODES nobody answers on: says which nodes, exit 1, nothing started', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const { p } = await start({ REDIS_CLUSTER_NODES: `127.0.0.1:${a},127.0.0.1:${b}`, REDIS_PASSWORD: 'pw-never-shown-3f' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain(`cannot use the Redis Cluster at REDIS_CLUSTER_NODES=127.0.0.1:${a},127.0.0.1:${b}`);
    expect(p.output()).not.toContain('pw-never-shown-3f');
    expect(p.output()).not.toMatch(/started \(pid/);
  }, 60_000);

  it('REDIS_CLUSTER_NODES that is not a host:port list: the rule, exit 1', async () => {
    const { p } = await start({ REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7000' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/REDIS_CLUSTER_NODES: must be a comma-separated list of host:port/);
  }, 60_000);

  it('--cluster-replicas without --cluster (after pnpm\'s `--`): refused with the usage, exit 1', async () => {
    const { p } = await start({}, ['--', '--cluster-replicas', '1']);
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('--cluster-replicas needs --cluster');
    expect(p.output()).toContain('usage: pnpm start');
  }, 30_000);

  it('--cluster together with REDIS_CLUSTER_NODES: refused, exit 1', async () => {
    const { p } = await start({ REDIS_CLUSTER_NODES: '127.0.0.1:7000' }, ['--cluster']);
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('--cluster starts its own local cluster, but REDIS_CLUSTER_NODES is set');
  }, 30_000);
});
