import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochToMs, parseIsoTime, readTime, toRecord } from './index.ts';

const receivedAt = Date.UTC(2024, 4, 1, 12, 0, 5);
const ctx = { receivedAt, tag: undefined };
const T = Date.UTC(2024, 4, 1, 12, 0, 0, 123);

describe('message extraction', () => {
  it('follows the documented priority: log, message, msg, MESSAGE, short_message, event.original', () => {
    expect(toRecord({ message: 'm', log: 'l' }, ctx).line).toBe('l');
    expect(toRecord({ msg: 'x', message: 'm' }, ctx).line).toBe('m');
    expect(toRecord({ MESSAGE: 'M', msg: 'x' }, ctx).line).toBe('x');
    expect(toRecord({ MESSAGE: 'journald', short_message: 's' }, ctx).line).toBe('journald');
    expect(toRecord({ short_message: 'gelf', 'event.original': 'o' }, ctx).line).toBe('gelf');
    expect(toRecord({ 'event.original': 'dotted' }, ctx).line).toBe('dotted');
    expect(toRecord({ event: { original: 'nested', kind: 'event' } }, ctx)).toEqual({ line: 'nested', fields: { event: { kind: 'event' } } });
  });

  it('treats an ECS `log` object as a namespace, not the message', () => {
    const rec = toRecord({ message: 'the line', log: { offset: 3, file: { path: '/var/log/a.log' } } }, ctx);
    expect(rec.line).toBe('the line');
    expect(rec.source).toBe('/var/log/a.log');
    expect(rec.fields).toEqual({ log: { offset: 3, file: { path: '/var/log/a.log' } } });
  });

  it('writes a non-string message as JSON text', () => {
    expect(toRecord({ message: 42 }, ctx).line).toBe('42');
    expect(toRecord({ msg: { code: 'E1' } }, ctx).line).toBe('{"code":"E1"}');
    expect(toRecord({ log: ['a', 'b'] }, ctx).line).toBe('["a","b"]');
  });

  it('keeps a record without any message key whole, as its JSON text, with no fields', () => {
    const rec = toRecord({ level: 'ERROR', host: 'h1', time: '2024-05-01T12:00:00.123Z' }, ctx);
    expect(rec).toEqual({ line: '{"level":"ERROR","host":"h1","time":"2024-05-01T12:00:00.123Z"}', host: 'h1', ts: T });
  });

  it('turns scalars into lines and uses the request tag as source', () => {
    expect(toRecord('plain', { receivedAt, tag: 'jboss' })).toEqual({ line: 'plain', source: 'jboss' });
    expect(toRecord(null, ctx)).toEqual({ line: 'null' });
    expect(toRecord(1.5, ctx)).toEqual({ line: '1.5' });
  });

  it('does not repeat event.original in fields when it equals the message (Logstash ECS)', () => {
    const rec = toRecord({ message: 'x', event: { original: 'x', dataset: 'd' }, '@version': '1' }, ctx);
    expect(rec.fields).toEqual({ event: { dataset: 'd' }, '@version': '1' });
    const other = toRecord({ message: 'x', event: { original: 'raw x' } }, ctx);
    expect(other.fields).toEqual({ event: { original: 'raw x' } });
  });

  it('copies __proto__ keys as data, never as a prototype', () => {
    const rec = toRecord(JSON.parse('{"message":"m","__proto__":{"polluted":true}}'), ctx);
    expect(Object.getPrototypeOf(rec.fields)).toBe(Object.prototype);
    expect(Object.keys(rec.fields ?? {})).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('host, source and time extraction', () => {
  it('reads host from host, host.name (nested or dotted), hostname, HOSTNAME, _HOSTNAME', () => {
    expect(toRecord({ log: 'l', host: 'vec-1' }, ctx).host).toBe('vec-1');
    expect(toRecord({ log: 'l', host: { name: 'fb-1' } }, ctx).host).toBe('fb-1');
    expect(toRecord({ log: 'l', 'host.name': 'dot' }, ctx)).toEqual({ line: 'l', host: 'dot' });
    expect(toRecord({ log: 'l', hostname: 'a' }, ctx).host).toBe('a');
    expect(toRecord({ log: 'l', HOSTNAME: 'b' }, ctx).host).toBe('b');
    expect(toRecord({ log: 'l', _HOSTNAME: 'c' }, ctx).host).toBe('c');
  });

  it('reads source from log.file.path, file, path, source, filename, tag, then the request tag', () => {
    expect(toRecord({ log: 'l', 'log.file.path': '/a' }, ctx).source).toBe('/a');
    expect(toRecord({ message: 'l', file: '/vector/file', path: '/p' }, ctx).source).toBe('/vector/file');
    expect(toRecord({ message: 'l', path: '/p', source: 's' }, ctx).source).toBe('/p');
    expect(toRecord({ message: 'l', source: 's' }, ctx).source).toBe('s');
    expect(toRecord({ message: 'l', filename: 'f' }, ctx).source).toBe('f');
    expect(toRecord({ message: 'l', tag: 'kube.var' }, ctx)).toEqual({ line: 'l', source: 'kube.var' });
    expect(toRecord({ message: 'l' }, { receivedAt, tag: 'url-tag' }).source).toBe('url-tag');
  });

  it('reads time from @timestamp, timestamp, time, date and removes the key it used', () => {
    expect(toRecord({ log: 'l', '@timestamp': '2024-05-01T12:00:00.123Z' }, ctx)).toEqual({ line: 'l', ts: T });
    expect(toRecord({ message: 'l', timestamp: '2024-05-01T12:00:00.123456789Z', source_type: 'file' }, ctx))
      .toEqual({ line: 'l', ts: T, fields: { source_type: 'file' } });
    expect(toRecord({ log: 'l', date: 1714564800.123456 }, ctx).ts).toBe(T);
    expect(toRecord({ log: 'l', time: 1714564800123 }, ctx).ts).toBe(T);
  });

  it('ignores an implausible time (a duration) and keeps it in fields', () => {
    const rec = toRecord({ msg: 'GET /orders', time: 23 }, ctx);
    expect(rec.ts).toBeUndefined();
    expect(rec.fields).toEqual({ time: 23 });
    expect(toRecord({ msg: 'x', time: 'yesterday', date: '2024-05-01' }, ctx).ts).toBe(Date.UTC(2024, 4, 1));
  });

  it('prefers the envelope time (msgpack EventTime) over record keys', () => {
    const rec = toRecord({ log: 'l', time: '2020-01-01T00:00:00Z' }, ctx, T);
    expect(rec.ts).toBe(T);
    expect(rec.fields).toEqual({ time: '2020-01-01T00:00:00Z' });
  });
});

describe('time parsing', () => {
  it('reads every Fluent Bit json_date_format', () => {
    expect(readTime(1714564800.123456, receivedAt)).toBe(T); // double
    expect(readTime(1714564800, receivedAt)).toBe(T - 123); // epoch
    expect(readTime(1714564800123, receivedAt)).toBe(T); // epoch_ms
    expect(readTime('2024-05-01T12:00:00.123456Z', receivedAt)).toBe(T); // iso8601
    expect(readTime('2024-05-01 12:00:00.123456', receivedAt)).toBe(T); // java_sql_timestamp (UTC)
  });

  it('reads µs and ns epochs, numeric strings, offsets and comma fractions', () => {
    expect(epochToMs(1714564800123456)).toBe(T);
    expect(epochToMs(1714564800123456789)).toBe(T);
    expect(readTime('1714564800.123', receivedAt)).toBe(T);
    expect(parseIsoTime('2024-05-01T14:00:00.123+02:00')).toBe(T);
    expect(parseIsoTime('2024-05-01T07:00:00,123-0500')).toBe(T);
    expect(parseIsoTime('2024-05-01T12:00:00.1Z')).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 100));
  });

  it('does not round double seconds up across a millisecond', () => {
    expect(readTime(1714564800.123999, receivedAt)).toBe(T);
    expect(readTime(1714564800.123, receivedAt)).toBe(T);
  });

  it('rejects junk, impossible dates and times outside the plausible window', () => {
    expect(readTime('not a time', receivedAt)).toBeUndefined();
    expect(readTime('2024-13-01T00:00:00Z', receivedAt)).toBeUndefined();
    expect(readTime(Number.NaN, receivedAt)).toBeUndefined();
    expect(readTime(0, receivedAt)).toBeUndefined();
    expect(readTime(receivedAt + 3 * 86_400_000, receivedAt)).toBeUndefined();
    expect(readTime(true, receivedAt)).toBeUndefined();
  });

  it('rejects malformed ISO strings', () => {
    for (const bad of ['2024-05-01T12', '2024-05-01T12:00:00.', '2024-05-01T12:00:00+2', '2024-05-01T12:00:00Zx',
      '2024-05-01T25:00:00Z', '2024-05-01T12:60:00Z', '2024/05/01 12:00:00', '2024-05-01T12:00:00+02:00:00', '2024-5-1']) {
      expect(parseIsoTime(bad)).toBeUndefined();
    }
  });

  it('agrees with Date.parse on every toISOString() output and its offset and java_sql variants', () => {
    fc.assert(
      fc.property(fc.integer({ min: 631_152_000_000, max: 4_102_444_800_000 }), fc.integer({ min: -14 * 60, max: 14 * 60 }), (ms, off) => {
        const iso = new Date(ms).toISOString();
        expect(parseIsoTime(iso)).toBe(ms);
        expect(parseIsoTime(iso.replace('T', ' ').replace('Z', ''))).toBe(ms);
        const local = new Date(ms + off * 60_000).toISOString().slice(0, 23);
        const sign = off < 0 ? '-' : '+';
        const a = Math.abs(off);
        const zone = `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
        expect(parseIsoTime(local + zone)).toBe(Date.parse(local + zone));
      }),
    );
  });
});
