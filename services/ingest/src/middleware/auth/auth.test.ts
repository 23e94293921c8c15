/**
 * Authentication: every way shippers present a token, and every route of the table enforcing
 * its credential over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../routes.ts';
import { startIngest, type Harness } from '../../test-support/harness.ts';
import { createAuth, presentedSecrets } from './auth.ts';

const INGEST = 'ingest-token-1';
const INGEST2 = 'ingest-token-2';
const ADMIN = 'admin-token-9';
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('presentedSecrets / identify', () => {
  const auth = createAuth({ ingestTokens: [INGEST, INGEST2], adminToken: ADMIN });

  it.each([
    ['Bearer', { authorization: `Bearer ${INGEST}` }],
    ['Basic, any user', { authorization: `Basic ${b64(`fluentd:${INGEST}`)}` }],
    ['Basic, empty user', { authorization: `Basic ${b64(`:${INGEST2}`)}` }],
    ['ApiKey raw', { authorization: `ApiKey ${INGEST}` }],
    ['ApiKey base64(id:key)', { authorization: `ApiKey ${b64(`my-id:${INGEST}`)}` }],
    ['X-Api-Key', { 'x-api-key': INGEST2 }],
    ['scheme case-insensitive', { authorization: `bearer ${INGEST}` }],
  ])('%s grants ingest', (_name, headers) => {
    expect(auth.identify(headers)).toBe('ingest');
  });

  it('the admin token grants admin in any form', () => {
    expect(auth.identify({ authorization: `Bearer ${ADMIN}` })).toBe('admin');
    expect(auth.identify({ authorization: `Basic ${b64(`elastic:${ADMIN}`)}` })).toBe('admin');
  });

  it('wrong, truncated, extended or missing tokens grant nothing', () => {
    for (const headers of [
      {},
      { authorization: `Bearer ${INGEST.slice(0, -1)}` },
      { authorization: `Bearer ${INGEST}x` },
      { authorization: `Basic ${b64(INGEST)}` }, // no user:password form
      { authorization: `Digest ${INGEST}` },
      { authorization: 'Bearer' },
      { 'x-api-key': '' },
    ]) {
      expect(auth.identify(headers)).toBeUndefined();
    }
    expect(presentedSecrets({ authorization: `Basic ${b64('u:p:q')}` })).toEqual(['p:q']);
  });

  it('no tokens configured → open', () => {
    expect(createAuth({ ingestTokens: [] }).open).toBe(true);
    expect(createAuth({ ingestTokens: [], adminToken: 'a' }).open).toBe(false);
  });
});

/** Fill route params so the path is requestable. */
function concrete(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === 'version' ? 'v1' : name === 'index' ? 'logs-x' : `p-${name}`));
}

describe('every route enforces its credential (real HTTP)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startIngest({ INGEST_TOKENS: `${INGEST},${INGEST2}`, ADMIN_TOKEN: ADMIN });
  });
  afterAll(async () => {
    await h?.close();
  });

  const cases = ROUTES.flatMap((r) => r.methods.flatMap((method) => r.paths.map((path) => ({ name: r.name, method, path: concrete(path), credential: r.credential, surface: r.surface }))));

  it('lists every route with its credential', () => {
    const table = Object.fromEntries(ROUTES.map((r) => [r.name, r.credential]));
    expect(table).toMatchObject({
      ingest: 'ingest',
      analyze: 'ingest',
      retrain: 'admin',
      'retrain.status': 'admin',
      'models.activate': 'admin',
      healthz: 'none',
      readyz: 'none',
      metrics: 'none',
      'es.bulk': 'ingest',
      'es.info': 'ingest',
    });
  });

  it.each(cases)('$method $path ($name) needs "$credential"', async ({ method, path, credential, surface }) => {
    const send = (headers: Record<string, string>) => fetch(`${h.url}${path}`, { method, headers, ...(method === 'POST' || method === 'PUT' ? { body: '' } : {}) });
    const anonymous = await send({});
    if (credential === 'none') {
      expect(anonymous.status).not.toBe(401);
      return;
    }
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
    if (method !== 'HEAD') {
      const body = (await anonymous.json()) as any;
      expect(body.error.code).toBe('unauthorized');
      if (surface === 'es') expect(body).toMatchObject({ status: 401, error: { type: 'security_exception' } });
    }
    if (surface === 'es') expect(anonymous.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect((await send({ authorization: 'Bearer nope' })).status).toBe(401);

    const withIngest = await send({ authorization: `Bearer ${INGEST}` });
    const withAdmin = await send({ authorization: `Basic ${b64(`admin:${ADMIN}`)}` });
    expect(withAdmin.status).not.toBe(401);
    expect(withAdmin.status).not.toBe(403);
    if (credential === 'admin') {
      expect(withIngest.status).toBe(403);
      expect(((await withIngest.json()) as any).error.code).toBe('forbidden');
    } else {
      expect([401, 403]).not.toContain(withIngest.status);
    }
  });
});

describe('admin routes without ADMIN_TOKEN', () => {
  it('refuse every caller when only ingest tokens are configured', async () => {
    const h = await startIngest({ INGEST_TOKENS: INGEST });
    try {
      const res = await fetch(`${h.url}/retrain`, { method: 'POST', headers: { authorization: `Bearer ${INGEST}` } });
      expect(res.status).toBe(403);
      expect(((await res.json()) as any).error.message).toContain('ADMIN_TOKEN is not configured');
    } finally {
      await h.close();
    }
  });
});
