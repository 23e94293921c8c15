import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decompressBody } from '../compression/index.ts';
import { BadRequestError } from '../errors.ts';
import { bulkBody, filebeatDoc } from '../fixtures/bodies.ts';
import { applyFilterPath, bulkResponse, decodeBulk } from './index.ts';
import { thrown } from '../fixtures/thrown.ts';

const receivedAt = Date.UTC(2024, 4, 1, 12, 0, 5);
const T = Date.UTC(2024, 4, 1, 12, 0, 0, 123);
const line = (i: number) => `2024-05-01 12:00:0${i},123 INFO [org.jboss.as.server] (main) event ${i}`;

describe('decodeBulk by shipper', () => {
  it('Filebeat 8: gzipped create actions, ECS documents', () => {
    const docs = [filebeatDoc(T, line(0)), filebeatDoc(T + 1, line(1), 'web-2', '/var/log/b.log')];
    const gz = gzipSync(bulkBody({ create: { _index: 'filebeat-8.15.1' } }, docs), { level: 1 });
    const { records, items } = decodeBulk(decompressBody(gz, 'gzip', { maxDecompressedBytes: 1 << 20 }), { receivedAt });
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ line: line(0), ts: T, host: 'web-1', source: '/opt/wildfly/standalone/log/server.log' });
    expect(records[1]).toMatchObject({ line: line(1), ts: T + 1, host: 'web-2', source: '/var/log/b.log' });
    expect(records[0]?.fields).toMatchObject({ input: { type: 'filestream' }, agent: { type: 'filebeat' } });
    expect(records[0]?.fields).not.toHaveProperty('message');
    expect(items.map((i) => [i.action, i.index, i.status, i.result, i.record])).toEqual([
      ['create', 'filebeat-8.15.1', 201, 'created', 0],
      ['create', 'filebeat-8.15.1', 201, 'created', 1],
    ]);
  });

  it('Fluent Bit es: create with _type, @timestamp added in front, record in `log`', () => {
    const body = bulkBody({ create: { _index: 'fluent-bit', _type: '_doc' } }, [
      { '@timestamp': '2024-05-01T12:00:00.123Z', log: line(0), stream: 'stdout' },
    ]);
    const { records, items } = decodeBulk(Buffer.from(body), { receivedAt });
    expect(records).toEqual([{ line: line(0), ts: T, source: 'fluent-bit', fields: { stream: 'stdout' } }]);
    expect(items[0]).toMatchObject({ action: 'create', index: 'fluent-bit', status: 201 });
  });

  it('Vector elasticsearch: index actions, message/timestamp/host/file', () => {
    const body = bulkBody({ index: { _index: 'vector-2024.05.01' } }, [
      { message: line(0), timestamp: '2024-05-01T12:00:00.123456789Z', host: 'vec-1', file: '/var/log/server.log', source_type: 'file' },
    ]);
    const { records, items } = decodeBulk(Buffer.from(body), { receivedAt });
    expect(records).toEqual([{ line: line(0), ts: T, host: 'vec-1', source: '/var/log/server.log', fields: { source_type: 'file' } }]);
    expect(items[0]).toMatchObject({ action: 'index', status: 201, result: 'created' });
  });

  it('Logstash elasticsearch: message, @timestamp, host, log.file.path, event.original', () => {
    const doc = { '@timestamp': '2024-05-01T12:00:00.123Z', '@version': '1', message: line(0), host: { name: 'ls-1' },
      log: { file: { path: '/srv/server.log' } }, event: { original: line(0) } };
    const { records } = decodeBulk(Buffer.from(bulkBody({ index: { _index: 'logstash', _id: 'abc' } }, [doc])), { receivedAt });
    expect(records).toEqual([{ line: line(0), ts: T, host: 'ls-1', source: '/srv/server.log',
      fields: { '@version': '1', host: { name: 'ls-1' }, log: { file: { path: '/srv/server.log' } } } }]);
  });

  it('uses the URL index when the action names none, and echoes _id', () => {
    const body = '{"index":{}}\n{"message":"a"}\n{"create":{"_id":"7"}}\r\n{"message":"b"}';
    const { items } = decodeBulk(Buffer.from(body), { receivedAt, index: 'from-url' });
    expect(items.map((i) => [i.index, i.id === '7'])).toEqual([['from-url', false], ['from-url', true]]);
  });

  it('tolerates update (doc / upsert) and delete (no document line)', () => {
    const body = [
      '{"update":{"_index":"u","_id":"1"}}', '{"doc":{"message":"upd"},"doc_as_upsert":true}',
      '{"delete":{"_index":"u","_id":"2"}}',
      '{"update":{"_index":"u","_id":"3"}}', '{"upsert":{"message":"ups"}}',
      '{"update":{"_index":"u","_id":"4"}}', '{"script":{"source":"ctx._source.x++"}}',
    ].join('\n') + '\n';
    const { records, items } = decodeBulk(Buffer.from(body), { receivedAt });
    expect(records.map((r) => r.line)).toEqual(['upd', 'ups']);
    expect(items.map((i) => [i.action, i.status, i.result ?? i.error?.type])).toEqual([
      ['update', 200, 'updated'], ['delete', 404, 'not_found'], ['update', 200, 'updated'], ['update', 400, 'illegal_argument_exception'],
    ]);
  });
});

