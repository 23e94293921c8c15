/**
 * Byte-level mutations and hostile bodies for the ingest fuzzer: bit flips, truncation, splicing,
 * duplication, gzip members and bombs, deep nesting, huge strings, invalid UTF-8, bad msgpack
 * extension values and Elasticsearch bulk bodies with missing lines. Pure functions of their
 * arguments (the fast-check arbitraries in ./cases.ts draw the arguments).
 */
import { brotliCompressSync, constants, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';

export type MutationOp = 'flip' | 'set' | 'truncate' | 'splice' | 'duplicate' | 'insert' | 'delete' | 'swap-lines';

export interface Mutation {
  op: MutationOp;
  /** Positions / lengths, reduced modulo the body length. */
  a: number;
  b: number;
  byte: number;
}

/** Apply one mutation; `other` is a second body used by splice. */
export function mutate(body: Buffer, m: Mutation, other: Buffer): Buffer {
  const n = body.length;
  if (n === 0) return m.op === 'insert' || m.op === 'splice' ? Buffer.concat([body, other.subarray(0, 64)]) : body;
  const i = m.a % n;
  switch (m.op) {
    case 'flip': {
      const out = Buffer.from(body);
      out[i] = (out[i] as number) ^ (1 << (m.byte % 8));
      return out;
    }
    case 'set': {
      const out = Buffer.from(body);
      out[i] = m.byte;
      return out;
    }
    case 'truncate':
      return body.subarray(0, i);
    case 'splice': {
      const j = other.length === 0 ? 0 : m.b % other.length;
      return Buffer.concat([body.subarray(0, i), other.subarray(j)]);
    }
    case 'duplicate': {
      const len = 1 + (m.b % Math.min(n - i, 4096));
      const piece = body.subarray(i, i + len);
      return Buffer.concat([body.subarray(0, i + len), piece, piece, body.subarray(i + len)]);
    }
    case 'insert': {
      const junk = Buffer.alloc(1 + (m.b % 16), m.byte);
      return Buffer.concat([body.subarray(0, i), junk, body.subarray(i)]);
    }
    case 'delete':
      return Buffer.concat([body.subarray(0, i), body.subarray(i + 1 + (m.b % 64))]);
    case 'swap-lines': {
      const ls = body.toString('latin1').split('\n');
      if (ls.length < 2) return body;
      const x = m.a % ls.length;
      const y = m.b % ls.length;
      [ls[x], ls[y]] = [ls[y] as string, ls[x] as string];
      return Buffer.from(ls.join('\n'), 'latin1');
    }
  }
}

export type Encoding = 'gzip' | 'deflate' | 'deflate-raw' | 'br';

export function compress(body: Buffer, enc: Encoding): Buffer {
  if (enc === 'gzip') return gzipSync(body, { level: 1 });
  if (enc === 'deflate') return deflateSync(body, { level: 1 });
  if (enc === 'deflate-raw') return deflateRawSync(body, { level: 1 });
  return brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } });
}

/** The Content-Encoding token for a compression (raw deflate is sent as `deflate`). */
export function encodingHeader(enc: Encoding): string {
  return enc === 'deflate-raw' ? 'deflate' : enc;
}

/** Decompressed size of every bomb: 24 MiB, past the fuzz runs' 16 MiB MAX_DECOMPRESSED_BYTES. */
const BOMB_BYTES = 24 << 20;
const bombs = new Map<number, { body: Buffer; encoding: string }>();

/** Bombs (built once each, on first use): gzip, deflate, br, gzip-in-gzip, 24 gzip members, gzip sent without a header. */
export function bomb(kind: number): { body: Buffer; encoding: string } {
  const k = kind % 6;
  let b = bombs.get(k);
  if (b === undefined) {
    const zeros = () => Buffer.alloc(BOMB_BYTES);
    switch (k) {
      case 0:
        b = { body: gzipSync(zeros(), { level: 9 }), encoding: 'gzip' };
        break;
      case 1:
        b = { body: deflateSync(zeros(), { level: 9 }), encoding: 'deflate' };
        break;
      case 2:
        b = { body: brotliCompressSync(zeros(), { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }), encoding: 'br' };
        break;
      case 3:
        b = { body: gzipSync(bomb(0).body, { level: 9 }), encoding: 'gzip, gzip' };
        break;
      case 4:
        b = { body: Buffer.concat(Array.from({ length: 24 }, () => gzipSync(Buffer.alloc(1 << 20), { level: 9 }))), encoding: 'gzip' };
        break;
      default:
        b = { body: bomb(0).body, encoding: '' }; // gzip magic without a header: sniffed and inflated
    }
    bombs.set(k, b);
  }
  return b;
}

