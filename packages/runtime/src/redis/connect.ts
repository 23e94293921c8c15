/**
 * The one place logforest opens Redis connections: ingest, workers, trainer, the registry, the
 * model cache's subscriber and every BullMQ queue and worker get theirs from `connectRedis`.
 * `REDIS_CLUSTER_NODES` selects ioredis' Cluster client, otherwise one Redis at `REDIS_URL`;
 * credentials and TLS come from the same variables either way.
 *
 * Two kinds of connection:
 * - the default waits out outages (`maxRetriesPerRequest: null`, commands queue while
 *   reconnecting) — what BullMQ workers require;
 * - `failFast` (ingest's producer side): no offline queue, one retry, a command timeout, so a
 *   Redis outage is a quick 503 instead of a hanging request.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { redactUrl } from '../config/redact.ts';
import type { RedisConfig } from './env.ts';

/** A single-Redis or a Cluster connection; both speak the same commands. */
export type RedisClient = Redis | Cluster;

export interface RedisConnectOptions {
  /** `CLIENT SETNAME` of each connection, e.g. `logforest-ingest`. */
  name?: string;
  /** Fail fast instead of waiting out an outage (see the module comment). */
  failFast?: { commandTimeoutMs: number };
  /** Delay before reconnect attempt `n`, ms. @defaultValue min(50·n, 2000) */
  retryDelayMs?: (attempt: number) => number;
  /** Do not connect until the first command (or `connect()`). @defaultValue false */
  lazyConnect?: boolean;
}

/** Where connections go, for logs: the redacted URL or the cluster seed list. */
export function describeRedis(config: RedisConfig): string {
  if (config.REDIS_CLUSTER_NODES.length > 0) {
    return `cluster ${config.REDIS_CLUSTER_NODES.map((n) => `${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port}`).join(',')}`;
  }
  return redactUrl(config.REDIS_URL);
}

export function isCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}

/** TLS options from the variables, or undefined when TLS is off. */
export function tlsOptions(config: RedisConfig): TlsOptions | undefined {
  const single = config.REDIS_CLUSTER_NODES.length === 0;
  const on = config.REDIS_TLS || (single && config.REDIS_URL.startsWith('rediss:'));
  if (!on) return undefined;
  const read = (path: string | undefined, what: string): Buffer | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(`cannot read ${what} ${path}: ${(err as Error).message}`);
    }
  };
  const tls: TlsOptions = {};
  const ca = read(config.REDIS_TLS_CA_FILE, 'REDIS_TLS_CA_FILE');
  const cert = read(config.REDIS_TLS_CERT_FILE, 'REDIS_TLS_CERT_FILE');
  const key = read(config.REDIS_TLS_KEY_FILE, 'REDIS_TLS_KEY_FILE');
  if (ca) tls.ca = ca;
  if (cert) tls.cert = cert;
  if (key) tls.key = key;
  return tls;
}

/** The ioredis options shared by both kinds of client (per node, for a cluster). */
function nodeOptions(config: RedisConfig, opts: RedisConnectOptions): RedisOptions {
  const o: RedisOptions = { maxRetriesPerRequest: opts.failFast ? 1 : null };
  if (opts.failFast) o.commandTimeout = opts.failFast.commandTimeoutMs;
  if (opts.name) o.connectionName = opts.name;
  if (config.REDIS_USERNAME !== undefined) o.username = config.REDIS_USERNAME;
  if (config.REDIS_PASSWORD !== undefined) o.password = config.REDIS_PASSWORD;
  const tls = tlsOptions(config);
  if (tls) o.tls = tls;
  return o;
}

/** Build the ioredis options without connecting (what `connectRedis` passes; tests read it). */
export function redisClientOptions(config: RedisConfig, opts: RedisConnectOptions = {}): { cluster: ClusterOptions } | { single: RedisOptions } {
  const retry = opts.retryDelayMs ?? ((n: number) => Math.min(50 * n, 2000));
  const node = nodeOptions(config, opts);
  if (config.REDIS_CLUSTER_NODES.length > 0) {
    const cluster: ClusterOptions = {
      redisOptions: node,
      enableOfflineQueue: !opts.failFast,
      enableReadyCheck: true,
      scaleReads: 'master',
      clusterRetryStrategy: retry,
      // After a failover the slot map is re-read; retry moved/down commands shortly after.
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 100,
      slotsRefreshTimeout: 2000,
      lazyConnect: opts.lazyConnect ?? false,
    };
    // With TLS, connect by the names the cluster announces, so certificates match them.
    if (node.tls) cluster.dnsLookup = (address, callback) => callback(null, address);
    return { cluster };
  }
  return { single: { ...node, enableOfflineQueue: !opts.failFast, retryStrategy: retry, lazyConnect: opts.lazyConnect ?? false } };
}

/** Open a connection (single Redis or Cluster, per the configuration). */
export function connectRedis(config: RedisConfig, opts: RedisConnectOptions = {}): RedisClient {
  const built = redisClientOptions(config, opts);
  if ('cluster' in built) return new Cluster(config.REDIS_CLUSTER_NODES, built.cluster);
  return new Redis(config.REDIS_URL, built.single);
}

/** Resolve once `client` is ready; `onWait` is called every `nagMs` while it is not. */
export async function redisReady(client: RedisClient, onWait?: () => void, nagMs = 5000): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const nag = onWait ? setInterval(onWait, nagMs) : undefined;
    client.once('ready', () => {
      clearInterval(nag);
      resolve();
    });
  });
}
