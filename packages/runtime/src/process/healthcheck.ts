/**
 * The container healthcheck of the services without an HTTP port (worker, trainer): one PING
 * through the same connection factory the service uses (single Redis or Cluster, credentials,
 * TLS), fail-fast, bounded in time. `services/<name>/src/healthcheck.ts` runs it; compose's
 * healthcheck calls the compiled `dist/healthcheck.js`.
 */
import { z } from 'zod';
import { loadConfig, type Env } from '../config/load.ts';
import { connectRedis } from '../redis/connect.ts';
import { redisEnv } from '../redis/env.ts';

/** True when Redis (REDIS_URL or REDIS_CLUSTER_NODES in `env`) answers PING within `timeoutMs`. */
export async function redisPingOnce(env: Env = process.env, timeoutMs = 3000): Promise<boolean> {
  let config;
  try {
    config = loadConfig(z.object(redisEnv), env);
  } catch {
    return false;
  }
  const client = connectRedis(config, { lazyConnect: true, failFast: { commandTimeoutMs: timeoutMs }, name: 'logforest-healthcheck' });
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    const ping = client.connect().then(() => client.ping());
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
    });
    return (await Promise.race([ping, late])) === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
