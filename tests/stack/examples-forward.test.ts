/**
 * The forward-protocol examples (examples/fluentd-forward.conf, examples/fluent-bit-forward.conf)
 * against a real ingest process with FORWARD_SHARED_KEY: the test reads each file (target,
 * ack setting, compression, shared key, self host name), runs the handshake with those values,
 * sends a chunk built as that shipper builds it, and checks the ack and the queued events.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientPing, scoreJobSchema } from '@logforest/core';
import { EventTime, pack, rawClient } from '../../services/ingest/src/forward/test-support.ts';
import { freePort } from '../setup/redis-server.ts';
import { testRedisUrl, uniquePrefix } from '../setup/redis.ts';
import { expandEnv, fdChild, fdString, groupEvents, readFluentBit, readFluentd, slashRegex } from './config-readers.ts';
import { ROOT, startIngest, type IngestProc } from './proc.ts';

const KEY = 'forward-key-5e2b7d';
const ENV = { LOGFOREST_FORWARD_KEY: KEY };
const example = (name: string): string => readFileSync(join(ROOT, 'examples', name), 'utf8');
const SERVER_LOG = [
  '2024-05-06 10:15:02,123 INFO  [org.jboss.as.server] (Controller Boot Thread) WFLYSRV0025: WildFly Full 31.0.1.Final started in 5123ms',
  '2024-05-06 10:15:07,456 ERROR [org.jboss.as.ejb3.invocation] (default task-12) WFLYEJB0034: Invocation failed on component OrderService',
  '\tat org.jboss.as.ejb3.tx.CMTTxInterceptor.invokeInCallerTx(CMTTxInterceptor.java:203)',
  'Caused by: org.hibernate.exception.ConstraintViolationException: could not execute statement',
  '\t... 42 more',
  '10:15:09,250 INFO  [org.wildfly.extension.undertow] (ServerService Thread Pool -- 80) WFLYUT0021: Registered web context',
];

let ingest: IngestProc;
let forwardPort: number;
let redis: Redis;
const prefix = uniquePrefix('fwd-examples');
const seen = new Set<string>();

beforeAll(async () => {
  redis = new Redis(testRedisUrl());
  forwardPort = await freePort();
  ingest = await startIngest({ REDIS_URL: testRedisUrl(), LOGFOREST_PREFIX: prefix, FORWARD_PORT: String(forwardPort), FORWARD_SHARED_KEY: KEY, FORWARD_SELF_HOSTNAME: 'logforest' });
}, 90_000);
afterAll(async () => {
  await ingest?.proc.stop();
  await redis?.quit();
});

async function newlyQueued(): Promise<Array<{ line: string; source?: string }>> {
  const out: Array<{ line: string; source?: string }> = [];
  for (const id of (await redis.lrange(`${prefix}:score:wait`, 0, -1)).reverse()) {
    if (seen.has(id)) continue;
    seen.add(id);
    const data = scoreJobSchema.parse(JSON.parse((await redis.hget(`${prefix}:score:${id}`, 'data')) ?? '{}'));
    out.push(...data.records.map((r) => (r.source === undefined ? { line: r.line } : { line: r.line, source: r.source })));
  }
  return out;
}

/** Connect as the shipper does with a shared key: HELO → PING → PONG(true). */
async function handshake(sharedKey: string, selfHostname: string) {
  const c = await rawClient(forwardPort);
  const [kind, helo] = (await c.next()) as [string, { nonce: Uint8Array }];
  expect(kind).toBe('HELO');
  c.write(pack(clientPing({ clientHostname: selfHostname, sharedKey, salt: randomBytes(16), nonce: helo.nonce })));
  expect(((await c.next()) as unknown[]).slice(0, 2)).toEqual(['PONG', true]);
  return c;
}

/** Ruby's Base64.encode64 of a 16-byte chunk id: ends with a newline. */
const chunkId = (): string => `${randomBytes(16).toString('base64')}\n`;

