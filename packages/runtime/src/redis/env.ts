/**
 * The Redis connection variables every logforest process reads (spread into `commonEnv`).
 * One Redis: `REDIS_URL`. A Redis Cluster: `REDIS_CLUSTER_NODES` (REDIS_URL is then ignored).
 * Credentials and TLS apply to both.
 */
import { z } from 'zod';
import { loadConfig, type Env } from '../config/load.ts';
import { boolVar, stringVar, urlVar } from '../config/vars.ts';

/** One `host:port` seed node of a Redis Cluster. */
export interface ClusterNode {
  host: string;
  port: number;
}

const NODE = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/;

/** `host:port,host:port,…` → nodes (IPv6 as `[::1]:7000`). Unset → `[]` (single Redis). */
export function clusterNodesVar() {
  return z
    .string()
    .optional()
    .transform((raw, ctx): ClusterNode[] => {
      const items = (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      const nodes: ClusterNode[] = [];
      for (const item of items) {
        const m = NODE.exec(item);
        const port = m ? Number(m[2]) : 0;
        if (!m || port < 1 || port > 65535) {
          ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of host:port (e.g. 10.0.0.1:7000,10.0.0.2:7000); ${JSON.stringify(item.slice(0, 100))} is not` });
          return z.NEVER;
        }
        const host = m[1] as string;
        // An IPv6 literal comes bracketed ([::1]:7000); the client wants it bare.
        nodes.push({ host: host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host, port });
      }
      return nodes;
    });
}

export const redisEnv = {
  /**
   * Redis connection URL, `redis://[user:password@]host:port[/db]` or `rediss://` for TLS.
   * Ignored when REDIS_CLUSTER_NODES is set.
   * @defaultValue `redis://127.0.0.1:6379`
   */
  REDIS_URL: urlVar('redis://127.0.0.1:6379', ['redis:', 'rediss:']),
  /**
   * Redis Cluster seed nodes, `host:port,host:port,…` (a few masters are enough; the client
   * discovers the rest). Set: every connection uses ioredis' Cluster client and REDIS_URL is
   * ignored. Every key of a deployment shares the LOGFOREST_PREFIX hash tag, so one slot.
   * @defaultValue none (one Redis at REDIS_URL)
   */
  REDIS_CLUSTER_NODES: clusterNodesVar(),
  /** Redis ACL user name (`AUTH user password`); overrides a user in REDIS_URL. @defaultValue none */
  REDIS_USERNAME: stringVar(undefined),
  /** Redis password (`requirepass` or the ACL user's); overrides a password in REDIS_URL. Never logged. @defaultValue none */
  REDIS_PASSWORD: stringVar(undefined),
  /** Connect with TLS. A `rediss://` REDIS_URL turns it on too; a cluster needs this set. @defaultValue false */
  REDIS_TLS: boolVar(false),
  /** PEM file of the CA(s) that signed the Redis server certificates; unset = Node's default CAs. @defaultValue none */
  REDIS_TLS_CA_FILE: stringVar(undefined),
  /** PEM client certificate for mutual TLS (with REDIS_TLS_KEY_FILE). @defaultValue none */
  REDIS_TLS_CERT_FILE: stringVar(undefined),
  /** PEM private key of REDIS_TLS_CERT_FILE. @defaultValue none */
  REDIS_TLS_KEY_FILE: stringVar(undefined),
};

/** The parsed Redis variables (a service config satisfies it). */
export interface RedisConfig {
  REDIS_URL: string;
  REDIS_CLUSTER_NODES: ClusterNode[];
  REDIS_USERNAME?: string | undefined;
  REDIS_PASSWORD?: string | undefined;
  REDIS_TLS: boolean;
  REDIS_TLS_CA_FILE?: string | undefined;
  REDIS_TLS_CERT_FILE?: string | undefined;
  REDIS_TLS_KEY_FILE?: string | undefined;
}

/**
 * Only the Redis variables of `env`, validated (tools such as `pnpm start` check the connection
 * before starting the services). @throws ConfigError naming each bad variable.
 */
export function loadRedisConfig(env: Env = process.env): RedisConfig {
  return loadConfig(z.object(redisEnv), env);
}
