/**
 * Start and stop a throw-away Redis Cluster (tests, `pnpm start --cluster`): N masters, optionally
 * R replicas per master, each a `redis-server --cluster-enabled yes` on a free port (and a free
 * cluster-bus port) with its own directory under one temp dir, joined with
 * `redis-cli --cluster create … --cluster-yes`. Resolves once every node reports `cluster_state:ok`
 * and every replica is in sync with its master.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startRedisServer, type RedisHandle } from './redis-server.ts';

export interface ClusterNodeHandle extends RedisHandle {
  /** `127.0.0.1:<port>` */
  address: string;
  /** redis-server arguments (to restart the node as it was). */
  args: string[];
}

export interface RedisClusterHandle {
  nodes: ClusterNodeHandle[];
  /** The REDIS_CLUSTER_NODES value: every node, comma-separated. */
  seeds: string;
  /** Parent directory of the nodes' directories. */
  dir: string;
  /** Run redis-cli against one node; resolves with its stdout. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** Current masters (port → their slot ranges count) as a node sees them. */
  masters(viaPort?: number): Promise<Array<{ id: string; port: number; slots: string[] }>>;
  /** The port of the master that owns `slot`. */
  masterOf(slot: number, viaPort?: number): Promise<number>;
  /**
   * Start a stopped or killed node again, same port, directory and nodes.conf: it rejoins the
   * cluster (a killed master whose replica took over comes back as that replica's replica).
   */
  restart(port: number): Promise<ClusterNodeHandle>;
  /** Resolve when every live node reports `cluster_state:ok`. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisClusterOptions {
  /** @defaultValue 3 */
  masters?: number;
  /** Replicas per master. @defaultValue 0 */
  replicas?: number;
  /** `cluster-node-timeout`: how long a master may be silent before failover starts, ms. @defaultValue 2000 */
  nodeTimeoutMs?: number;
  /** Extra redis-server arguments for every node. */
  args?: string[];
  /** Directory for the nodes; a temp dir (removed on stop) when omitted. */
  dir?: string;
  binary?: string;
  cliBinary?: string;
  /** Start every node in its own process group (see RedisServerOptions.detached). @defaultValue false */
  detached?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(binary: string, args: string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${binary} ${args.join(' ')} exited with ${code}: ${(err || out).slice(-800)}`));
    });
  });
}

export async function startRedisCluster(opts: RedisClusterOptions = {}): Promise<RedisClusterHandle> {
  const masters = opts.masters ?? 3;
  const replicas = opts.replicas ?? 0;
  const cliBinary = opts.cliBinary ?? 'redis-cli';
  const ownDir = !opts.dir;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'logforest-cluster-'));
  const nodes: ClusterNodeHandle[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };
  const cli = (port: number, ...args: string[]): Promise<string> => run(cliBinary, ['-h', '127.0.0.1', '-p', String(port), ...args]);
  const alive = (): ClusterNodeHandle[] => nodes.filter((n) => n.proc.exitCode === null && n.proc.signalCode === null);

  async function masterList(viaPort?: number): Promise<Array<{ id: string; port: number; slots: string[] }>> {
    const port = viaPort ?? (alive()[0] as ClusterNodeHandle).port;
    const text = await cli(port, 'cluster', 'nodes');
    return text
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => (f[2] ?? '').includes('master') && !(f[2] ?? '').includes('fail') && (f[7] ?? '') === 'connected')
      .map((f) => ({ id: f[0] as string, port: Number((f[1] as string).split('@')[0]?.split(':')[1]), slots: f.slice(8) }));
  }

  async function waitHealthy(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(alive().map((n) => cli(n.port, 'cluster', 'info').catch(() => '')));
      if (states.every((s) => s.includes('cluster_state:ok'))) return;
      if (Date.now() > deadline) throw new Error(`cluster not healthy after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  try {
    const total = masters * (1 + replicas);
    const started = await Promise.all(
      Array.from({ length: total }, async (_, i) => {
        const nodeDir = join(dir, `node-${i}`);
        mkdirSync(nodeDir, { recursive: true });
        const busPort = await freePort();
        const args = [
          '--cluster-enabled', 'yes',
          '--cluster-config-file', join(nodeDir, 'nodes.conf'),
          '--cluster-node-timeout', String(opts.nodeTimeoutMs ?? 2000),
          '--cluster-port', String(busPort),
          ...(opts.args ?? []),
        ];
        const h = await startRedisServer({ dir: nodeDir, args, detached: opts.detached ?? false, ...(opts.binary ? { binary: opts.binary } : {}) });
        return { ...h, address: `127.0.0.1:${h.port}`, args };
      }),
    );
    nodes.push(...started);
    await run(cliBinary, ['--cluster', 'create', ...nodes.map((n) => n.address), '--cluster-replicas', String(replicas), '--cluster-yes'], 60_000);
    await waitHealthy();
    // Every node must know every other one, and each replica must be in sync.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const views = await Promise.all(nodes.map((n) => cli(n.port, 'cluster', 'nodes')));
      const know = views.every((v) => v.trim().split('\n').length === total && !v.includes('handshake'));
      const infos = await Promise.all(nodes.map((n) => cli(n.port, 'info', 'replication')));
      const synced = infos.every((i) => !i.includes('role:slave') || i.includes('master_link_status:up'));
      const masterCount = infos.filter((i) => i.includes('role:master')).length;
      if (know && synced && masterCount === masters) break;
      if (Date.now() > deadline) throw new Error('cluster nodes did not converge within 30 s');
      await sleep(100);
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    nodes,
    seeds: nodes.map((n) => n.address).join(','),
    dir,
    cli,
    masters: masterList,
    async masterOf(slot, viaPort) {
      for (const m of await masterList(viaPort)) {
        for (const range of m.slots) {
          const [a, b] = range.split('-').map(Number) as [number, number | undefined];
          if (slot >= a && slot <= (b ?? a)) return m.port;
        }
      }
      throw new Error(`no master owns slot ${slot}`);
    },
    async restart(port) {
      const i = nodes.findIndex((n) => n.port === port);
      const old = nodes[i];
      if (!old) throw new Error(`no node on port ${port}`);
      await old.stop();
      const h = await startRedisServer({ dir: old.dir, port, args: old.args, detached: opts.detached ?? false, ...(opts.binary ? { binary: opts.binary } : {}) });
      const node = { ...h, address: old.address, args: old.args };
      nodes[i] = node;
      return node;
    },
    waitHealthy,
    stop,
  };
}
