/**
 * The Elasticsearch surface answers exactly the calls listed in services/ingest/README.md
 * ("Elasticsearch calls answered"): every row of that table is requested and answered 200, every
 * ES route of the table in routes.ts is a row, and anything else is a JSON 404. With tokens
 * configured, a caller without a valid token gets the same 401 on unknown paths as on known ones.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteSpec } from '../../routes.ts';
import { authed, startIngest, type Harness } from '../../test-support/harness.ts';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

/** `[method, path]` of every row of the README's ES call table (`<index>` etc. kept). */
function readmeCalls(): Array<[string, string]> {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf('## Elasticsearch calls answered');
  expect(start).toBeGreaterThan(0);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  const out: Array<[string, string]> = [];
  for (const row of section.split('\n').filter((l) => l.startsWith('| `'))) {
    const first = row.split(' | ')[0] ?? '';
    for (const m of first.matchAll(/`(GET|HEAD|POST|PUT|DELETE) (\/[^`]*)`/g)) out.push([m[1]!, m[2]!]);
  }
  return out;
}

/** `/<index>/_bulk` and `/:index/_bulk` → `/{}/_bulk`. */
const shape = (path: string) => path.replace(/<[a-z]+>|:[a-z]+/g, '{}');
const concrete = (path: string) => path.replace(/<index>/g, 'logs-x').replace(/<[a-z]+>/g, 'logstash');

const BULK = '{"create":{"_index":"logs-x"}}\n{"message":"calls test"}\n';

function send(url: string, method: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  const body = method === 'POST' || method === 'PUT' ? (path.endsWith('_bulk') ? BULK : '{}') : undefined;
  return fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/x-ndjson', ...headers }, ...(body !== undefined ? { body } : {}) });
}

describe('the README table of ES calls is the ES surface', () => {
  const calls = readmeCalls();
  const esRoutes = (ROUTES as readonly RouteSpec[]).filter((r) => r.surface === 'es');

  it('lists every ES route of routes.ts, and only those', () => {
    expect(calls.length).toBeGreaterThan(20);
    const answered = new Set(esRoutes.flatMap((r) => r.methods.flatMap((m) => [...(m === 'GET' ? ['HEAD'] : []), m].flatMap((mm) => r.paths.map((p) => `${mm} ${shape(p)}`)))));
    const listed = new Set(calls.map(([m, p]) => `${m} ${shape(p)}`));
    expect([...listed].filter((c) => !answered.has(c))).toEqual([]);
    const listedPaths = new Set(calls.map(([, p]) => shape(p)));
    expect(esRoutes.flatMap((r) => r.paths.map(shape)).filter((p) => !listedPaths.has(p))).toEqual([]);
  });

  describe.each<{ prefix: string; env: Record<string, string> }>([
    { prefix: '', env: {} },
    { prefix: '/es', env: { ES_PATH_PREFIX: '/es' } },
  ])('answered at "$prefix"', ({ prefix, env }) => {
    let h: Harness;
    beforeAll(async () => {
      h = await startIngest(env);
    });
    afterAll(async () => {
      await h?.close();
    });

    it('every listed call → 200 with X-Elastic-Product', async () => {
      for (const [method, path] of calls) {
        const res = await send(h.url, method, `${prefix}${concrete(path) === '/' && prefix ? '' : concrete(path)}`);
        expect(res.status, `${method} ${path}`).toBe(200);
        expect(res.headers.get('x-elastic-product'), `${method} ${path}`).toBe('Elasticsearch');
        if (method === 'HEAD') expect(await res.text()).toBe('');
        else expect(typeof (await res.json()), `${method} ${path} answers a JSON object`).toBe('object');
      }
    });

    it('anything else → JSON 404, never a made-up index', async () => {
      for (const [method, path] of [
        ['GET', '/anomaly'],
        ['PUT', '/anomaly'],
        ['DELETE', '/logs-x'],
        ['GET', '/_search'],
        ['GET', '/_cat/indices'],
        ['GET', '/_nodes'],
        ['GET', '/_cluster/health/logs-x'],
        ['GET', '/_component_template/x'],
        ['POST', '/_index_template/x'],
        ['PUT', '/_data_stream/x/_lifecycle'],
        ['GET', '/logs-x/_mapping'],
        ['HEAD', '/_search'],
      ] as const) {
        const res = await send(h.url, method, `${prefix}${path}`);
        expect(res.status, `${method} ${path}`).toBe(404);
        if (method === 'HEAD') continue;
        expect(res.headers.get('content-type')).toContain('application/json');
        const body = (await res.json()) as { error?: { code?: string } };
        expect(body.error?.code, `${method} ${path}`).toBe('not_found');
        expect(JSON.stringify(body)).not.toContain('aliases');
      }
    });
  });
});

describe('unknown paths are refused like known ones without a valid token', () => {
  const TOKEN = 'calls-ingest-token';
  let h: Harness;
  let hp: Harness;
  beforeAll(async () => {
    [h, hp] = await Promise.all([startIngest({ INGEST_TOKENS: TOKEN }), startIngest({ INGEST_TOKENS: TOKEN, ES_PATH_PREFIX: '/es' })]);
  });
  afterAll(async () => {
    await Promise.all([h?.close(), hp?.close()]);
  });

  async function refusal(url: string, method: string, path: string, headers: Record<string, string> = {}) {
    const res = await send(url, method, path, headers);
    const body = method === 'HEAD' ? '' : await res.text();
    return { status: res.status, challenge: res.headers.get('www-authenticate'), product: res.headers.get('x-elastic-product'), body };
  }

  it('ES surface: the same 401 for a known call and for unknown paths, with or without a wrong token', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }] as Array<Record<string, string>>) {
      const known = await refusal(h.url, 'GET', '/_license', headers);
      expect(known.status).toBe(401);
      for (const path of ['/anomaly', '/_cat/indices', '/_search', '/a/b/c']) {
        expect(await refusal(h.url, 'GET', path, headers), path).toEqual(known);
      }
      expect((await refusal(h.url, 'HEAD', '/_search', headers)).status).toBe(401);
    }
  });

  it('our surface (ES under a prefix): the same 401 for a known route, an unknown path and a wrong method', async () => {
    const known = await refusal(hp.url, 'GET', '/anomalies');
    expect(known.status).toBe(401);
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/_bulk'],
      ['GET', '/ingest/a/b'],
      ['DELETE', '/models'],
      ['GET', '/ingest'],
    ] as const) {
      expect(await refusal(hp.url, method, path), `${method} ${path}`).toEqual(known);
    }
    const esKnown = await refusal(hp.url, 'GET', '/es/_license');
    expect(esKnown.status).toBe(401);
    expect(await refusal(hp.url, 'GET', '/es/anomaly')).toEqual(esKnown);
  });

  it('with a valid token: unknown → 404, a wrong method on our path → 405, open routes stay open', async () => {
    expect((await send(h.url, 'GET', '/anomaly', authed(TOKEN).headers as Record<string, string>)).status).toBe(404);
    expect((await send(hp.url, 'GET', '/nope', authed(TOKEN).headers as Record<string, string>)).status).toBe(404);
    expect((await send(hp.url, 'DELETE', '/models', authed(TOKEN).headers as Record<string, string>)).status).toBe(405);
    expect((await send(hp.url, 'POST', '/healthz')).status).toBe(405);
    expect((await fetch(`${hp.url}/healthz`)).status).toBe(200);
  });
});