/** Deeply nested JSON or msgpack, `depth` levels. */
export function nested(kind: number, depth: number): { body: Buffer; contentType: string } {
  switch (kind % 5) {
    case 0:
      return { body: Buffer.from('['.repeat(depth) + ']'.repeat(depth)), contentType: 'application/json' };
    case 1:
      return { body: Buffer.from('{"log":'.repeat(depth) + '"x"' + '}'.repeat(depth)), contentType: 'application/x-ndjson' };
    case 2:
      return { body: Buffer.from('['.repeat(depth)), contentType: 'application/json' }; // never closed
    case 3:
      return { body: Buffer.concat([Buffer.alloc(depth, 0x91), Buffer.from([0xc0])]), contentType: 'application/msgpack' };
    default:
      return { body: Buffer.from(`{"create":{}}\n${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}\n`), contentType: 'application/x-ndjson' };
  }
}

/**
 * One huge value: a string of `mb` MiB as a JSON message, a text line, a bulk document or msgpack
 * str; or one record of ~1 MB made of 100k short lines (a JSON `log` value under the record limit).
 */
export function huge(kind: number, mb: number): { body: Buffer; contentType: string } {
  const s = 'A'.repeat(Math.floor(mb * 1024 * 1024));
  if (kind % 6 >= 4) {
    const unit = kind % 6 === 4 ? '\nException' : '\nx';
    const log = `2024-05-01 12:00:00,000 ERROR [a.B] (main) boom${unit.repeat(Math.floor(1_000_000 / unit.length))}`;
    return { body: Buffer.from(JSON.stringify({ log })), contentType: 'application/json' };
  }
  switch (kind % 4) {
    case 0:
      return { body: Buffer.from(JSON.stringify({ log: s })), contentType: 'application/json' };
    case 1:
      return { body: Buffer.from(`${s}\n`), contentType: 'text/plain' };
    case 2:
      return { body: Buffer.from(`{"index":{}}\n${JSON.stringify({ message: s })}\n`), contentType: 'application/x-ndjson' };
    default: {
      const str = Buffer.from(s);
      const head = Buffer.from([0x81, 0xa3, 0x6c, 0x6f, 0x67, 0xdb, 0, 0, 0, 0]); // {"log": str32}
      head.writeUInt32BE(str.length, 6);
      return { body: Buffer.concat([head, str]), contentType: 'application/msgpack' };
    }
  }
}

const BAD_UTF8 = [
  [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf5, 0x80, 0x80, 0x80], [0x80], [0xbf], [0xe2, 0x82], [0xff, 0xfe], [0xf0, 0x9f, 0x98],
].map((b) => Buffer.from(b));

/** Invalid UTF-8 placed inside a JSON string, a text line, a msgpack str or a bulk document. */
export function invalidUtf8(kind: number, which: number): { body: Buffer; contentType: string | undefined } {
  const bad = BAD_UTF8[which % BAD_UTF8.length] as Buffer;
  const cat = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
  switch (kind % 5) {
    case 0:
      return { body: cat('{"log":"2024-05-01 12:00:00,000 INFO [a] (b) x', bad, 'y"}\n'), contentType: 'application/x-ndjson' };
    case 1:
      return { body: cat('2024-05-01 12:00:00,000 INFO [a] (b) caf', bad, '\n', bad, '\n'), contentType: undefined };
    case 2:
      return { body: cat(Buffer.from([0x81, 0xa3]), 'log', Buffer.from([0xa0 | (bad.length + 2)]), 'x', bad, 'y'), contentType: 'application/msgpack' };
    case 3:
      return { body: cat('{"index":{}}\n{"message":"', bad, '"}\n'), contentType: 'application/x-ndjson' };
    default:
      return { body: cat('{"logs":["', bad, '"]}'), contentType: 'application/json' };
  }
}

