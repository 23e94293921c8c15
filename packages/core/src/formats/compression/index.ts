/**
 * Content-Encoding handling for shipper bodies, entirely in memory (node:zlib, no streams, no I/O).
 *
 * Supported: identity, gzip / x-gzip (Fluentd `compress gzip`, Fluent Bit `compress gzip`,
 * Filebeat `compression_level` > 0, Vector `gzip`, Logstash `http_compression`; several
 * concatenated gzip members are accepted), deflate (zlib-wrapped as Vector's `zlib` sends it, or
 * raw deflate as some older clients send it; told apart by the zlib header) and br (Brotli).
 * snappy, zstd (Node 20's zlib has none) and anything else answer 415.
 *
 * The decompressed-size limit is enforced by zlib while inflating (`maxOutputLength`), so a gzip
 * bomb stops at the cap plus one internal chunk instead of allocating its full output.
 */
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { BadRequestError, BodyTooLargeError, UnsupportedMediaTypeError } from '../errors.ts';

/** Limits for {@link decompressBody}. */
export interface DecompressLimits {
  /**
   * Largest body accepted after decompression, in bytes. Also applies to an identity body.
   * Passing it answers 413 (`body_too_large`).
   */
  maxDecompressedBytes: number;
}

type Codec = 'gzip' | 'deflate' | 'br';

/** Content-Encoding tokens we decode, lower-case. `identity` is handled before this lookup. */
const CODECS: Readonly<Record<string, Codec>> = {
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
  br: 'br',
};

/**
 * Undoes `Content-Encoding` on a request body.
 *
 * @param body raw request body
 * @param contentEncoding the header value (`undefined`/empty = identity); a comma-separated list
 *   is undone right to left as RFC 9110 §8.4 prescribes
 * @param limits see {@link DecompressLimits}
 * @returns the decoded body (the same Buffer for identity)
 * @throws BodyTooLargeError (413) past `maxDecompressedBytes`
 * @throws BadRequestError (400) on corrupt or truncated data
 * @throws UnsupportedMediaTypeError (415) on an encoding we do not support
 */
export function decompressBody(body: Buffer, contentEncoding: string | undefined, limits: DecompressLimits): Buffer {
  const max = limits.maxDecompressedBytes;
  const codecs = parseEncoding(contentEncoding);
  let out = body;
  for (let i = codecs.length - 1; i >= 0; i--) {
    out = inflate(out, codecs[i] as Codec, max);
  }
  if (codecs.length === 0 && isGzipMagic(out)) {
    // A gzip body sent without its header (misconfigured proxies, hand-made curl calls): 0x1f 0x8b
    // cannot start JSON, msgpack records or text, so decoding it is safe and saves a confusing 400.
    out = inflate(out, 'gzip', max);
  }
  if (out.length > max) {
    throw new BodyTooLargeError('body_too_large', `body of ${out.length} bytes exceeds the limit of ${max} bytes`);
  }
  return out;
}

function parseEncoding(header: string | undefined): Codec[] {
  if (header === undefined) return [];
  const codecs: Codec[] = [];
  for (const raw of header.split(',')) {
    const token = raw.trim().toLowerCase();
    if (token === '' || token === 'identity') continue;
    const codec = CODECS[token];
    if (codec === undefined) {
      throw new UnsupportedMediaTypeError(
        'unsupported_encoding',
        `Content-Encoding "${token}" is not supported (use gzip, deflate or br, or none)`,
      );
    }
    codecs.push(codec);
  }
  return codecs;
}

function isGzipMagic(b: Buffer): boolean {
  return b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08;
}

/** True when `b` starts with a valid zlib (RFC 1950) header: CM = 8 and the FCHECK bits. */
function isZlibHeader(b: Buffer): boolean {
  if (b.length < 2) return false;
  const cmf = b[0] as number;
  const flg = b[1] as number;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (cmf * 256 + flg) % 31 === 0;
}

function inflate(input: Buffer, codec: Codec, max: number): Buffer {
  if (input.length === 0) return input; // nothing to decode; decodeBody answers "empty body"
  const opts = { maxOutputLength: Math.max(1, max) };
  try {
    switch (codec) {
      case 'gzip':
        return gunzipSync(input, opts);
      case 'deflate':
        if (isGzipMagic(input)) return gunzipSync(input, opts);
        return isZlibHeader(input) ? inflateSync(input, opts) : inflateRawSync(input, opts);
      case 'br':
        return brotliDecompressSync(input, opts);
    }
  } catch (err) {
    throw translate(err, codec, max);
  }
}

function translate(err: unknown, codec: Codec, max: number): Error {
  const e = err as { code?: unknown; message?: unknown };
  if (e.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
    return new BodyTooLargeError(
      'body_too_large',
      `${codec} body decompresses to more than the limit of ${max} bytes`,
    );
  }
  const detail = typeof e.message === 'string' ? e.message : String(err);
  if (e.code === 'Z_BUF_ERROR') {
    return new BadRequestError('invalid_compression', `${codec} body is truncated (${detail})`);
  }
  return new BadRequestError('invalid_compression', `${codec} body is corrupt (${detail})`);
}
