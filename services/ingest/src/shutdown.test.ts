/**
 * SIGTERM while Redis is away: ingest must still exit (found by the fault harness — QUIT and
 * queue close waited for a Redis that was gone, so only SIGKILL stopped the process).
 */
import { describe, expect, it } from 'vitest';
import { freePort, startRedisServer } from '../../../tests/setup/redis-server.ts';
import { spawnTs, waitForHttp } from '../../../tests/stack/proc.ts';

describe('ingest shutdown', () => {
  it('exits on SIGTERM while Redis is down', async () => {
    const redis = await startRedisServer();
    const port = await freePort();
    const ingest = spawnTs({
      entry: 'services/ingest/src/main.ts',
      env: { REDIS_URL: redis.url, LOGFOREST_PREFIX: '{shutdown}', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '1000', FORWARD_PORT: '0' },
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, ingest, 60_000);
      await redis.stop();
      const t0 = Date.now();
      ingest.proc.kill('SIGTERM');
      const code = await Promise.race([ingest.exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))]);
      expect(code).not.toBe('still running');
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(ingest.output()).toMatch(/shutting down/);
    } finally {
      await ingest.stop(1000);
      await redis.stop();
    }
  }, 90_000);
});
