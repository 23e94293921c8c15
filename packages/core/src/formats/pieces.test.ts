/**
 * Decoding in pieces gives exactly what decoding the whole body as one string gives: the same
 * records, or the same error (code and message, so line/column point into the whole body).
 * Pieces are made tiny here (a few bytes) so that every body is cut many times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../types.ts';
import { decodeJsonText } from './json/index.ts';
import { resolveOptions, type DecodeContext } from './options.ts';
import { cutAfter, decodeInPieces, type TextDecoderFn } from './pieces.ts';
import { decodeTextLines } from './text/index.ts';

const ctx = resolveOptions({ receivedAt: Date.UTC(2024, 4, 1, 12), maxEvents: 50 });

type Outcome = { records: LogRecord[] } | { error: string };
function outcome(fn: () => LogRecord[]): Outcome {
  try {
    return { records: fn() };
  } catch (err) {
    return { error: `${(err as { code?: string }).code}: ${(err as Error).message}` };
  }
}
const whole = (body: Buffer, decode: TextDecoderFn, c: DecodeContext = ctx): Outcome => outcome(() => decode(body.toString('utf8'), c, []));
const pieces = (body: Buffer, kind: 'json' | 'text', decode: TextDecoderFn, size: number, c: DecodeContext = ctx): Outcome =>
  outcome(() => decodeInPieces(body, kind, c, decode, size));

const message = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('}\n{', '"}\\n{"', 'a\r\nb', '{"x":1}', ''));
const record = fc.oneof(
  fc.record({ log: message, date: fc.double({ min: 1e9, max: 2e9, noNaN: true }) }),
  fc.record({ message, host: fc.string({ maxLength: 8 }) }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(message, fc.integer(), fc.constant(null))),
);
const separator = fc.constantFrom('\n', '\r\n', '\n\n', ' \n', '');

describe('decodeInPieces', () => {
  it('NDJSON and json_stream bodies: the records of the whole body, at every piece size', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(record, separator), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 64 }), fc.boolean(), (recs, size, pretty) => {
        const text = recs.map(([r, sep]) => JSON.stringify(r, null, pretty ? 1 : undefined) + sep).join('');
        const body = Buffer.from(text);
        expect(pieces(body, 'json', decodeJsonText, size)).toEqual(whole(body, decodeJsonText));
      }),
      { numRuns: 300 },
    );
  });

  it('corrupted JSON bodies: the same error as the whole body (or the same records)', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 2, maxLength: 20 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 40 }), (recs, at, byte, size) => {
        const body = Buffer.from(recs.map((r) => JSON.stringify(r)).join('\n'));
        body[at % body.length] = byte;
        expect(pieces(body, 'json', decodeJsonText, size)).toEqual(whole(body, decodeJsonText));
      }),
      { numRuns: 300 },
    );
  });

  it('plain text: the same lines, blank lines, CRLF and non-ASCII included', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: 'grapheme' }), separator), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 64 }), (ls, size) => {
        const body = Buffer.from(ls.map(([l, sep]) => l.replace(/[\r\n]/g, ' ') + (sep || '\n')).join(''));
        expect(pieces(body, 'text', decodeTextLines, size)).toEqual(whole(body, decodeTextLines));
      }),
      { numRuns: 300 },
    );
  });

  it('a limit crossed in a later piece gives the whole body’s error', () => {
    const body = Buffer.from(Array.from({ length: 60 }, (_, i) => JSON.stringify({ log: `line ${i}` })).join('\n'));
    const got = pieces(body, 'json', decodeJsonText, 100);
    expect(got).toEqual(whole(body, decodeJsonText));
    expect('error' in got && got.error).toMatch(/^too_many_events/);
  });

  it('cuts JSON only between top-level objects, text after any newline', () => {
    const body = Buffer.from('{"a":"}\\n{"}\n{"b":[{"c":1},\n{"d":2}]}\r\n{"e":3}\n');
    const cuts: number[] = [];
    for (let at = 0; at < body.length; at = cutAfter(body, at, 'json', 1)) cuts.push(at);
    expect(cuts.map((c) => body.toString('utf8', c, c + 6))).toEqual(['{"a":"', '{"b":[', '{"e":3']);
    expect(cutAfter(Buffer.from('[{"a":1},{"b":2}]'), 0, 'json', 1)).toBe(17);
    expect(cutAfter(Buffer.from('x\ny\nz'), 0, 'text', 1)).toBe(2);
  });
});
