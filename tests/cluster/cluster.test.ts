/**
 * logforest on a real 3-master Redis Cluster (redis-server --cluster-enabled, joined by
 * redis-cli --cluster create): ingest → cold-start model → verdicts; POST /retrain → v2 hot-swapped
 * into the running worker and ingest by the pub/sub message alone (polling is off); and every key
 * the flow created, enumerated on every master, sits in the one slot of its prefix's hash tag.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySlot, type RedisClient } from '@logforest/runtime';
import { failureEvents, ndjson, routineEvents } from '../e2e/jboss-lines.ts';
import { startRedisCluster, type RedisClusterHandle } from '../setup/redis-cluster.ts';
import { uniquePrefix } from '../setup/redis.ts';
import { eventually, startClusterStack, type ClusterStack } from './stack.ts';
import { apiCall, type ApiAnswer } from '../stack/http.ts';

const ADMIN = 'cluster-admin-token-9d2f';
const INGEST = 'cluster-ingest-token-51ac';
const hasCluster = ['redis-server', 'redis-cli'].every((b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status === 0);

let cluster: RedisClusterHandle;
let stack: ClusterStack;
let hook: Server;
const alertsReceived: string[] = [];
const prefix = uniquePrefix('cl');

const api = <T>(method: string, path: string, body?: string, token = INGEST): Promise<ApiAnswer<T>> =>
  apiCall<T>(stack.url, method, path, { token, body });

async function totals(): Promise<Record<string, number>> {
  const raw = await stack.redis.hgetall(`${prefix}:totals`);
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
}

async function post(events: readonly string[], host: string): Promise<void> {
  const r = await api<{ accepted: number }>('POST', '/ingest/jboss', ndjson(events, host));
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  expect(r.body.accepted).toBe(events.length);
}

describe.skipIf(!hasCluster)('on a 3-master Redis Cluster', () => {
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    // The alert webhook receiver: the outbox and its drainer run on the cluster too.
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        alertsReceived.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    stack = await startClusterStack({
      seeds: cluster.seeds,
      prefix,
      trainer: true,
      env: {
        INGEST_TOKENS: INGEST,
        ADMIN_TOKEN: ADMIN,
        TRAIN_MIN_EVENTS: '300',
        TRAIN_INTERVAL_MS: '0',
        COLD_START_RETRY_MS: '300',
        MODEL_POLL_INTERVAL_MS: '0', // swaps must arrive by pub/sub alone
        CONTAMINATION: '0.05',
        ALERT_WEBHOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
      },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await cluster?.stop();
    await new Promise<void>((r) => (hook ? hook.close(() => r()) : r()));
  });

  it('ingest → cold-start model v1 → verdicts and anomalies', async () => {
    const routine = routineEvents(900, 1);
    for (let i = 0; i < routine.length; i += 300) await post(routine.slice(i, i + 300), 'web-1');
    await eventually('v1 active', async () => ((await stack.registry.activeVersion()) === 'v1' ? true : undefined), 40_000);
    await eventually('the 900 parked events scored', async () => ((await totals())['records'] === 900 ? true : undefined), 30_000);
    expect(stack.workers[0]?.cache.version).toBe('v1');

    const failures = failureEvents(3, 'cluster', 11);
    await post(failures, 'db-1');
    await eventually('the failures scored', async () => ((await totals())['events'] === 903 ? true : undefined), 20_000);
    const t = await totals();
    expect(t).toMatchObject({ records: 903, events: 903 });
    const flagged = await api<{ items: Array<{ log: string; model_version: string; host: string }> }>('GET', '/anomalies?host=db-1&limit=100');
    expect(flagged.status).toBe(200);
    expect(flagged.body.items.map((a) => a.log).sort()).toEqual([...failures].sort());
    for (const a of flagged.body.items) expect(a.model_version).toBe('v1');
    await eventually('alerts delivered from the outbox', async () => (alertsReceived.some((b) => b.includes('cluster-0')) ? true : undefined), 20_000);
  }, 90_000);

  it('POST /retrain: v2 trained, activated and swapped into the worker and ingest by pub/sub', async () => {
    await post(routineEvents(400, 2), 'web-2');
    await eventually('new events scored', async () => ((await totals())['records'] === 1303 ? true : undefined), 20_000);
    const req = await api<{ status_url: string }>('POST', '/retrain', undefined, ADMIN);
    expect(req.status).toBe(202);
    const done = await eventually('the retrain job', async () => {
      const r = await api<{ state: string; result?: { version?: string; status: string } }>('GET', req.body.status_url, undefined, ADMIN);
      return r.body.state === 'completed' || r.body.state === 'failed' ? r.body : undefined;
    }, 40_000);
    expect(done.state, JSON.stringify(done)).toBe('completed');
    expect(done.result).toMatchObject({ version: 'v2', status: 'active' });
    await eventually('worker on v2', async () => (stack.workers[0]?.cache.version === 'v2' ? true : undefined), 5_000, 20);
    await eventually('ingest on v2', async () => (stack.ingestModels.version === 'v2' ? true : undefined), 5_000, 20);

    const failures = failureEvents(2, 'after-swap', 12);
    await post(failures, 'db-2');
    await eventually('scored with v2', async () => ((await totals())['events'] === 1305 ? true : undefined), 20_000);
    const flagged = await api<{ items: Array<{ model_version: string }> }>('GET', '/anomalies?host=db-2&limit=100');
    expect(flagged.body.items).toHaveLength(2);
    for (const a of flagged.body.items) expect(a.model_version).toBe('v2');
    const analyzed = await api<{ model_version: string }>('POST', '/analyze?envelope=true', JSON.stringify({ logs: [failures[0]] }));
    expect(analyzed.body.model_version).toBe('v2');
  }, 90_000);

  it('every key the flow created lives in the slot of the prefix hash tag, on the one master owning it', async () => {
    const slot = keySlot(prefix);
    const owner = await cluster.masterOf(slot);
    const found = new Map<number, string[]>();
    for (const m of await cluster.masters()) {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const out = (await cluster.cli(m.port, '--no-raw', 'scan', cursor, 'count', '1000')).trim().split('\n');
        cursor = (out[0] ?? '0').replace(/^1\)\s*"?|"$/g, '');
        for (const line of out.slice(1)) {
          const k = /^\s*(?:2\)\s*)?\d+\)\s*"(.*)"$/.exec(line)?.[1];
          if (k !== undefined) keys.push(k);
        }
      } while (cursor !== '0');
      found.set(m.port, keys);
    }
    const all = [...found.values()].flat();
    // The flow really ran: queue, scheduler, stream, registry and marker keys are all there.
    const families = new Set(all.map((k) => k.slice(prefix.length).replace(/:(b-[^:]+|v\d+|\d+)(?=:|$)/g, ':*')));
    for (const f of [':score:id', ':score:meta', ':score:events', ':train:id', ':anomalies', ':sample', ':totals', ':counts', ':model:active', ':model:*', ':model:*:meta', ':models', ':batch:*:done', ':alerts:outbox']) {
      expect(families, `key family ${f} (found: ${[...families].sort().join(' ')})`).toContain(f);
    }
    expect(all.length).toBeGreaterThan(20);
    for (const k of all) {
      expect(k.startsWith(`${prefix}:`), k).toBe(true);
      expect(keySlot(k), k).toBe(slot);
    }
    // The server agrees with our CRC16, key by key, and they are all on the owning master.
    const client: RedisClient = stack.redis;
    const serverSlots = await Promise.all(all.map((k) => client.cluster('KEYSLOT', k)));
    expect(new Set(serverSlots)).toEqual(new Set([slot]));
    for (const [port, keys] of found) expect(keys.length > 0, `keys on master ${port}`).toBe(port === owner);
  });
});
