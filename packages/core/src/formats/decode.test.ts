/**
 * End to end per shipper: the body each one sends with its stock settings (Content-Type and
 * Content-Encoding as in shared/reference/ingest-protocols.md) → decompressBody → decodeBody.
 */
import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BadRequestError, UnsupportedMediaTypeError } from './errors.ts';
import {
  fluentBitJsonRecord,
  fluentBitMsgpackV1,
  fluentBitMsgpackV2,
  fluentdJsonArray,
  jbossLines,
  jsonStream,
  ndjson,
  pack,
} from './fixtures/bodies.ts';
import { decodeBody, decompressBody, formatForContentType, sniffFormat } from './index.ts';
import { thrown } from './fixtures/thrown.ts';

const receivedAt = Date.UTC(2024, 4, 1, 13);
const T0 = Date.UTC(2024, 4, 1, 12);
const lines = jbossLines(20, T0);
const stamped = lines.map((line, i) => ({ ms: T0 + i * 37, line }));
const limits = { maxDecompressedBytes: 8 << 20 };

/** What the ingest handler does with a request. */
function ingest(body: string | Buffer, contentType: string | undefined, encoding?: string, tag?: string) {
  const raw = typeof body === 'string' ? Buffer.from(body) : body;
  const wire = encoding === 'gzip' ? gzipSync(raw) : encoding === 'deflate' ? deflateSync(raw) : raw;
  return decodeBody(decompressBody(wire, encoding, limits), { contentType, receivedAt, tag });
}

describe('Fluent Bit out_http', () => {
  const fb = stamped.map((s) => fluentBitJsonRecord(s.ms, s.line));
  const expected = stamped.map((s) => ({ line: s.line, ts: s.ms }));

  for (const encoding of [undefined, 'gzip']) {
    it(`format json (array, date double first) ${encoding ?? 'plain'}`, () => {
      expect(ingest(JSON.stringify(fb), 'application/json', encoding)).toEqual(expected);
    });
    it(`format json_lines ${encoding ?? 'plain'}`, () => {
      expect(ingest(ndjson(fb), 'application/x-ndjson', encoding)).toEqual(expected);
    });
    it(`format json_stream ${encoding ?? 'plain'}`, () => {
      expect(ingest(jsonStream(fb), 'application/json', encoding)).toEqual(expected);
    });
    it(`format msgpack v2 (≥ 2.1) ${encoding ?? 'plain'}`, () => {
      const body = fluentBitMsgpackV2(stamped.map((s) => ({ ms: s.ms, record: { log: s.line } })));
      expect(ingest(body, 'application/msgpack', encoding)).toEqual(expected);
    });
  }

  it('format msgpack v1 (< 2.1), sent before 3.0 by default', () => {
    const body = fluentBitMsgpackV1(stamped.map((s) => ({ ms: s.ms, record: { log: s.line } })));
    expect(ingest(body, 'application/msgpack')).toEqual(expected);
  });

  it('json_date_format iso8601 / java_sql_timestamp / epoch_ms', () => {
    const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');
    const sql = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '000');
    const T = stamped[3]?.ms ?? 0;
    expect(ingest(JSON.stringify([{ date: iso(T), log: 'a' }]), 'application/json')[0]?.ts).toBe(T);
    expect(ingest(JSON.stringify([{ date: sql(T), log: 'a' }]), 'application/json')[0]?.ts).toBe(T);
    expect(ingest(JSON.stringify([{ date: T, log: 'a' }]), 'application/json')[0]?.ts).toBe(T);
  });
});

describe('Fluentd out_http', () => {
  const recs = lines.map((message) => ({ message }));
  const expected = lines.map((line) => ({ line, source: 'jboss.server' }));

  it('default ndjson (in_tail + parse none), gzip, tag from the URL', () => {
    expect(ingest(ndjson(recs), 'application/x-ndjson', 'gzip', 'jboss.server')).toEqual(expected);
  });
  it('ndjson with Windows newlines', () => {
    expect(ingest(ndjson(recs, true, '\r\n'), 'application/x-ndjson', undefined, 'jboss.server')).toEqual(expected);
  });
  it('json_array true', () => {
    expect(ingest(fluentdJsonArray(recs), 'application/json', undefined, 'jboss.server')).toEqual(expected);
  });
  it('msgpack formatter (bare maps)', () => {
    expect(ingest(Buffer.concat(recs.map((r) => pack(r))), 'application/x-msgpack', undefined, 'jboss.server')).toEqual(expected);
  });
});

