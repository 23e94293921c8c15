import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BadRequestError, BodyTooLargeError, UnsupportedMediaTypeError } from '../errors.ts';
import { decompressBody } from './index.ts';

const limits = { maxDecompressedBytes: 1 << 20 };
const text = Buffer.from('{"log":"2024-05-01 12:00:00,123 INFO [org.jboss.as] (main) WFLYSRV0025: started"}\n'.repeat(50));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('decompressBody', () => {
  it('returns an identity body untouched (no header, empty header, "identity")', () => {
    expect(decompressBody(text, undefined, limits)).toBe(text);
    expect(decompressBody(text, '', limits)).toBe(text);
    expect(decompressBody(text, 'identity', limits)).toBe(text);
  });

  it('gunzips gzip and x-gzip, case-insensitively', () => {
    const gz = gzipSync(text);
    expect(decompressBody(gz, 'gzip', limits).equals(text)).toBe(true);
    expect(decompressBody(gz, 'X-GZIP', limits).equals(text)).toBe(true);
  });

  it('accepts concatenated gzip members (whole-body gzip made of several writes)', () => {
    const a = Buffer.from('first\n');
    const b = Buffer.from('second\n');
    const out = decompressBody(Buffer.concat([gzipSync(a), gzipSync(b)]), 'gzip', limits);
    expect(out.toString()).toBe('first\nsecond\n');
  });

  it('inflates deflate sent zlib-wrapped (Vector `zlib`) and raw', () => {
    expect(decompressBody(deflateSync(text), 'deflate', limits).equals(text)).toBe(true);
    expect(decompressBody(deflateRawSync(text), 'deflate', limits).equals(text)).toBe(true);
  });

  it('decodes br and a stacked encoding list right to left', () => {
    expect(decompressBody(brotliCompressSync(text), 'br', limits).equals(text)).toBe(true);
    const stacked = gzipSync(deflateSync(text)); // deflate applied first, then gzip
    expect(decompressBody(stacked, 'deflate, gzip', limits).equals(text)).toBe(true);
  });

  it('gunzips a gzip body sent without Content-Encoding (magic bytes)', () => {
    expect(decompressBody(gzipSync(text), undefined, limits).equals(text)).toBe(true);
  });

  it('passes an empty compressed body through (decodeBody then answers "empty body")', () => {
    expect(decompressBody(Buffer.alloc(0), 'gzip', limits).length).toBe(0);
  });

  it('refuses a gzip bomb (50 MB of zeros) under a 1 MB cap without allocating it', () => {
    const bomb = gzipSync(Buffer.alloc(50_000_000));
    expect(bomb.length).toBeLessThan(100_000);
    const before = process.memoryUsage().arrayBuffers;
    const err = thrown(() => decompressBody(bomb, 'gzip', { maxDecompressedBytes: 1_000_000 }));
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(err).toBeInstanceOf(BodyTooLargeError);
    expect((err as BodyTooLargeError).status).toBe(413);
    expect((err as BodyTooLargeError).code).toBe('body_too_large');
    expect(grown).toBeLessThan(8_000_000); // the cap plus zlib chunks, never 50 MB
  });

  it('refuses a deflate and a brotli bomb the same way', () => {
    const cap = { maxDecompressedBytes: 100_000 };
    expect(thrown(() => decompressBody(deflateSync(Buffer.alloc(5_000_000)), 'deflate', cap))).toBeInstanceOf(BodyTooLargeError);
    expect(thrown(() => decompressBody(brotliCompressSync(Buffer.alloc(5_000_000)), 'br', cap))).toBeInstanceOf(BodyTooLargeError);
  });

  it('accepts a body that decompresses to exactly the cap', () => {
    const out = decompressBody(gzipSync(Buffer.alloc(4096, 0x61)), 'gzip', { maxDecompressedBytes: 4096 });
    expect(out.length).toBe(4096);
  });

  it('refuses an identity body over the cap with 413', () => {
    const err = thrown(() => decompressBody(Buffer.alloc(11), undefined, { maxDecompressedBytes: 10 }));
    expect(err).toBeInstanceOf(BodyTooLargeError);
  });

  it('answers 400 on a truncated gzip body, naming the truncation', () => {
    const gz = gzipSync(text);
    const err = thrown(() => decompressBody(gz.subarray(0, gz.length - 10), 'gzip', limits));
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).status).toBe(400);
    expect((err as BadRequestError).code).toBe('invalid_compression');
    expect((err as Error).message).toMatch(/gzip body is truncated/);
  });

  it('answers 400 on a corrupt gzip body and on garbage after a member', () => {
    const notGzip = thrown(() => decompressBody(text, 'gzip', limits));
    expect(notGzip).toBeInstanceOf(BadRequestError);
    expect((notGzip as Error).message).toMatch(/gzip body is corrupt/);
    const gz = Buffer.from(gzipSync(text));
    gz[gz.length - 12] = (gz[gz.length - 12] as number) ^ 0xff; // flip a byte of the deflate stream
    expect(thrown(() => decompressBody(gz, 'gzip', limits))).toBeInstanceOf(BadRequestError);
    const junk = Buffer.concat([gzipSync(text), Buffer.from('junk')]);
    expect(thrown(() => decompressBody(junk, 'gzip', limits))).toBeInstanceOf(BadRequestError);
  });

  it('answers 415 on snappy, zstd and unknown encodings', () => {
    for (const enc of ['snappy', 'zstd', 'compress', 'gzip, lz4']) {
      const err = thrown(() => decompressBody(text, enc, limits));
      expect(err).toBeInstanceOf(UnsupportedMediaTypeError);
      expect((err as UnsupportedMediaTypeError).status).toBe(415);
      expect((err as UnsupportedMediaTypeError).code).toBe('unsupported_encoding');
    }
  });
});