/** msgpack bodies with bad extension values and lying lengths. */
export function badMsgpack(kind: number, x: number): Buffer {
  const rec = Buffer.from([0x81, 0xa3, 0x6c, 0x6f, 0x67, 0xa1, 0x78]); // {"log":"x"}
  const u32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v >>> 0);
    return b;
  };
  switch (kind % 10) {
    case 0: // fixext8 of an unknown type
      return Buffer.concat([Buffer.from([0x92, 0xd7, (x % 120) + 1]), Buffer.alloc(8, 1), rec]);
    case 1: // EventTime with 4 bytes
      return Buffer.concat([Buffer.from([0x92, 0xd6, 0x00]), u32(x), rec]);
    case 2: // EventTime with nanoseconds out of range
      return Buffer.concat([Buffer.from([0x92, 0xd7, 0x00]), u32(1714564800), u32(1_000_000_000 + x), rec]);
    case 3: // ext32 claiming a huge payload
      return Buffer.concat([Buffer.from([0x92, 0xc9]), u32(0xfffffff0), Buffer.from([0x00]), rec]);
    case 4: // str32 longer than the body
      return Buffer.concat([Buffer.from([0x81, 0xa3, 0x6c, 0x6f, 0x67, 0xdb]), u32(0x7fffffff), Buffer.from('abc')]);
    case 5: // map32 / array32 with a huge count
      return Buffer.concat([Buffer.from([x % 2 ? 0xdf : 0xdd]), u32(0xffffffff), rec]);
    case 6: // timestamp ext (-1) with a bad length
      return Buffer.concat([Buffer.from([0x92, 0xc7, 3, 0xff, 1, 2, 3]), rec]);
    case 7: // forward PackedForward with garbage entries, declared gzip
      return Buffer.concat([Buffer.from([0x93, 0xa3, 0x61, 0x2e, 0x62, 0xc4, 4, 1, 2, 3, 4, 0x81, 0xaa]), Buffer.from('compressed'), Buffer.from([0xa4]), Buffer.from('gzip')]);
    case 8: // forward with zstd compression
      return Buffer.concat([Buffer.from([0x93, 0xa3, 0x61, 0x2e, 0x62, 0xc4, 1, 0x90, 0x81, 0xaa]), Buffer.from('compressed'), Buffer.from([0xa4]), Buffer.from('zstd')]);
    default: // reserved byte 0xc1 and never-used types
      return Buffer.concat([rec, Buffer.from([0xc1, 0x92, 0xc1]), rec]);
  }
}

/** Elasticsearch bulk bodies with missing or malformed action/document lines. */
export function badBulk(kind: number, n: number): string {
  const doc = (i: number) => JSON.stringify({ message: `2024-05-01 12:00:00,000 INFO [a] (b) m${i}` });
  const act = '{"create":{"_index":"logs"}}';
  const k = Math.max(1, n % 20);
  const docs = Array.from({ length: k }, (_, i) => doc(i));
  switch (kind % 12) {
    case 0: // documents only: no action lines at all
      return `${docs.join('\n')}\n`;
    case 1: // action lines dropped from every other pair
      return docs.map((d, i) => (i % 2 ? d : `${act}\n${d}`)).join('\n') + '\n';
    case 2: // a trailing action with no document
      return `${docs.map((d) => `${act}\n${d}`).join('\n')}\n${act}\n`;
    case 3: // unknown action / two keys / non-object action
      return `{"upsert":{}}\n${docs[0]}\n{"create":{},"index":{}}\n${docs[0]}\n[1,2]\n${docs[0]}\n"index"\n${docs[0]}\n`;
    case 4: // update without doc, scripted update
      return `{"update":{"_id":"1"}}\n{"script":{"source":"x"}}\n{"update":{}}\n{"doc":"str"}\n`;
    case 5: // actions only
      return `${act}\n`.repeat(k);
    case 6: // documents that are not objects
      return `${act}\n[1]\n${act}\n"s"\n${act}\nnull\n${act}\n{"message":1e999}\n`;
    case 7: // blank lines, CRLF, trailing junk on lines
      return `\r\n${act}\r\n\r\n${docs[0]} junk\r\n${act}\n${docs[0]}}\n`;
    case 8: // the first line is not JSON
      return `not json\n${act}\n${docs[0]}\n`;
    case 9: // _index / _id of odd types
      return `{"create":{"_index":["a"],"_id":{"x":1}}}\n${docs[0]}\n{"index":{"_index":"","_id":null}}\n${docs[0]}\n`;
    case 10: // delete lines mixed with documents that look like actions
      return `{"delete":{"_id":"1"}}\n{"create":{}}\n{"delete":{}}\n${docs[0]}\n`;
    default: // malformed action line followed by its document
      return `${act}\n${docs[0]}\n{"create":\n${docs[0]}\n${act}\n${docs[0]}\n`;
  }
}
