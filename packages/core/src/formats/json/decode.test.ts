import { describe, expect, it } from 'vitest';
import { BadRequestError, BodyTooLargeError } from '../errors.ts';
import { fluentdJsonArray, jsonStream, ndjson } from '../fixtures/bodies.ts';
import { resolveOptions } from '../options.ts';
import { decodeJsonText } from './index.ts';
import { thrown } from '../fixtures/thrown.ts';

const receivedAt = Date.UTC(2024, 4, 1, 12, 0, 5);
const ctx = resolveOptions({ receivedAt });
const recs = [{ message: 'one' }, { message: 'two "quoted" {braces} [brackets] \\ back' }, { message: 'three\nlines\n\tat x' }];
const lines = recs.map((r) => r.message);
const decode = (text: string, c = ctx) => decodeJsonText(text, c).map((r) => r.line);

describe('JSON framings', () => {
  it('decodes a JSON array, one record per element', () => {
    expect(decode(JSON.stringify(recs))).toEqual(lines);
  });

  it("decodes Fluentd's json_array body with newline-before-comma", () => {
    const body = fluentdJsonArray([{ a: 1 }, { a: 2 }]);
    expect(body).toBe('[{"a":1}\n,{"a":2}\n]');
    expect(decode(body)).toEqual(['{"a":1}', '{"a":2}']);
  });

  it('decodes a single object and one pretty-printed object', () => {
    expect(decode('{"message":"only"}')).toEqual(['only']);
    expect(decode(JSON.stringify({ message: 'pretty', n: [1, 2] }, null, 2))).toEqual(['pretty']);
  });

  it('decodes NDJSON with and without a final newline, with CRLF and blank lines', () => {
    expect(decode(ndjson(recs))).toEqual(lines);
    expect(decode(ndjson(recs, false))).toEqual(lines);
    expect(decode(ndjson(recs, true, '\r\n'))).toEqual(lines);
    expect(decode(`\n\n${ndjson(recs, true, '\n\n')}\n  \n`)).toEqual(lines);
  });

  it('decodes json_stream (no separator) and NUL-delimited GELF', () => {
    expect(decode(jsonStream(recs))).toEqual(lines);
    const gelf = [{ version: '1.1', host: 'h', short_message: 'g1' }, { version: '1.1', host: 'h', short_message: 'g2' }];
    expect(decodeJsonText(gelf.map((g) => JSON.stringify(g) + '\0').join(''), ctx)).toEqual([
      { line: 'g1', host: 'h', fields: { version: '1.1' } },
      { line: 'g2', host: 'h', fields: { version: '1.1' } },
    ]);
  });

  it('skips a UTF-8 BOM and keeps non-ASCII text', () => {
    expect(decode('\ufeff{"log":"caf\u00e9 \u65e5\u672c"}')).toEqual(['caf\u00e9 \u65e5\u672c']);
  });

  it('turns top-level strings and numbers into lines', () => {
    expect(decode('"just text"\n42\n')).toEqual(['just text', '42']);
    expect(decode('["a","b"]')).toEqual(['a', 'b']);
  });
});

describe('JSON errors', () => {
  it('reports malformed NDJSON with its line and column', () => {
    const err = thrown(() => decode('{"message":"ok"}\n{"message":"bad",}\n'));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('invalid_json');
    expect(err.message).toMatch(/line 2, column \d+/);
    expect(err.offset).toBeGreaterThan(16);
  });

  it('reports a truncated array (a Fluentd retry after a timeout) as never closed', () => {
    const err = thrown(() => decode('[{"a":1}\n,{"a":2'));
    expect(err.code).toBe('invalid_json');
    expect(err.message).toMatch(/never closed/);
  });

  it('refuses an unterminated string and junk between values', () => {
    expect(thrown(() => decode('{"message":"oops}')).code).toBe('invalid_json');
    expect(thrown(() => decode('{"a":1},{"a":2}')).code).toBe('invalid_json');
  });

  it('refuses an empty or whitespace-only body', () => {
    expect(thrown(() => decode('')).code).toBe('empty_body');
    expect(thrown(() => decode(' \r\n\t')).message).toMatch(/empty body/);
  });

  it('refuses nesting deeper than the cap without parsing it (no stack overflow)', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const err = thrown(() => decode(deep));
    expect(err.code).toBe('too_deep');
    expect(err.status).toBe(400);
    const atCap = { message: 'x', a: { b: { c: 1 } } }; // depth 3
    expect(decode(JSON.stringify(atCap), { ...ctx, maxDepth: 3 })).toEqual(['x']);
    expect(thrown(() => decode(JSON.stringify(atCap), { ...ctx, maxDepth: 2 })).code).toBe('too_deep');
    expect(decode(JSON.stringify([atCap]), { ...ctx, maxDepth: 3 })).toEqual(['x']); // the array level is free
  });

  it('is not fooled by brackets and escaped quotes inside strings', () => {
    const tricky = { message: '[[[[{{{{\\"\\\\"', k: '\\' };
    expect(decode(JSON.stringify(tricky), { ...ctx, maxDepth: 1 })).toEqual([tricky.message]);
  });

  it('refuses a single record over the size cap with 413, in every framing', () => {
    const small = { ...ctx, maxRecordBytes: 100 };
    const big = { message: 'x'.repeat(200) };
    for (const body of [JSON.stringify(big), ndjson([{ m: 1 }, big]), JSON.stringify([{ m: 1 }, big]), JSON.stringify(['y'.repeat(200)])]) {
      const err = thrown(() => decode(body, small));
      expect(err).toBeInstanceOf(BodyTooLargeError);
      expect(err.code).toBe('record_too_large');
    }
    expect(decode(JSON.stringify(Array.from({ length: 50 }, () => ({ m: 'ok' }))), small)).toHaveLength(50);
  });

  it('refuses more than maxEvents events with 413', () => {
    const c = { ...ctx, maxEvents: 2 };
    expect(decode(ndjson(recs.slice(0, 2)), c)).toHaveLength(2);
    expect(thrown(() => decode(ndjson(recs), c)).code).toBe('too_many_events');
    expect(thrown(() => decode(JSON.stringify(recs), c)).status).toBe(413);
  });
});