describe('decodeBulk errors', () => {
  it('fails only the item of a malformed document line; the others go through', () => {
    const body = '{"create":{"_index":"x"}}\n{"message":"ok1"}\n{"create":{"_index":"x"}}\n{"message":"bad",}\n{"create":{"_index":"x"}}\n{"message":"ok2"}\n';
    const { records, items } = decodeBulk(Buffer.from(body), { receivedAt });
    expect(records.map((r) => r.line)).toEqual(['ok1', 'ok2']);
    expect(items.map((i) => i.status)).toEqual([201, 400, 201]);
    expect(items[1]?.error?.type).toBe('mapper_parsing_exception');
    expect(items[1]?.error?.reason).toMatch(/line \[4\]/);
    expect(items[2]?.record).toBe(1);
  });

  it('fails the item of a missing action line and of a malformed action line, then resynchronises', () => {
    const missing = '{"create":{}}\n{"message":"ok1"}\n{"message":"orphan"}\n{"create":{}}\n{"message":"ok2"}\n';
    const r1 = decodeBulk(Buffer.from(missing), { receivedAt });
    expect(r1.records.map((r) => r.line)).toEqual(['ok1', 'ok2']);
    expect(r1.items.map((i) => [i.status, i.error?.type])).toEqual([[201, undefined], [400, 'illegal_argument_exception'], [201, undefined]]);
    const malformed = '{"create":{}}\n{"message":"ok1"}\n{"create":\n{"message":"lost"}\n{"create":{}}\n{"message":"ok2"}\n';
    const r2 = decodeBulk(Buffer.from(malformed), { receivedAt });
    expect(r2.records.map((r) => r.line)).toEqual(['ok1', 'ok2']);
    expect(r2.items.map((i) => i.status)).toEqual([201, 400, 201]);
  });

  it('fails the item of an action without a document, non-object documents and too deep documents', () => {
    const body = '{"index":{}}\n["not","an","object"]\n{"index":{}}\n{"a":{"b":{"c":{}}}}\n{"index":{}}\n';
    const { items } = decodeBulk(Buffer.from(body), { receivedAt, maxDepth: 2 });
    expect(items.map((i) => [i.status, i.error?.type])).toEqual([
      [400, 'mapper_parsing_exception'], [400, 'mapper_parsing_exception'], [400, 'illegal_argument_exception'],
    ]);
  });

  it('refuses a body that is not bulk NDJSON at all, an empty body, and too many actions', () => {
    for (const body of ['hello world\n', '[{"create":{}}]', 'not json\n{"message":"x"}\n']) {
      const err = thrown(() => decodeBulk(Buffer.from(body), { receivedAt }));
      expect(err).toBeInstanceOf(BadRequestError);
      expect(err.code).toBe('invalid_bulk');
    }
    expect(thrown(() => decodeBulk(Buffer.from('\n\n'), { receivedAt })).code).toBe('empty_body');
    const three = bulkBody({ create: {} }, [{ message: 'a' }, { message: 'b' }, { message: 'c' }]);
    expect(thrown(() => decodeBulk(Buffer.from(three), { receivedAt, maxEvents: 2 })).status).toBe(413);
  });
});

describe('bulkResponse', () => {
  const body = '{"create":{"_index":"x","_id":"a"}}\n{"message":"ok"}\n{"create":{"_index":"x","_id":"b"}}\n{bad\n';

  it('writes compact JSON with took, errors, items in that order', () => {
    const ok = decodeBulk(Buffer.from(bulkBody({ create: { _index: 'x', _id: 'i1' } }, [{ message: 'm' }])), { receivedAt });
    const json = bulkResponse(ok.items, 1.4);
    expect(json).toBe('{"took":1,"errors":false,"items":[{"create":{"_index":"x","_id":"i1","status":201,"result":"created"}}]}');
    expect(json).toContain('"errors":false,"items":[');
  });

  it('reports item errors and sets errors:true; a not_found delete is not an error', () => {
    const { items } = decodeBulk(Buffer.from(body), { receivedAt });
    const parsed = JSON.parse(bulkResponse(items, 2)) as { errors: boolean; items: Array<Record<string, { status: number; error?: { type: string } }>> };
    expect(parsed.errors).toBe(true);
    expect(parsed.items.map((i) => Object.keys(i))).toEqual([['create'], ['create']]);
    expect(parsed.items[1]?.['create']?.error?.type).toBe('mapper_parsing_exception');
    const del = decodeBulk(Buffer.from('{"delete":{"_index":"x","_id":"1"}}\n'), { receivedAt });
    expect(bulkResponse(del.items, 0)).toContain('"errors":false');
  });

  it("applies Filebeat's filter_path errors,items.*.error,items.*.status", () => {
    const { items } = decodeBulk(Buffer.from(body), { receivedAt });
    const out = bulkResponse(items, 3, 'errors,items.*.error,items.*.status');
    expect(JSON.parse(out)).toEqual({
      errors: true,
      items: [{ create: { status: 201 } }, { create: { status: 400, error: expect.objectContaining({ type: 'mapper_parsing_exception' }) } }],
    });
    expect(out.startsWith('{"errors":true,"items":[')).toBe(true);
  });

  it('filters with globs and ignores exclusions', () => {
    const v = { took: 1, errors: false, items: [{ index: { _id: 'a', status: 201 } }] };
    expect(applyFilterPath(v, 'took,items.*._i*')).toEqual({ took: 1, items: [{ index: { _id: 'a' } }] });
    expect(applyFilterPath(v, '-took')).toEqual(v);
    expect(applyFilterPath(v, 'nothing')).toBeUndefined();
  });
});
