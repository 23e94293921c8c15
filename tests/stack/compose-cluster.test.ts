/**
 * docker-compose.cluster.yml, the optional Redis Cluster override:
 * - `docker-compose -f docker-compose.yml -f docker-compose.cluster.yml config` (Debian's 1.29,
 *   when installed) validates, with and without a .env: six cluster nodes on their own volumes,
 *   a one-shot `redis-cluster-init` after all of them, ingest/worker/trainer after it with
 *   REDIS_CLUSTER_NODES naming nodes of the file, the ingest and forward ports still published;
 * - the nodes' redis-server options, read from the file, make a real cluster (local
 *   redis-server, `redis-cli --cluster create --cluster-replicas 1`) whose slot map carries the
 *   announced host names, and logforest's own client (runtime connectRedis) works through them.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { parse } from 'yaml';
import { closeRedis, connectRedis, keySlot, loadRedisConfig } from '@logforest/runtime';
import { startRedisCluster } from '../setup/redis-cluster.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FILES = ['docker-compose.yml', 'docker-compose.cluster.yml'];
const hasCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
const hasRedis = ['redis-server', 'redis-cli'].every((b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status === 0);
const NODES = ['redis', 'redis-2', 'redis-3', 'redis-4', 'redis-5', 'redis-6'];

type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };
type Obj = Record<string, Yaml>;
const obj = (v: Yaml | undefined): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const parseYaml = (text: string): Yaml => parse(text, { merge: true }) as Yaml;
const override = obj(parseYaml(readFileSync(join(ROOT, 'docker-compose.cluster.yml'), 'utf8')));

// Copies in temp dirs: one without .env (a fresh clone), one whose .env sets cluster variables.
const bare = mkdtempSync(join(tmpdir(), 'lf-compose-cl-'));
const withEnv = mkdtempSync(join(tmpdir(), 'lf-compose-cl-env-'));
for (const d of [bare, withEnv]) for (const f of FILES) copyFileSync(join(ROOT, f), join(d, f));
writeFileSync(join(withEnv, '.env'), 'REDIS_CLUSTER_NODES=elsewhere:7000\nREDIS_WAIT_REPLICAS=1\n');
afterAll(() => {
  for (const d of [bare, withEnv]) rmSync(d, { recursive: true, force: true });
});

function composeConfig(at: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('docker-compose', [...FILES.flatMap((f) => ['-f', join(at, f)]), 'config'], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'] },
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!hasCompose)('docker-compose -f docker-compose.yml -f docker-compose.cluster.yml config', () => {
  const run = hasCompose ? composeConfig(bare) : { status: null, stdout: '', stderr: '' };
  const config = obj(hasCompose ? parseYaml(run.stdout) : null);
  const services = obj(config['services']);
  const env = (name: string): Obj => obj(obj(services[name])['environment']);

  it('validates without a .env (exit 0)', () => {
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.status).toBe(0);
  });

  it('has six cluster nodes, the one-shot init and the three logforest services', () => {
    expect(Object.keys(services).sort()).toEqual([...NODES, 'redis-cluster-init', 'ingest', 'trainer', 'worker'].sort());
  });

  it('runs every node cluster-enabled with AOF, announcing its own service name, on its own volume, unpublished', () => {
    const volumes = new Set<string>();
    for (const name of NODES) {
      const s = obj(services[name]);
      // compose prints `$$` for a literal `$`; the shell expands NODE_ARGS.
      expect(s['command']).toEqual(['sh', '-c', `exec $$NODE_ARGS --cluster-announce-hostname ${name}`]);
      const args = String(env(name)['NODE_ARGS']);
      for (const a of ['--cluster-enabled yes', '--cluster-config-file /data/nodes.conf', '--cluster-preferred-endpoint-type hostname', '--appendonly yes', '--maxmemory-policy noeviction']) expect(args, name).toContain(a);
      expect(s['image']).toBe('redis:7');
      expect(obj(s['healthcheck'])['test']).toEqual(['CMD', 'redis-cli', 'ping']);
      expect(s['ports'], name).toBeUndefined();
      const vols = s['volumes'] as string[];
      expect(vols).toHaveLength(1);
      volumes.add(String(vols[0]).split(':')[0] as string);
    }
    expect(volumes.size).toBe(6);
    // The single-Redis volume is never opened by a cluster node (its keys would block the create).
    expect(volumes.has('redis-data')).toBe(false);
    for (const v of volumes) expect(Object.keys(obj(config['volumes']))).toContain(v);
  });

  it('creates the cluster once all nodes are healthy: 3 masters with a replica each, idempotently', () => {
    const init = obj(services['redis-cluster-init']);
    expect(init['restart']).toBe('no');
    expect(init['entrypoint']).toEqual(['sh', '-ec']);
    expect(obj(init['depends_on'])).toEqual(Object.fromEntries(NODES.map((n) => [n, { condition: 'service_healthy' }])));
    const script = String((init['command'] as string[])[0]);
    expect(script).toContain('redis-cli --cluster create $$nodes --cluster-replicas 1 --cluster-yes');
    expect(script).toMatch(/for h in redis redis-2 redis-3 redis-4 redis-5 redis-6; do/);
    // An existing cluster is left alone (a second `up` must not fail on "node is not empty").
    expect(script.indexOf('cluster_state:ok; then echo "cluster exists"; exit 0')).toBeLessThan(script.indexOf('--cluster create'));
  });

  it('starts ingest, worker and trainer after the init, on REDIS_CLUSTER_NODES naming nodes of the file', () => {
    for (const name of ['ingest', 'worker', 'trainer']) {
      const s = obj(services[name]);
      expect(obj(s['depends_on'])['redis-cluster-init']).toEqual({ condition: 'service_completed_successfully' });
      const seeds = String(env(name)['REDIS_CLUSTER_NODES']).split(',');
      expect(seeds).toEqual(['redis:6379', 'redis-2:6379', 'redis-3:6379']);
      for (const seed of seeds) expect(NODES).toContain(seed.split(':')[0]);
      expect(s['container_name']).toBeUndefined();
    }
  });

  it('keeps the ingest port and the Fluentd forward port (24224 tcp + udp) published', () => {
    const ports = (obj(services['ingest'])['ports'] as Yaml[]).map((p) => obj(p));
    expect(ports).toEqual([
      expect.objectContaining({ published: 5000, target: 5000 }),
      expect.objectContaining({ published: 24224, target: 24224, protocol: 'tcp' }),
      expect.objectContaining({ published: 24224, target: 24224, protocol: 'udp' }),
    ]);
    expect(env('ingest')['FORWARD_PORT']).toBe('24224');
  });

  it('with a .env: the file\'s seed list wins over REDIS_CLUSTER_NODES there, REDIS_WAIT_REPLICAS passes on', () => {
    const r = composeConfig(withEnv);
    expect(r.status, r.stderr).toBe(0);
    const svc = obj(obj(parseYaml(r.stdout))['services']);
    for (const name of ['ingest', 'worker', 'trainer']) {
      const e = obj(obj(svc[name])['environment']);
      expect(e['REDIS_CLUSTER_NODES']).toBe('redis:6379,redis-2:6379,redis-3:6379');
      expect(e['REDIS_WAIT_REPLICAS']).toBe('1');
    }
  });
});

describe.skipIf(!hasRedis)('docker-compose.cluster.yml node options on real redis-server', () => {
  it('make a 3 + 3 cluster whose slot map names the announced hosts, and logforest\'s client works through it', async () => {
    // The options the file gives every node, minus what only makes sense in a container.
    const args = String(override['x-node-args']).split(/\s+/).filter(Boolean);
    expect(args[0]).toBe('redis-server');
    const kept: string[] = [];
    for (let i = 1; i < args.length; i += 2) {
      if (args[i] !== '--cluster-config-file') kept.push(args[i] as string, args[i + 1] as string);
    }
    expect(kept).toEqual(expect.arrayContaining(['--cluster-preferred-endpoint-type', 'hostname']));
    const cluster = await startRedisCluster({ masters: 3, replicas: 1, args: [...kept, '--cluster-announce-hostname', 'localhost'] });
    try {
      // CLUSTER SLOTS (what ioredis reads) gives the announced name, not an address.
      const one = new Redis(cluster.nodes[0]?.port as number, '127.0.0.1');
      const slots = (await one.call('CLUSTER', 'SLOTS').finally(() => one.disconnect())) as unknown[][];
      expect(slots).toHaveLength(3);
      // Each range names its master (and replicas, once they have replicated something) by the
      // announced name; the address is only metadata.
      for (const range of slots) {
        const hosts = range.slice(2).map((n) => (n as unknown[])[0]);
        expect(hosts.length).toBeGreaterThan(0);
        expect(new Set(hosts)).toEqual(new Set(['localhost']));
      }
      const config = loadRedisConfig({ REDIS_CLUSTER_NODES: cluster.nodes.slice(0, 3).map((n) => `localhost:${n.port}`).join(',') });
      const client = connectRedis(config, { name: 'compose-cluster-test' });
      client.on('error', () => undefined);
      try {
        // Keys on every master: each write follows the slot map to a node by its host name.
        const keys = Array.from({ length: 30 }, (_, i) => `{tenant-${i}}:probe`);
        const owners = await Promise.all(keys.map((k) => cluster.masterOf(keySlot(k))));
        expect(new Set(owners).size).toBe(3);
        for (const k of keys) await client.set(k, k);
        for (const k of keys) expect(await client.get(k)).toBe(k);
      } finally {
        await closeRedis(client);
      }
    } finally {
      await cluster.stop();
    }
  }, 90_000);
});