describe('forward examples against a real ingest', () => {
  it('fluentd-forward.conf: out_forward PackedForward (str32 entries, gzip), shared key, require_ack_response', async () => {
    const conf = readFluentd(example('fluentd-forward.conf'));
    const events = groupEvents(SERVER_LOG, slashRegex(fdChild(conf.find((d) => d.name === 'source')!, 'parse')!.params['format_firstline']!));
    expect(events).toHaveLength(3);
    const match = conf.find((d) => d.name === 'match' && d.params['@type'] === 'forward')!;
    expect(match.params['require_ack_response']).toBe('true');
    expect(fdChild(match, 'buffer')?.params['retry_forever']).toBe('true');
    const server = fdChild(match, 'server')!;
    expect([server.params['host'], server.params['port']]).toEqual(['127.0.0.1', '24224']);
    const security = fdChild(match, 'security')!;
    const c = await handshake(fdString(security.params['shared_key'], ENV)!, 'fluentd-host');

    const entries = Buffer.concat(events.map((message, i) => pack([new EventTime(1714990502 + i, 0), { message }])));
    const gzip = match.params['compress'] === 'gzip';
    expect(gzip).toBe(true);
    const blob = gzip ? gzipSync(entries) : entries;
    const chunk = chunkId();
    const len = Buffer.alloc(4);
    len.writeUInt32BE(blob.length);
    const tag = 'jboss.server';
    const frame = Buffer.concat([Buffer.from([0x93, 0xa0 | tag.length]), Buffer.from(tag), Buffer.from([0xdb]), len, blob, pack({ size: events.length, chunk, compressed: gzip ? 'gzip' : 'text' })]);
    c.write(frame);
    expect(await c.next()).toEqual({ ack: chunk });
    const queued = await newlyQueued();
    expect(queued.map((r) => r.line)).toEqual(events);
    expect(new Set(queued.map((r) => r.source))).toEqual(new Set([tag]));
    c.end();
  });

  it('fluent-bit-forward.conf: forward output, gzip PackedForward (bin entries), Shared_Key, Require_ack_response', async () => {
    const conf = readFluentBit(example('fluent-bit-forward.conf'));
    const input = conf.find((s) => s.name === 'INPUT')!;
    expect(input.get('multiline.parser')).toBe('jboss');
    const output = conf.find((s) => s.name === 'OUTPUT')!;
    expect(output.get('name')).toBe('forward');
    expect([output.get('host'), output.get('port')]).toEqual(['127.0.0.1', '24224']);
    expect(output.get('require_ack_response')).toBe('true');
    expect(output.get('retry_limit')).toBe('no_limits');
    const c = await handshake(expandEnv(output.get('shared_key')!, ENV), output.get('self_hostname')!);

    const events = ['10:15:10,001 WARN  [org.jboss.jca] (default task-13) IJ000604: Throwable while attempting to get a new connection: null', 'a second event'];
    // Fluent Bit's chunk format v2: [[EventTime, {metadata}], record].
    const entries = Buffer.concat(events.map((log) => pack([[new EventTime(1714990510, 500_000_000), {}], { log }])));
    const gzip = output.get('compress') === 'gzip';
    expect(gzip).toBe(true);
    const chunk = randomBytes(16).toString('hex');
    c.write(pack([input.get('tag')!, gzip ? gzipSync(entries) : entries, { size: events.length, chunk, ...(gzip ? { compressed: 'gzip' } : {}) }]));
    expect(await c.next()).toEqual({ ack: chunk });
    expect((await newlyQueued()).map((r) => r.line)).toEqual(events);
    c.end();
  });

  it('the examples README and the main README list the forward examples', () => {
    const readme = example('README.md');
    expect(readme).toContain('`fluentd-forward.conf`');
    expect(readme).toContain('`fluent-bit-forward.conf`');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toMatch(/\| Fluentd \| `@type forward`/);
  });
});
