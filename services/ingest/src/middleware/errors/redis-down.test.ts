/**
 * Redis down is an outage, not a bug: routes whose Redis reads fail with plain errors (the model
 * registry, train job status) answer 503 + Retry-After, not 500. Found by the auth/exposure
 * scenario (tools/faults/scenarios/auth.ts), which stops Redis under a running app: GET /models,
 * GET /models/:version, POST /models/:version/activate and GET /retrain/:id answered 500 "internal".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisHandle } from '../../../../../tests/setup/redis-server.ts';
import { startIngest, storeModel, type Harness } from '../../test-support/harness.ts';

const ADMIN = 'admin-redis-down';
let redis: RedisHandle;
let h: Harness;

beforeAll(async () => {
  redis = await startRedisServer();
  h = await startIngest({ ADMIN_TOKEN: ADMIN, RETRY_AFTER_SECONDS: '7' }, { redisUrl: redis.url });
  h.models.scorer = await storeModel(h.registry, 'v1');
  const ok = await fetch(`${h.url}/models`, { headers: { authorization: `Bearer ${ADMIN}` } });
  expect(ok.status).toBe(200);
  await redis.stop();
  const end = Date.now() + 5000;
  while (h.redis.status === 'ready' && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
});
afterAll(async () => {
  await h?.close();
  await redis?.stop();
});

describe('with Redis stopped', () => {
  it.each([
    ['GET', '/models'],
    ['GET', '/models/v1'],
    ['POST', '/models/v1/activate'],
    ['GET', '/retrain/r-abc'],
  ])('%s %s answers 503 redis_unavailable with Retry-After', async (method, path) => {
    const res = await fetch(`${h.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('redis_unavailable');
    expect(body.error.message).not.toMatch(/\bat |\/work\/|node_modules/);
  });

  it('POST /ingest and GET /readyz say Redis is away without the driver\'s own text', async () => {
    const ingest = await fetch(`${h.url}/ingest`, { method: 'POST', body: 'one line', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(ingest.status).toBe(503);
    const body = (await ingest.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/^Redis is unavailable \((reading queue depth|adding jobs|not connected)\); nothing was accepted, retry later$/);
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(503);
    const r = (await ready.json()) as { reasons: string[] };
    expect(r.reasons).toContain('Redis does not answer');
  });

  it('a bug is still a 500 while Redis is up (the mapping only applies when it is down)', async () => {
    const other = await startIngest({ ADMIN_TOKEN: ADMIN }, { overrides: { registry: { activeVersion: async () => undefined, list: () => Promise.reject(new Error('boom')) } as never } });
    try {
      const res = await fetch(`${other.url}/models`, { headers: { authorization: `Bearer ${ADMIN}` } });
      expect(res.status).toBe(500);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('internal');
    } finally {
      await other.close();
    }
  });
});
