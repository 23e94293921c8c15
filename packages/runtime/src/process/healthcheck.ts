/**
 * The container healthcheck of the services without an HTTP port (worker, trainer): one PING to
 * Redis, no retries, no offline queue. `services/<name>/src/healthcheck.ts` runs it; compose's
 * healthcheck calls the compiled `dist/healthcheck.js`.
 */
import { Redis } from 'ioredis';

/** True when the Redis at `url` answers PING within `timeoutMs`. */
export async function redisPingOnce(url: string, timeoutMs = 3000): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}
