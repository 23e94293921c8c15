/**
 * Auth and exposure (fast form of tools/faults/scenarios/auth.ts). Extends the per-route check of
 * services/ingest/src/middleware/auth/auth.test.ts (Bearer ingest / Basic admin, root prefix only)
 * with: every accepted credential form for ingest and admin tokens, every wrong form, the ES path
 * prefix, methods the table does not list, the leak check on every answer (stack frames, paths,
 * tokens, Redis URL/password) including Redis-down and forced-500 answers, tokens absent from the
 * real process's logs, and the express router compared with the route table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, storeModel, type Harness } from '../../services/ingest/src/test-support/harness.ts';
import { checkRoute, checkUnlisted, probe, sweep } from '../../tools/faults/fuzz/auth-checks.ts';
import { checkLogs } from '../../tools/faults/fuzz/auth-logs.ts';
import { ADMIN_TOKEN, INGEST_TOKENS, compareWithTable, leaks, routeCases, secretValues } from '../../tools/faults/fuzz/auth-matrix.ts';
import { startRedisServer, type RedisHandle } from '../setup/redis-server.ts';
import { uniquePrefix } from '../setup/redis.ts';

const PASSWORD = 'redis-pw-Xq7Lm2';
const TOKENS = { INGEST_TOKENS: INGEST_TOKENS.join(','), ADMIN_TOKEN };
const passwordUrl = (r: RedisHandle) => `redis://:${PASSWORD}@127.0.0.1:${r.port}`;
const startLockedRedis = () => startRedisServer({ args: ['--requirepass', PASSWORD] });

describe('the express router holds exactly the routes of the table', () => {
  it.each([undefined, '/es'])('ES prefix %s: nothing registered outside the table, nothing in the table missing', async (prefix) => {
    const h = await startIngest({ ...TOKENS, ...(prefix ? { ES_PATH_PREFIX: prefix } : {}) });
    try {
      expect(compareWithTable(h.app.handler as never, prefix)).toEqual({ untabled: [], unregistered: [] });
    } finally {
      await h.close();
    }
  });

  it('a route added to the app (or to the ES router) without a table entry is reported', async () => {
    const h = await startIngest({ ...TOKENS, ES_PATH_PREFIX: '/es' });
    try {
      const app = h.app.handler;
      app.get('/debug/vars', (_req, res) => void res.json({ env: process.env }));
      type Mountable = { stack: unknown[]; post(path: string, fn: (req: unknown, res: { json(v: unknown): void }) => void): void };
      const stack = (app as unknown as { router: { stack: Array<{ handle: unknown }> } }).router.stack;
      const es = stack.map((l) => l.handle).find((x): x is Mountable => typeof x === 'function' && Array.isArray((x as { stack?: unknown }).stack));
      es?.post('/_sql', (_req, res) => res.json({}));
      expect(compareWithTable(app as never, '/es').untabled.sort()).toEqual(['api GET /debug/vars', 'es POST /es/_sql']);
    } finally {
      await h.close();
    }
  });
});

describe.each([undefined, '/es'])('credential matrix, ES prefix %s', (prefix) => {
  let redis: RedisHandle;
  let h: Harness;
  let secrets: string[];
  beforeAll(async () => {
    redis = await startLockedRedis();
    h = await startIngest({ ...TOKENS, ...(prefix ? { ES_PATH_PREFIX: prefix } : {}) }, { redisUrl: passwordUrl(redis) });
    h.models.scorer = await storeModel(h.registry, 'v1');
    secrets = secretValues(passwordUrl(redis));
  });
  afterAll(async () => {
    await h?.close();
    await redis?.stop();
  });

  it('every route refuses missing and wrong tokens, admin routes refuse ingest tokens, every accepted form works; no answer leaks', async () => {
    const failures: string[] = [];
    for (const r of routeCases(prefix)) {
      const o = await checkRoute(h.url, r, secrets);
      failures.push(...o.failures.map((f) => `${r.method} ${r.path} (${r.credential}): ${f}`));
    }
    expect(failures).toEqual([]);
  });

  it('methods the table does not list are never answered 2xx without credentials', async () => {
    const { probes, failures } = await checkUnlisted(h.url, routeCases(prefix), secrets);
    expect(probes).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });
});

describe('answers on failure paths leak nothing', () => {
  it('a forced internal error answers a generic 500 (the error text and stack stay in the log)', async () => {
    const lines: string[] = [];
    const boom = () => Promise.reject(new Error(`cannot reach redis://:${PASSWORD}@10.0.0.7:6379 with token ${ADMIN_TOKEN} (/work/main/x.ts:1:1)`));
    const h = await startIngest(TOKENS, { overrides: { registry: { activeVersion: boom, list: boom, getMeta: boom, getBlob: boom } as never } });
    try {
      for (const path of ['/models', '/models/v1']) {
        const p = await probe(h.url, 'GET', path, { authorization: `Bearer ${INGEST_TOKENS[0]}` });
        lines.push(p.body);
        expect(p.status).toBe(500);
        expect(JSON.parse(p.body)).toEqual({ error: { code: 'internal', message: 'internal server error; the server log has the details' } });
      }
      const act = await probe(h.url, 'POST', '/models/v1/activate', { authorization: `Bearer ${ADMIN_TOKEN}` });
      expect(act.status).toBe(500);
      expect(leaks(lines.join('\n') + act.body, [PASSWORD, ADMIN_TOKEN, '10.0.0.7'])).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('with Redis stopped, no route answers a 5xx other than 503 and no body leaks', async () => {
    const redis = await startLockedRedis();
    const h = await startIngest({ ...TOKENS, ES_PATH_PREFIX: '/es' }, { redisUrl: passwordUrl(redis) });
    try {
      h.models.scorer = await storeModel(h.registry, 'v1');
      await redis.stop();
      const { statuses, failures } = await sweep(h.url, routeCases('/es'), secretValues(passwordUrl(redis)));
      expect(failures).toEqual([]);
      expect(Object.keys(statuses).filter((s) => Number(s) >= 500 && s !== '503')).toEqual([]);
      expect(statuses['503']).toBeGreaterThan(5);
    } finally {
      await h.close();
      await redis.stop();
    }
  });
});

describe('tokens never reach the logs', () => {
  it('the real ingest process at LOG_LEVEL=trace prints no token, no Basic/ApiKey encoding of one, no Redis password', async () => {
    const redis = await startLockedRedis();
    try {
      const r = await checkLogs(redis, passwordUrl(redis), secretValues(passwordUrl(redis)).filter((s) => !s.includes('127.0.0.1')), uniquePrefix('logs'));
      expect(r.lines).toBeGreaterThan(50);
      expect(r.refusals).toBeGreaterThan(20);
      expect(r.outageLines).toBeGreaterThan(0);
      expect(r.found).toEqual([]);
    } finally {
      await redis.stop();
    }
  }, 60_000);
});