describe('Vector http sink', () => {
  const recs = stamped.map((s) => ({ message: s.line, timestamp: new Date(s.ms).toISOString(), host: 'vec-1', source_type: 'file', file: '/srv/server.log' }));
  const expected = stamped.map((s) => ({ line: s.line, ts: s.ms, host: 'vec-1', source: '/srv/server.log', fields: { source_type: 'file' } }));

  it('codec json (JSON array), zlib compression sent as deflate', () => {
    expect(ingest(JSON.stringify(recs), 'application/json', 'deflate')).toEqual(expected);
  });
  it('newline_delimited framing (no trailing newline)', () => {
    expect(ingest(ndjson(recs, false), 'application/x-ndjson')).toEqual(expected);
  });
  it('codec text', () => {
    expect(ingest(lines.join('\n'), 'text/plain').map((r) => r.line)).toEqual(lines.flatMap((l) => l.split('\n')));
  });
});

describe('Logstash http output', () => {
  const event = (line: string, ms: number) => ({ '@timestamp': new Date(ms).toISOString(), '@version': '1', message: line, host: { name: 'ls-1' }, log: { file: { path: '/srv/server.log' } }, event: { original: line } });
  const fields = { '@version': '1', host: { name: 'ls-1' }, log: { file: { path: '/srv/server.log' } } };

  it('format json: one event per request, gzip', () => {
    const s = stamped[0] ?? { ms: 0, line: '' };
    expect(ingest(JSON.stringify(event(s.line, s.ms)), 'application/json', 'gzip')).toEqual([
      { line: s.line, ts: s.ms, host: 'ls-1', source: '/srv/server.log', fields },
    ]);
  });
  it('format json_batch: a JSON array', () => {
    const out = ingest(JSON.stringify(stamped.map((s) => event(s.line, s.ms))), 'application/json');
    expect(out.map((r) => [r.line, r.ts])).toEqual(stamped.map((s) => [s.line, s.ms]));
  });
});

describe('curl and sniffing', () => {
  const file = lines.join('\n') + '\n';
  const physical = file.split('\n').filter((l) => l !== '');

  it('curl --data-binary @server.log (form-urlencoded Content-Type) is text', () => {
    expect(ingest(file, 'application/x-www-form-urlencoded').map((r) => r.line)).toEqual(physical);
    expect(ingest(file, undefined, undefined, 'jboss').every((r) => r.source === 'jboss')).toBe(true);
  });

  it('log lines starting with [ or { are text when they do not parse as JSON', () => {
    const body = '[2024-05-01 12:00:00] app.ERROR: boom {"id":1} []\n{not json}\n';
    expect(ingest(body, undefined).map((r) => r.line)).toEqual(['[2024-05-01 12:00:00] app.ERROR: boom {"id":1} []', '{not json}']);
    expect(thrown(() => ingest(body, 'application/json')).code).toBe('invalid_json');
  });

  it('sniffs JSON and msgpack bodies sent without a Content-Type', () => {
    expect(ingest('{"log":"x"}', 'application/octet-stream')).toEqual([{ line: 'x' }]);
    expect(ingest(fluentBitMsgpackV2([{ ms: T0, record: { log: 'y' } }]), undefined)).toEqual([{ line: 'y', ts: T0 }]);
    expect(sniffFormat(Buffer.from('\ufeff  [1]'))).toBe('json');
    expect(sniffFormat(Buffer.from([0x92, 0xd7]))).toBe('msgpack');
    expect(sniffFormat(Buffer.from('2024-05-01 INFO'))).toBe('text');
  });

  it('maps Content-Types, with parameters and case, to formats', () => {
    expect(formatForContentType('application/json; charset=UTF-8')).toBe('json');
    expect(formatForContentType('Application/X-NDJSON')).toBe('json');
    expect(formatForContentType('application/vnd.elastic+json')).toBe('json');
    expect(formatForContentType('application/msgpack')).toBe('msgpack');
    expect(formatForContentType('text/tab-separated-values')).toBe('text');
    expect(formatForContentType('text/x-whatever')).toBe('text');
    expect(formatForContentType('application/octet-stream')).toBeUndefined();
    expect(formatForContentType('application/xml')).toBeUndefined();
    expect(thrown(() => formatForContentType('application/x-protobuf'))).toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it('refuses an empty body, also once decompressed', () => {
    const err = thrown(() => ingest('', 'application/json'));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.message).toMatch(/empty body/);
    expect(thrown(() => ingest(Buffer.alloc(0), 'application/json', 'gzip')).code).toBe('empty_body');
  });
});
