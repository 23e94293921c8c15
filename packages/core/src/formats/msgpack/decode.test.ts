import { gzipSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { BadRequestError, BodyTooLargeError, UnsupportedMediaTypeError } from '../errors.ts';
import { EventTime, fluentBitMsgpackV1, fluentBitMsgpackV2, pack } from '../fixtures/bodies.ts';
import { resolveOptions } from '../options.ts';
import { decodeMsgpack } from './index.ts';
import { thrown } from '../fixtures/thrown.ts';

const receivedAt = Date.UTC(2024, 4, 1, 12, 0, 5);
const ctx = resolveOptions({ receivedAt });
const T = Date.UTC(2024, 4, 1, 12, 0, 0, 123);
const records = [
  { ms: T, record: { log: '2024-05-01 12:00:00,123 INFO [org.jboss.as] (main) started' } },
  { ms: T + 1000, record: { log: 'second', stream: 'stdout' } },
];

/** A raw ext value: fixext/ext8 header + type + data. */
function ext(type: number, data: number[]): Buffer {
  const lenHeader = data.length === 8 ? [0xd7] : data.length === 4 ? [0xd6] : [0xc7, data.length];
  return Buffer.from([...lenHeader, type & 0xff, ...data]);
}

describe('Fluent Bit msgpack', () => {
  it('decodes the v2 chunk format [[EventTime, {}], record] with nanosecond EventTime', () => {
    const body = fluentBitMsgpackV2(records);
    expect(body[0]).toBe(0x92);
    expect(decodeMsgpack(body, ctx)).toEqual([
      { line: records[0]?.record.log, ts: T },
      { line: 'second', ts: T + 1000, fields: { stream: 'stdout' } },
    ]);
  });

  it('decodes the v1 chunk format [EventTime, record]', () => {
    expect(decodeMsgpack(fluentBitMsgpackV1(records), ctx).map((r) => r.ts)).toEqual([T, T + 1000]);
  });

  it('reads plain integer and float times', () => {
    const body = Buffer.concat([pack([1714564800, { log: 'int' }]), pack([1714564800.123, { log: 'float' }])]);
    expect(decodeMsgpack(body, ctx)).toEqual([
      { line: 'int', ts: T - 123 },
      { line: 'float', ts: T },
    ]);
  });

  it('skips group start/end markers (seconds -1 / -2)', () => {
    const marker = (s: number) => pack([[new EventTime(s >>> 0, 0), { group: 'marker' }], { resource: 'r' }]);
    const body = Buffer.concat([marker(-1), fluentBitMsgpackV2(records), marker(-2)]);
    expect(decodeMsgpack(body, ctx).map((r) => r.line)).toEqual([records[0]?.record.log, 'second']);
  });

  it('decodes bare maps (Fluentd http with the msgpack formatter) and ignores nil heartbeats', () => {
    const body = Buffer.concat([pack({ message: 'a', host: 'h' }), pack(null), pack({ message: 'b' })]);
    expect(decodeMsgpack(body, ctx)).toEqual([{ line: 'a', host: 'h' }, { line: 'b' }]);
  });

  it('reads bin messages as UTF-8 and the msgpack timestamp extension (-1)', () => {
    const body = pack([new Date(T), { log: new Uint8Array(Buffer.from('bytes \u00e9')) }]);
    expect(decodeMsgpack(body, ctx)).toEqual([{ line: 'bytes \u00e9', ts: T }]);
  });
});

describe('Fluentd forward modes', () => {
  it('decodes Forward [tag, [[time, record], …]] with the tag as source', () => {
    const body = pack(['app.jboss', [[1714564800, { message: 'f1' }], [[new EventTime(1714564801, 0), {}], { message: 'f2' }]]]);
    expect(decodeMsgpack(body, ctx)).toEqual([
      { line: 'f1', ts: T - 123, source: 'app.jboss' },
      { line: 'f2', ts: T + 877, source: 'app.jboss' },
    ]);
  });

  it('decodes Message [tag, time, record, option]', () => {
    const body = pack(['t', new EventTime(1714564800, 123_000_000), { log: 'msg mode' }, { chunk: 'abc' }]);
    expect(decodeMsgpack(body, ctx)).toEqual([{ line: 'msg mode', ts: T, source: 't' }]);
  });

  it('decodes PackedForward as bin, as str (Fluentd out_forward) and gzip-compressed', () => {
    const entries = Buffer.concat([pack([1714564800, { message: 'p1' }]), pack([1714564800, { message: 'p2 \u00e9' }])]);
    const expected = ['p1', 'p2 \u00e9'];
    const asBin = pack(['t', entries, { size: 2 }]);
    expect(decodeMsgpack(asBin, ctx).map((r) => r.line)).toEqual(expected);
    // str32 holding raw msgpack bytes (not valid UTF-8): header 0xdb + length, then the bytes.
    const len = Buffer.alloc(4);
    len.writeUInt32BE(entries.length);
    const asStr = Buffer.concat([Buffer.from([0x92, 0xa1, 0x74, 0xdb]), len, entries]); // ["t", str32]
    expect(decodeMsgpack(asStr, ctx).map((r) => r.line)).toEqual(expected);
    const gz = pack(['t', gzipSync(entries), { compressed: 'gzip' }]);
    expect(decodeMsgpack(gz, ctx).map((r) => r.line)).toEqual(expected);
    const zstd = pack(['t', entries, { compressed: 'zstd' }]);
    expect(thrown(() => decodeMsgpack(zstd, ctx))).toBeInstanceOf(UnsupportedMediaTypeError);
  });
});

describe('msgpack errors', () => {
  it('refuses an EventTime that is not 8 bytes, naming the position', () => {
    const body = Buffer.concat([pack([T / 1000, { log: 'ok' }]), Buffer.from([0x92]), ext(0, [0, 0, 0, 1]), pack({ log: 'x' })]);
    const err = thrown(() => decodeMsgpack(body, ctx));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.code).toBe('invalid_msgpack');
    expect(err.message).toMatch(/EventTime \(ext type 0\) must be 8 bytes, got 4/);
    expect(err.message).toMatch(/after 1 records/);
  });

  it('refuses unknown extension types', () => {
    const body = Buffer.concat([Buffer.from([0x92]), ext(5, [1, 2, 3, 4, 5, 6, 7, 8]), pack({ log: 'x' })]);
    expect(thrown(() => decodeMsgpack(body, ctx)).message).toMatch(/unsupported msgpack extension type 5/);
  });

  it('refuses a truncated body and an invalid type byte', () => {
    const body = fluentBitMsgpackV2(records);
    const err = thrown(() => decodeMsgpack(body.subarray(0, body.length - 5), ctx));
    expect(err.code).toBe('invalid_msgpack');
    expect(err.message).toMatch(/truncated/);
    expect(thrown(() => decodeMsgpack(Buffer.from([0xc1]), ctx)).code).toBe('invalid_msgpack');
  });

  it('refuses a huge declared array length without allocating it', () => {
    expect(thrown(() => decodeMsgpack(Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0]), ctx)).code).toBe('invalid_msgpack');
  });

  it('refuses nesting deeper than the cap', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 80; i++) deep = [deep];
    const err = thrown(() => decodeMsgpack(Buffer.from(encode({ log: 'l', deep })), ctx));
    expect(err.code).toBe('too_deep');
    const manyLevels = Buffer.concat([Buffer.alloc(100_000, 0x91), Buffer.from([0xc0])]); // 100k nested arrays
    expect(thrown(() => decodeMsgpack(manyLevels, ctx)).code).toBe('too_deep');
  });

  it('refuses a record over maxRecordBytes and more than maxEvents with 413', () => {
    const big = fluentBitMsgpackV2([{ ms: T, record: { log: 'x'.repeat(500) } }]);
    const err = thrown(() => decodeMsgpack(big, { ...ctx, maxRecordBytes: 100 }));
    expect(err).toBeInstanceOf(BodyTooLargeError);
    expect(err.code).toBe('record_too_large');
    expect(thrown(() => decodeMsgpack(fluentBitMsgpackV2(records), { ...ctx, maxEvents: 1 })).code).toBe('too_many_events');
  });

  it('refuses an empty body', () => {
    expect(thrown(() => decodeMsgpack(Buffer.alloc(0), ctx)).code).toBe('empty_body');
  });
});
