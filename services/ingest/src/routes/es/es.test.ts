/**
 * The Elasticsearch surface as Filebeat, Fluent Bit `es`, Vector and Logstash use it, with and
 * without ES_PATH_PREFIX; bulk documents must land on the real queue.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type Harness } from '../../test-support/harness.ts';
import { jbossLines } from '../../test-support/lines.ts';

const LINES = jbossLines(4);
const FILEBEAT_UA = 'Elastic-filebeat/8.19.2 (linux; amd64; 0123abcd; 2025-08-01 00:00:00 +0000 UTC)';
const FILTER_PATH = 'filter_path=errors%2Citems.%2A.error%2Citems.%2A.status';

function ndjson(objs: unknown[]): string {
  return objs.map((o) => JSON.stringify(o)).join('\n') + '\n';
}

function filebeatDoc(line: string, i: number) {
  return {
    '@timestamp': `2024-05-01T12:00:0${i}.123Z`,
    message: line,
    log: { offset: i * 200, file: { path: '/opt/wildfly/standalone/log/server.log' } },
    input: { type: 'filestream' },
    ecs: { version: '8.0.0' },
    host: { name: 'wildfly-1' },
    agent: { type: 'filebeat', version: '8.19.2', name: 'wildfly-1', id: 'a', ephemeral_id: 'b' },
  };
}

describe.each<{ prefix: string; env: Record<string, string> }>([
  { prefix: '', env: {} },
  { prefix: '/es', env: { ES_PATH_PREFIX: '/es/' } },
])('ES surface at "$prefix/"', ({ prefix, env }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startIngest(env);
  });
  afterAll(async () => {
    await h?.close();
  });
  const req = (path: string, init: RequestInit = {}) => fetch(`${h.url}${prefix}${path}`, init);

  it('Filebeat handshake: GET base (with and without slash), /_license, ILM/template/data-stream checks', async () => {
    for (const base of ['', '/']) {
      if (prefix === '' && base === '') continue;
      const res = await req(base, { headers: { 'user-agent': FILEBEAT_UA, accept: 'application/json', 'x-elastic-product-origin': 'beats' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
      const info = (await res.json()) as any;
      expect(info.version).toMatchObject({ number: '8.19.2', build_flavor: 'default' });
      expect(info.tagline).toBe('You Know, for Search');
      expect(typeof info.cluster_uuid).toBe('string');
    }
    const older = (await (await req('/', { headers: { 'user-agent': 'Elastic-filebeat/7.17.0 (linux)' } })).json()) as any;
    expect(older.version.number).toBe('8.17.0');

    const license = await req('/_license?human=false');
    expect(license.status).toBe(200);
    expect(license.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(((await license.json()) as any).license).toMatchObject({ type: 'basic', status: 'active' });

    for (const [method, path] of [
      ['GET', '/_ilm/policy/filebeat'],
      ['HEAD', '/_index_template/filebeat-8.19.2'],
      ['GET', '/_data_stream/filebeat-8.19.2'],
      ['GET', '/_ingest/pipeline/filebeat-8.19.2-system-syslog'],
    ] as const) {
      const res = await req(path, { method });
      expect(res.status, `${method} ${path}`).toBe(200);
      expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    }
    // Overwrite configured: PUTs with gzipped bodies are acknowledged.
    for (const path of ['/_ilm/policy/filebeat', '/_index_template/filebeat-8.19.2', '/_data_stream/filebeat-8.19.2']) {
      const res = await req(path, { method: 'PUT', body: gzipSync('{"policy":{}}'), headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ acknowledged: true });
    }
  });

  it('Filebeat bulk: gzip, create actions, filter_path → 200 with one item per action, documents queued', async () => {
    const body = ndjson(LINES.flatMap((line, i) => [{ create: { _index: 'filebeat-8.19.2' } }, filebeatDoc(line, i)]));
    const res = await req(`/_bulk?${FILTER_PATH}`, {
      method: 'POST',
      body: gzipSync(body, { level: 1 }),
      headers: { 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'gzip', 'user-agent': FILEBEAT_UA },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ errors: false, items: LINES.map(() => ({ create: { status: 201 } })) });
    const records = await h.records();
    const mine = records.filter((r) => r.source === '/opt/wildfly/standalone/log/server.log');
    expect(mine.map((r) => r.line)).toEqual(LINES);
    expect(mine[0]).toMatchObject({ host: 'wildfly-1', ts: Date.parse('2024-05-01T12:00:00.123Z') });
  });

  it('Fluent Bit es: x-ndjson, `_type`, @timestamp + log; compact reply with "errors":false,"items":[', async () => {
    const body = ndjson([
      { create: { _index: 'fluent-bit', _type: '_doc' } },
      { '@timestamp': '2024-05-01T12:00:00.000Z', log: LINES[0] },
    ]);
    const res = await req('/_bulk', { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson', 'user-agent': 'Fluent-Bit' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^\{"took":\d+,"errors":false,"items":\[\{"create":\{/);
    expect(JSON.parse(text).items[0].create.status).toBe(201);
  });

  it('Vector: GET /_cluster/health, then /<index>/_bulk with index actions and a timeout parameter', async () => {
    const health = await req('/_cluster/health');
    expect(health.status).toBe(200);
    expect(((await health.json()) as any).status).toBe('green');
    const body = ndjson([{ index: { _index: 'vector-2024.05.01' } }, { message: LINES[1], host: 'vec-1', timestamp: '2024-05-01T12:00:00Z' }]);
    const res = await req('/vector-2024.05.01/_bulk?timeout=60s', { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as any;
    expect(reply.errors).toBe(false);
    expect(reply.items[0].index).toMatchObject({ _index: 'vector-2024.05.01', status: 201 });
    expect((await h.records()).some((r) => r.host === 'vec-1' && r.line === LINES[1])).toBe(true);
  });

  it('Logstash: HEAD base (empty 200), GET /_nodes/http, HEAD rollover alias, HEAD/PUT template, bulk via PUT', async () => {
    const head = await req('/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(await head.text()).toBe('');
    const nodes = (await (await req('/_nodes/http')).json()) as any;
    expect(Object.values(nodes.nodes as Record<string, any>)[0].http.publish_address).toMatch(/127\.0\.0\.1:\d+/);
    expect((await req('/logstash', { method: 'HEAD' })).status).toBe(200);
    expect((await req('/_index_template/logstash', { method: 'HEAD' })).status).toBe(200);
    expect((await req('/_index_template/logstash', { method: 'PUT', body: '{}' })).status).toBe(200);
    const body = ndjson([{ index: { _index: 'logstash' } }, { '@timestamp': '2024-05-01T12:00:00.000Z', '@version': '1', message: LINES[2], host: 'ls' }]);
    const res = await req('/_bulk', { method: 'PUT', body, headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status).toBe(200);
  });

  it('a bad document fails only its item (400, errors:true); the others are queued', async () => {
    const body = `{"create":{"_index":"x"}}\n{"message":"good one ${prefix}"}\n{"create":{"_index":"x"}}\n{"message": broken\n`;
    const res = await req('/_bulk', { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as any;
    expect(reply.errors).toBe(true);
    expect(reply.items.map((i: any) => i.create.status)).toEqual([201, 400]);
    const records = await h.records();
    expect(records.filter((r) => r.line === `good one ${prefix}`)).toHaveLength(1);
    expect(records.some((r) => r.line.includes('broken'))).toBe(false);
  });

  it('a body that is not bulk NDJSON at all → 400 in ES error shape', async () => {
    const res = await req('/_bulk', { method: 'POST', body: 'hello', headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    const body = (await res.json()) as any;
    expect(body.status).toBe(400);
    expect(body.error).toMatchObject({ type: expect.any(String), reason: expect.any(String), code: expect.any(String) });
  });

  it('unknown ES APIs answer 404 in ES shape; our own routes are never shadowed', async () => {
    const res = await req('/_search');
    expect(res.status).toBe(404);
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(((await res.json()) as any).error.type).toBe('resource_not_found_exception');
    const ours = await fetch(`${h.url}/ingest`, { method: 'GET' });
    expect(ours.status).toBe(405);
    expect(ours.headers.get('x-elastic-product')).toBeNull();
    expect(((await ours.json()) as any).error.code).toBe('method_not_allowed');
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });
});

describe('ES surface with a prefix is only under the prefix', () => {
  it('root ES paths are plain 404s', async () => {
    const h = await startIngest({ ES_PATH_PREFIX: '/es' });
    try {
      const res = await fetch(`${h.url}/_bulk`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-elastic-product')).toBeNull();
      expect(((await res.json()) as any).error.code).toBe('not_found');
      expect((await fetch(`${h.url}/es`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
