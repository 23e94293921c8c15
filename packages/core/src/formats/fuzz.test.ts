/**
 * Property tests: on any input the decoders either return records or throw a FormatError (never
 * another exception), and they never lose a line of text, NDJSON, JSON, msgpack or bulk.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from './errors.ts';
import { bulkBody, fluentBitMsgpackV2, ndjson } from './fixtures/bodies.ts';
import { decodeBody, decodeBulk, decompressBody } from './index.ts';

const receivedAt = Date.UTC(2024, 4, 1, 12);
const CONTENT_TYPES = [undefined, 'application/json', 'application/x-ndjson', 'application/msgpack', 'text/plain', 'application/octet-stream'];
const ENCODINGS = [undefined, 'gzip', 'deflate', 'br', 'identity'];

/** Runs fn; fails the property when it throws anything but a FormatError. */
function onlyFormatErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof FormatError)) throw new Error(`non-FormatError escaped: ${String(err)}`);
  }
}

/** Random bytes, or a valid body of some format with random corruption (flip, cut, splice). */
const bodies = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
  fc.tuple(fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 5 }), fc.nat(), fc.nat(255), fc.integer({ min: 0, max: 3 }))
    .map(([msgs, at, byte, kind]) => {
      const base = [
        Buffer.from(ndjson(msgs.map((m) => ({ log: m })))),
        Buffer.from(JSON.stringify(msgs.map((m) => ({ message: m, n: [1, { x: m }] })))),
        fluentBitMsgpackV2(msgs.map((m, i) => ({ ms: receivedAt - i, record: { log: m } }))),
        Buffer.from(bulkBody({ create: { _index: 'x' } }, msgs.map((m) => ({ message: m })))),
      ][kind] as Buffer;
      const b = Buffer.from(base);
      const i = at % Math.max(1, b.length);
      if (byte % 3 === 0) return b.subarray(0, i); // truncate
      b[i] = byte; // flip
      return b;
    }),
);

describe('robustness on arbitrary input', () => {
  it('decodeBody returns records or throws a FormatError', () => {
    fc.assert(
      fc.property(bodies, fc.constantFrom(...CONTENT_TYPES), (body, contentType) => {
        onlyFormatErrors(() => {
          const recs = decodeBody(body, { contentType, receivedAt, maxDepth: 8 });
          for (const r of recs) expect(typeof r.line).toBe('string');
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('decodeBulk returns one item per action or throws a FormatError', () => {
    fc.assert(
      fc.property(bodies, (body) => {
        onlyFormatErrors(() => {
          const { records, items } = decodeBulk(body, { receivedAt, maxDepth: 8 });
          expect(items.filter((i) => i.record !== undefined)).toHaveLength(records.length);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('decompressBody returns a buffer within the cap or throws a FormatError', () => {
    const compressed = fc.oneof(
      bodies,
      fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.nat(), fc.nat(255)).map(([b, at, byte]) => {
        const gz = Buffer.from(gzipSync(Buffer.from(b)));
        gz[at % gz.length] = byte;
        return gz;
      }),
    );
    fc.assert(
      fc.property(compressed, fc.constantFrom(...ENCODINGS), (body, enc) => {
        onlyFormatErrors(() => {
          expect(decompressBody(body, enc, { maxDecompressedBytes: 4096 }).length).toBeLessThanOrEqual(4096);
        });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('no line is ever lost', () => {
  /** A text line: no newline, not blank, no trailing CR, no leading BOM. */
  const textLine = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
    .filter((s) => !s.includes('\n') && !s.endsWith('\r') && !s.startsWith('\ufeff') && /[^ \t\r\ufeff]/.test(s));
  /** Any message, including lone surrogates, newlines and JSON-looking text. */
  const message = fc.string({ unit: 'binary', maxLength: 80 });

  it('plain text: one record per line, exactly', () => {
    fc.assert(
      fc.property(fc.array(textLine, { minLength: 1, maxLength: 30 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, eol, final) => {
        const body = Buffer.from(lines.join(eol) + (final ? eol : ''));
        expect(decodeBody(body, { contentType: 'text/plain', receivedAt }).map((r) => r.line)).toEqual(lines);
      }),
    );
  });

  it('NDJSON, JSON arrays, msgpack and bulk: every message comes back', () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 30 }), fc.boolean(), (msgs, final) => {
        const recs = msgs.map((m) => ({ message: m }));
        const decode = (body: Buffer, contentType: string) => decodeBody(body, { contentType, receivedAt }).map((r) => r.line);
        expect(decode(Buffer.from(ndjson(recs, final)), 'application/x-ndjson')).toEqual(msgs);
        expect(decode(Buffer.from(ndjson(recs, final, '\r\n')), 'application/x-ndjson')).toEqual(msgs);
        expect(decode(Buffer.from(JSON.stringify(recs)), 'application/json')).toEqual(msgs);
        const mp = fluentBitMsgpackV2(msgs.map((m) => ({ ms: receivedAt, record: { log: m } })));
        expect(decode(mp, 'application/msgpack')).toEqual(msgs);
        const bulk = decodeBulk(Buffer.from(bulkBody({ create: { _index: 'i' } }, recs)), { receivedAt });
        expect(bulk.records.map((r) => r.line)).toEqual(msgs);
        expect(bulk.items.every((i) => i.status === 201)).toBe(true);
      }),
    );
  });
});
