/**
 * Every shipper configuration in examples/ against a real ingest process: the test reads the
 * file (target URL, route, body format, compression, auth, multiline rule), sends a request
 * built exactly as that shipper builds it, and checks the ingest accepts it and queued one
 * record per event with the whole event (stack trace included) as its line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreJobSchema } from '@logforest/core';
import { testRedisUrl, uniquePrefix } from '../setup/redis.ts';
import {
  expandEnv,
  fdChild,
  fdString,
  groupEvents,
  logstashBlock,
  logstashSettings,
  lsHash,
  lsString,
  readFluentBit,
  readFluentd,
  slashRegex,
} from './config-readers.ts';
import { parse } from 'yaml';
import { ROOT, startIngest, type IngestProc } from './proc.ts';

const TOKEN = 'ingest-token-3f1c9a';
const ENV = { LOGFOREST_TOKEN: TOKEN };
const example = (name: string): string => readFileSync(join(ROOT, 'examples', name), 'utf8');
type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };
/** YAML 1.2 with `<<` merge keys (compose files use them). */
const parseYaml = (text: string): Yaml => parse(text, { merge: true }) as Yaml;
type Obj = Record<string, Yaml>;
const obj = (v: Yaml | undefined): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});

/** A server.log excerpt as WildFly writes it: 4 events, one with a stack trace. */
const SERVER_LOG = [
  '2024-05-06 10:15:02,123 INFO  [org.jboss.as.server] (Controller Boot Thread) WFLYSRV0025: WildFly Full 31.0.1.Final (WildFly Core 23.0.3.Final) started in 5123ms - Started 512 of 733 services',
  '2024-05-06 10:15:07,456 ERROR [org.jboss.as.ejb3.invocation] (default task-12) WFLYEJB0034: Jakarta Enterprise Beans Invocation failed on component OrderService for method public void com.acme.shop.OrderService.place(com.acme.shop.Order): jakarta.ejb.EJBTransactionRolledbackException: could not execute statement',
  '\tat org.jboss.as.ejb3.tx.CMTTxInterceptor.invokeInCallerTx(CMTTxInterceptor.java:203)',
  '\tat org.jboss.as.ejb3.tx.CMTTxInterceptor.required(CMTTxInterceptor.java:364)',
  'Caused by: org.hibernate.exception.ConstraintViolationException: could not execute statement',
  '\tat org.hibernate.exception.internal.SQLStateConversionDelegate.convert(SQLStateConversionDelegate.java:95)',
  '\t... 42 more',
  '2024-05-06 10:15:08,001 WARN  [org.jboss.jca.core.connectionmanager.pool.strategy.OnePool] (default task-13) IJ000604: Throwable while attempting to get a new connection: null',
  '10:15:09,250 INFO  [org.wildfly.extension.undertow] (ServerService Thread Pool -- 80) WFLYUT0021: Registered web context: \'/shop\' for server \'default-server\'',
];

let ingest: IngestProc;
let redis: Redis;
const prefix = uniquePrefix('examples');
const seenJobs = new Set<string>();

beforeAll(async () => {
  redis = new Redis(testRedisUrl());
  ingest = await startIngest({ REDIS_URL: testRedisUrl(), LOGFOREST_PREFIX: prefix, INGEST_TOKENS: `other-token,${TOKEN}`, ADMIN_TOKEN: 'admin-token-77aa' });
}, 90_000);

afterAll(async () => {
  await ingest?.proc.stop();
  await redis?.quit();
});

/** Lines of the score jobs queued since the previous call (no worker runs under this prefix). */
async function newlyQueuedLines(): Promise<string[]> {
  const lines: string[] = [];
  const ids = await redis.lrange(`${prefix}:score:wait`, 0, -1);
  for (const id of ids.reverse()) {
    if (seenJobs.has(id)) continue;
    seenJobs.add(id);
    const data = scoreJobSchema.parse(JSON.parse((await redis.hget(`${prefix}:score:${id}`, 'data')) ?? '{}'));
    for (const r of data.records) lines.push(r.line);
  }
  return lines;
}

/** Checks shared by every example: the multiline rule makes 4 events, the trace stays with its event. */
function expectEvents(events: string[]): void {
  expect(events).toHaveLength(4);
  expect(events[1]?.split('\n')).toHaveLength(6);
  expect(events[1]).toMatch(/^2024-05-06 10:15:07,456 ERROR [\s\S]*\n\tat [\s\S]*\nCaused by: [\s\S]*\n\t\.\.\. 42 more$/);
}

