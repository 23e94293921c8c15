import { describe, expect, it } from 'vitest';
import { BodyTooLargeError } from '../errors.ts';
import { resolveOptions } from '../options.ts';
import { decodeTextLines } from './index.ts';
import { thrown } from '../fixtures/thrown.ts';

const ctx = resolveOptions({ receivedAt: Date.UTC(2024, 4, 1) });

describe('plain text', () => {
  it('makes one record per line, LF or CRLF, with or without a final newline', () => {
    const lines = ['2024-05-01 12:00:00,123 ERROR [org.jboss.as] (main) boom', '\tat org.x.Y.z(Y.java:1)', 'Caused by: java.io.IOException'];
    for (const eol of ['\n', '\r\n']) {
      expect(decodeTextLines(lines.join(eol), ctx).map((r) => r.line)).toEqual(lines);
      expect(decodeTextLines(lines.join(eol) + eol, ctx).map((r) => r.line)).toEqual(lines);
    }
  });

  it('skips blank and whitespace-only lines but keeps leading whitespace of others', () => {
    expect(decodeTextLines('\n  a\n \t \r\n\nb  \n', ctx)).toEqual([{ line: '  a' }, { line: 'b  ' }]);
  });

  it('tags records with the request tag', () => {
    expect(decodeTextLines('x', { ...ctx, tag: 'curl' })).toEqual([{ line: 'x', source: 'curl' }]);
  });

  it('refuses a body without any line, an over-long line and too many lines', () => {
    expect(thrown(() => decodeTextLines(' \n\r\n', ctx)).code).toBe('empty_body');
    const long = thrown(() => decodeTextLines(`ok\n${'x'.repeat(101)}\n`, { ...ctx, maxRecordBytes: 100 }));
    expect(long).toBeInstanceOf(BodyTooLargeError);
    expect(long.code).toBe('record_too_large');
    expect(thrown(() => decodeTextLines('a\nb\nc', { ...ctx, maxEvents: 2 })).code).toBe('too_many_events');
  });
});
