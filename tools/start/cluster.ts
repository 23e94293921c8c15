/**
 * Redis Cluster for `pnpm start`:
 * - `REDIS_CLUSTER_NODES` set: check that cluster before anything starts (reachable with the
 *   configured REDIS_USERNAME/REDIS_PASSWORD/TLS, `cluster_state:ok`, the masters it has);
 * - `--cluster`: run a throw-away local cluster to try it — N masters (+ R replicas each), each a
 *   `redis-server --cluster-enabled yes` on a free port in its own process group (so Ctrl-C
 *   reaches only start.ts, which stops the nodes after the services), joined with
 *   `redis-cli --cluster create`, data in a temp dir removed on stop.
 */
import { Cluster, type RedisOptions } from 'ioredis';
import { ConfigError } from '../../packages/runtime/src/config/load.ts';
import { describeRedis, redisClientOptions } from '../../packages/runtime/src/redis/connect.ts';
import { loadRedisConfig, type RedisConfig } from '../../packages/runtime/src/redis/env.ts';
import { startRedisCluster, type RedisClusterHandle } from '../../tests/setup/redis-cluster.ts';
import { which } from './redis.ts';

export interface ClusterCheck {
  config: RedisConfig;
  /** `cluster 127.0.0.1:7000,…` (never a password). */
  where: string;
  masters: number;
  replicas: number;
}

/**
 * Validate the Redis variables of `env` and ask the cluster they name whether it is up.
 * Resolves with what it found, or rejects with a message for the operator.
 */
export async function checkCluster(env: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<ClusterCheck> {
  let config: RedisConfig;
  try {
    config = loadRedisConfig(env);
  } catch (err) {
    throw new Error(err instanceof ConfigError ? err.message : String(err));
  }
  const where = describeRedis(config);
  const built = redisClientOptions(config, { failFast: { commandTimeoutMs: timeoutMs }, lazyConnect: true });
  if (!('cluster' in built)) throw new Error('REDIS_CLUSTER_NODES is empty');
  // One attempt: an unreachable seed list is reported, not retried forever.
  const client = new Cluster(config.REDIS_CLUSTER_NODES, { ...built.cluster, clusterRetryStrategy: () => null });
  client.on('error', () => undefined);
  const timer = setTimeout(() => client.disconnect(), timeoutMs);
  try {
    await client.connect();
    const info = String(await client.cluster('INFO'));
    const state = /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
    if (state !== 'ok') throw new Error(`the cluster answers but reports cluster_state:${state} (are all slots assigned? \`redis-cli --cluster check ${config.REDIS_CLUSTER_NODES[0]?.host}:${config.REDIS_CLUSTER_NODES[0]?.port}\`)`);
    const nodes = String(await client.cluster('NODES')).trim().split('\n').map((l) => l.split(' ')[2] ?? '').filter((f) => !f.includes('fail'));
    return { config, where, masters: nodes.filter((f) => f.includes('master')).length, replicas: nodes.filter((f) => f.includes('slave')).length };
  } catch (err) {
    const msg = (err as Error).message;
    throw new Error(`cannot use the Redis Cluster at REDIS_CLUSTER_NODES=${where.replace(/^cluster /, '')}: ${/closed|disconnect|refused|None of startup nodes/i.test(msg) ? `no seed node answered (${msg})` : msg}`);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/**
 * The ioredis options the services would use for the one Redis at REDIS_URL (credentials, TLS),
 * for start's PING. Rejects with the configuration error (e.g. a bad REDIS_URL).
 */
export function singleRedisAuth(env: NodeJS.ProcessEnv): RedisOptions {
  let config: RedisConfig;
  try {
    config = loadRedisConfig(env);
  } catch (err) {
    throw new Error(err instanceof ConfigError ? err.message : String(err));
  }
  const built = redisClientOptions({ ...config, REDIS_CLUSTER_NODES: [] });
  const { username, password, tls } = 'single' in built ? built.single : {};
  return { ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}), ...(tls ? { tls } : {}) };
}

export const NO_CLUSTER_TOOLS_MESSAGE = [
  '--cluster needs redis-server and redis-cli on PATH:',
  '  sudo apt-get install redis-server redis-tools   # Debian/Ubuntu',
  'or point REDIS_CLUSTER_NODES=host:port,… at an existing cluster (see docker-compose.cluster.yml).',
].join('\n');

/** Start the throw-away cluster of `--cluster`; rejects with a message when it cannot. */
export async function startLocalCluster(masters: number, replicas: number): Promise<RedisClusterHandle> {
  const server = which('redis-server');
  const cli = which('redis-cli');
  if (!server || !cli) throw new Error(NO_CLUSTER_TOOLS_MESSAGE);
  return startRedisCluster({ masters, replicas, binary: server, cliBinary: cli, detached: true, nodeTimeoutMs: 2000 });
}