function expectLocalTarget(url: URL): void {
  expect(url.hostname).toBe('127.0.0.1');
  expect(url.port).toBe('5000');
}

/** Send to the test's ingest instead of 127.0.0.1:5000, same path and query. */
function retarget(url: URL): string {
  return `${ingest.base}${url.pathname}${url.search}`;
}

describe('examples/ against a real ingest', () => {
  it('fluent-bit.conf: POST json_lines, gzip, Bearer header to /ingest/jboss', async () => {
    const conf = readFluentBit(example('fluent-bit.conf'));
    const parsers = readFluentBit(example('fluent-bit-parsers.conf'));
    const input = conf.find((s) => s.name === 'INPUT') as (typeof conf)[number];
    const output = conf.find((s) => s.name === 'OUTPUT') as (typeof conf)[number];
    const mlName = input.get('multiline.parser');
    const ml = parsers.find((s) => s.name === 'MULTILINE_PARSER' && s.get('name') === mlName);
    expect(ml, `multiline parser ${mlName} defined in fluent-bit-parsers.conf`).toBeDefined();
    const rules = ml!.all('rule').map((r) => [...r.matchAll(/"([^"]*)"/g)].map((m) => m[1] as string));
    const start = slashRegex(rules.find((r) => r[0] === 'start_state')![1]!);
    const cont = slashRegex(rules.find((r) => r[0] === 'cont')![1]!);
    const events = groupEvents(SERVER_LOG, start);
    expectEvents(events);
    for (const l of SERVER_LOG) expect(start.test(l) !== cont.test(l), l).toBe(true);

    expect(output.get('name')).toBe('http');
    const url = new URL(`http://${output.get('host')}:${output.get('port')}${output.get('uri')}`);
    expectLocalTarget(url);
    expect(url.pathname).toBe('/ingest/jboss');
    expect(output.get('format')).toBe('json_lines');
    expect(output.get('compress')).toBe('gzip');
    expect(output.get('retry_limit')).toBe('no_limits');
    const headers: Record<string, string> = { 'Content-Type': 'application/x-ndjson', 'User-Agent': 'Fluent-Bit', 'Content-Encoding': 'gzip' };
    for (const h of output.all('header')) {
      const [name, ...value] = h.split(/\s+/);
      headers[name as string] = expandEnv(value.join(' '), ENV);
    }
    expect(headers['Authorization']).toBe(`Bearer ${TOKEN}`);
    const dateKey = output.get('json_date_key') ?? 'date';
    const body = events.map((log) => JSON.stringify({ [dateKey]: new Date().toISOString(), log })).join('\n') + '\n';
    const res = await fetch(retarget(url), { method: 'POST', headers, body: gzipSync(body) });
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThanOrEqual(205); // Fluent Bit's success range
    expect(await res.json()).toMatchObject({ accepted: 4 });
    expect(await newlyQueuedLines()).toEqual(events);
  });

  it('fluentd.conf: out_http NDJSON of {"message"}, gzip, Basic auth to /ingest/jboss; 503 retryable', async () => {
    const conf = readFluentd(example('fluentd.conf'));
    const source = conf.find((d) => d.name === 'source')!;
    const parse = fdChild(source, 'parse')!;
    expect(parse.params['@type']).toBe('multiline');
    const events = groupEvents(SERVER_LOG, slashRegex(parse.params['format_firstline']!));
    expectEvents(events);
    expect(slashRegex(parse.params['format1']!).source).toContain('(?<message>');

    const match = conf.find((d) => d.name === 'match' && d.params['@type'] === 'http')!;
    const url = new URL(match.params['endpoint']!);
    expectLocalTarget(url);
    expect(url.pathname).toBe('/ingest/jboss');
    expect(match.params['http_method'] ?? 'post').toBe('post');
    expect(match.params['json_array'] ?? 'false').toBe('false');
    expect(fdChild(match, 'format')?.params['@type']).toBe('json');
    expect(match.params['retryable_response_codes']).toMatch(/\b503\b/);
    const auth = fdChild(match, 'auth')!;
    expect(auth.params['method']).toBe('basic');
    const basic = Buffer.from(`${fdString(auth.params['username'], ENV)}:${fdString(auth.params['password'], ENV)}`).toString('base64');
    const headers: Record<string, string> = {
      'Content-Type': match.params['content_type'] ?? 'application/x-ndjson',
      Authorization: `Basic ${basic}`,
    };
    // out_http: the json formatter writes only the record, one per line, each ending in "\n".
    let body: Buffer = Buffer.from(events.map((message) => `${JSON.stringify({ message })}\n`).join(''));
    if (match.params['compress'] === 'gzip') {
      headers['Content-Encoding'] = 'gzip';
      body = gzipSync(body);
    }
    expect(headers['Content-Encoding']).toBe('gzip');
    const res = await fetch(retarget(url), { method: 'POST', headers, body });
    expect(res.status).toBe(202);
    expect(await newlyQueuedLines()).toEqual(events);

    // A wrong token is refused with a 4xx Fluentd will not retry, so the token must be right.
    const bad = await fetch(retarget(url), { method: 'POST', headers: { ...headers, Authorization: `Basic ${Buffer.from('x:nope').toString('base64')}` }, body });
    expect(bad.status).toBe(401);
  });

  it('filebeat.yml: Elasticsearch handshake then gzip _bulk with Basic auth', async () => {
    const conf = obj(parseYaml(example('filebeat.yml')));
    const input = obj((conf['filebeat.inputs'] as Yaml[])[0]);
    expect(input['type']).toBe('filestream');
    const ml = obj(obj((input['parsers'] as Yaml[])[0])['multiline']);
    expect(ml).toMatchObject({ type: 'pattern', negate: true, match: 'after' });
    const events = groupEvents(SERVER_LOG, new RegExp(String(ml['pattern'])));
    expectEvents(events);

    const out = obj(conf['output.elasticsearch']);
    const base = new URL(String((out['hosts'] as Yaml[])[0]));
    expectLocalTarget(base);
    const basePath = base.pathname.replace(/\/$/, '');
    const auth = `Basic ${Buffer.from(`${out['username']}:${expandEnv(String(out['password']), ENV)}`).toString('base64')}`;
    const common = { Accept: 'application/json', 'User-Agent': 'Elastic-filebeat/8.15.1 (linux; amd64; 1a2b3c; 2024-09-02 12:00:00 +0000 UTC)', 'X-Elastic-Product-Origin': 'beats', Authorization: auth };
    const target = (p: string): string => `${ingest.base}${basePath}${p}`;

    const info = await fetch(target(base.pathname.endsWith('/') ? '/' : ''), { headers: common });
    expect(info.status).toBe(200);
    const infoBody = (await info.json()) as { version: { number: string; build_flavor: string } };
    expect(infoBody.version.number).toMatch(/^(8\.(1[5-9]|[2-9]\d)|9)\./);
    expect(infoBody.version.build_flavor).toBe('default');
    const license = await fetch(target('/_license?human=false'), { headers: common });
    expect(license.status).toBe(200);
    expect(((await license.json()) as { license: { status: string } }).license.status).toBe('active');
    expect(conf['setup.ilm.enabled']).toBe(false);
    expect(conf['setup.template.enabled']).toBe(false);
    expect((await fetch(target('/'), { headers: common })).status).toBe(200);

    const now = new Date().toISOString();
    const ndjson = events
      .map((message, i) =>
        [
          JSON.stringify({ create: { _index: 'filebeat-8.15.1' } }),
          JSON.stringify({ '@timestamp': now, message, log: { offset: i * 200, file: { path: '/opt/jboss/wildfly/standalone/log/server.log' } }, input: { type: 'filestream' }, ecs: { version: '8.0.0' }, host: { name: 'web-1' }, agent: { type: 'filebeat', version: '8.15.1', name: 'web-1' } }),
        ].join('\n'),
      )
      .join('\n') + '\n';
    expect(Number(out['compression_level'])).toBeGreaterThan(0);
    const bulk = await fetch(target('/_bulk?filter_path=errors%2Citems.%2A.error%2Citems.%2A.status'), {
      method: 'POST',
      headers: { ...common, 'Content-Type': 'application/json; charset=UTF-8', 'Content-Encoding': 'gzip' },
      body: gzipSync(ndjson),
    });
    expect(bulk.status).toBe(200); // exactly 200: Filebeat retries any other 2xx
    const result = (await bulk.json()) as { errors: boolean; items: Array<Record<string, { status: number }>> };
    expect(result.errors).toBe(false);
    expect(result.items).toHaveLength(4);
    for (const item of result.items) expect(Object.values(item)[0]!.status).toBeLessThan(300);
    expect(await newlyQueuedLines()).toEqual(events);
  });

  it('vector.yaml: http sink, json codec + newline_delimited framing, gzip, bearer', async () => {
    const conf = obj(parseYaml(example('vector.yaml')));
    const ml = obj(obj(obj(conf['sources'])['wildfly'])['multiline']);
    expect(ml['mode']).toBe('halt_before');
    const events = groupEvents(SERVER_LOG, new RegExp(String(ml['condition_pattern'])));
    expectEvents(events);
    expect(groupEvents(SERVER_LOG, new RegExp(String(ml['start_pattern'])))).toEqual(events);

    const sink = obj(obj(conf['sinks'])['logforest']);
    expect(sink['type']).toBe('http');
    const url = new URL(String(sink['uri']));
    expectLocalTarget(url);
    expect(url.pathname).toBe('/ingest/jboss');
    expect(obj(sink['encoding'])['codec']).toBe('json');
    expect(obj(sink['framing'])['method']).toBe('newline_delimited');
    expect(sink['compression']).toBe('gzip');
    const auth = obj(sink['auth']);
    expect(auth['strategy']).toBe('bearer');
    const now = new Date().toISOString();
    // newline_delimited: one object per line, the trailing newline removed.
    const body = events.map((message) => JSON.stringify({ file: '/opt/jboss/wildfly/standalone/log/server.log', host: 'web-1', message, source_type: 'file', timestamp: now })).join('\n');
    const res = await fetch(retarget(url), {
      method: String(sink['method'] ?? 'post').toUpperCase(),
      headers: { 'Content-Type': 'application/x-ndjson', 'Content-Encoding': 'gzip', Authorization: `Bearer ${expandEnv(String(auth['token']), ENV)}` },
      body: gzipSync(body),
    });
    expect(res.status).toBe(202);
    expect(await newlyQueuedLines()).toEqual(events);
  });

  it('logstash.conf: http output, format json_batch, gzip, Bearer header', async () => {
    const text = example('logstash.conf');
    const codec = logstashSettings(logstashBlock(logstashBlock(text, 'input')!, 'multiline')!);
    expect(codec['negate']).toBe('true');
    expect(lsString(codec['what'])).toBe('previous');
    const events = groupEvents(SERVER_LOG, new RegExp(lsString(codec['pattern'])!));
    expectEvents(events);

    const http = logstashSettings(logstashBlock(logstashBlock(text, 'output')!, 'http')!);
    const url = new URL(lsString(http['url'])!);
    expectLocalTarget(url);
    expect(url.pathname).toBe('/ingest/jboss');
    expect(lsString(http['http_method'])).toBe('post');
    expect(lsString(http['format'])).toBe('json_batch');
    expect(http['http_compression']).toBe('true');
    expect(http['retryable_codes']).toMatch(/\b503\b/);
    const headers = Object.fromEntries(Object.entries(lsHash(http['headers'])).map(([k, v]) => [k, expandEnv(v, ENV)]));
    const now = new Date().toISOString();
    const batch = events.map((message) => ({ '@timestamp': now, '@version': '1', message, host: { name: 'web-1' }, log: { file: { path: '/opt/jboss/wildfly/standalone/log/server.log' } }, event: { original: message } }));
    const res = await fetch(retarget(url), {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: gzipSync(JSON.stringify(batch)),
    });
    expect(res.status).toBe(202);
    expect(await newlyQueuedLines()).toEqual(events);
  });

  it('the README names the route each example uses', () => {
    const readme = example('README.md');
    for (const f of ['fluent-bit.conf', 'fluentd.conf', 'filebeat.yml', 'vector.yaml', 'logstash.conf']) {
      expect(readme).toMatch(new RegExp(`\\| \`${f.replace('.', '\\.')}\`[^\n]*\\| \`(POST /ingest/jboss|GET /\`, \`GET /_license\`, \`POST /_bulk)\``));
    }
  });
});
