/**
 * A tiny msgpack writer for tests: just what Fluent Bit's `out_http format msgpack` chunk holds
 * (arrays, maps, strings, ints, EventTime ext), written byte by byte so the test does not share
 * the decoder's library.
 */
export type Pack = string | number | Pack[] | { [k: string]: Pack } | EventTime;

export class EventTime {
  constructor(
    readonly seconds: number,
    readonly nanos: number,
  ) {}
}

function header(len: number, fix: number, fixMax: number, c16: number, c32: number): number[] {
  if (len <= fixMax) return [fix | len];
  if (len < 0x10000) return [c16, len >> 8, len & 0xff];
  return [c32, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff];
}

export function pack(v: Pack): Buffer {
  if (v instanceof EventTime) {
    const b = Buffer.alloc(10);
    b[0] = 0xd7;
    b[1] = 0x00;
    b.writeUInt32BE(v.seconds, 2);
    b.writeUInt32BE(v.nanos, 6);
    return b;
  }
  if (typeof v === 'string') {
    const s = Buffer.from(v, 'utf8');
    const h = s.length < 32 ? [0xa0 | s.length] : s.length < 256 ? [0xd9, s.length] : header(s.length, 0, -1, 0xda, 0xdb);
    return Buffer.concat([Buffer.from(h), s]);
  }
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error('test packer: unsigned ints only');
    if (v < 128) return Buffer.from([v]);
    const b = Buffer.alloc(5);
    b[0] = 0xce;
    b.writeUInt32BE(v, 1);
    return b;
  }
  if (Array.isArray(v)) return Buffer.concat([Buffer.from(header(v.length, 0x90, 15, 0xdc, 0xdd)), ...v.map(pack)]);
  const entries = Object.entries(v);
  return Buffer.concat([Buffer.from(header(entries.length, 0x80, 15, 0xde, 0xdf)), ...entries.flatMap(([k, x]) => [pack(k), pack(x)])]);
}
