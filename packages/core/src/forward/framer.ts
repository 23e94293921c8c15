/**
 * Cuts a byte stream of concatenated msgpack values (the Fluentd forward transport) into whole
 * values, without decoding them: `push(chunk)` returns every frame completed so far.
 *
 * The scan is resumable: it keeps how many values the current frame still owes (an array of n
 * adds n, a map of n adds 2n) and how many payload bytes of a str/bin/ext are still to skip, so
 * each byte is looked at once however the stream is split (re-decoding a large frame on every
 * TCP segment would be quadratic). The buffer grows by doubling and is compacted after frames.
 *
 * Limits: a frame longer than `maxFrameBytes` (or one that declares more items or payload than
 * could fit in it) and the reserved byte 0xc1 throw a {@link ForwardFrameError}: the caller logs
 * it and closes the connection, since the stream cannot be resynchronised.
 */

/** Thrown on a stream that cannot be framed (garbage or over the size limit). */
export class ForwardFrameError extends Error {
  /** `frame_too_large` or `invalid_msgpack`. */
  readonly code: 'frame_too_large' | 'invalid_msgpack';
  /** Bytes of the offending frame seen so far. */
  readonly frameBytes: number;
  constructor(code: ForwardFrameError['code'], message: string, frameBytes: number) {
    super(message);
    this.name = 'ForwardFrameError';
    this.code = code;
    this.frameBytes = frameBytes;
  }
}

/** Header length (after the type byte) and kind for the msgpack type bytes that are not fix types. */
function headerOf(b: number): { extra: number; kind: 'scalar' | 'payload' | 'array' | 'map' | 'ext'; fixed?: number } | undefined {
  switch (b) {
    case 0xc0: case 0xc2: case 0xc3: return { extra: 0, kind: 'scalar' }; // nil, false, true
    case 0xc4: return { extra: 1, kind: 'payload' }; // bin 8
    case 0xc5: return { extra: 2, kind: 'payload' };
    case 0xc6: return { extra: 4, kind: 'payload' };
    case 0xc7: return { extra: 2, kind: 'ext' }; // ext 8: len(1) + type(1)
    case 0xc8: return { extra: 3, kind: 'ext' };
    case 0xc9: return { extra: 5, kind: 'ext' };
    case 0xca: return { extra: 4, kind: 'scalar' }; // float 32
    case 0xcb: return { extra: 8, kind: 'scalar' };
    case 0xcc: case 0xd0: return { extra: 1, kind: 'scalar' };
    case 0xcd: case 0xd1: return { extra: 2, kind: 'scalar' };
    case 0xce: case 0xd2: return { extra: 4, kind: 'scalar' };
    case 0xcf: case 0xd3: return { extra: 8, kind: 'scalar' };
    case 0xd4: return { extra: 1 + 1, kind: 'scalar' }; // fixext 1: type + 1 byte
    case 0xd5: return { extra: 1 + 2, kind: 'scalar' };
    case 0xd6: return { extra: 1 + 4, kind: 'scalar' };
    case 0xd7: return { extra: 1 + 8, kind: 'scalar' };
    case 0xd8: return { extra: 1 + 16, kind: 'scalar' };
    case 0xd9: return { extra: 1, kind: 'payload' }; // str 8
    case 0xda: return { extra: 2, kind: 'payload' };
    case 0xdb: return { extra: 4, kind: 'payload' };
    case 0xdc: return { extra: 2, kind: 'array' };
    case 0xdd: return { extra: 4, kind: 'array' };
    case 0xde: return { extra: 2, kind: 'map' };
    case 0xdf: return { extra: 4, kind: 'map' };
    default: return undefined; // 0xc1 (never used)
  }
}

export interface FrameScannerOptions {
  /** Largest frame (one top-level msgpack value), in bytes. */
  maxFrameBytes: number;
}

export class FrameScanner {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes held in `buf`. */
  private len = 0;
  /** Start of the current frame in `buf`. */
  private start = 0;
  /** Scan position in `buf`. */
  private pos = 0;
  /** Values the current frame still owes (0: between frames). */
  private owed = 0;
  /** Payload bytes of a str/bin/ext still to skip. */
  private skip = 0;
  private readonly max: number;

  constructor(o: FrameScannerOptions) {
    this.max = o.maxFrameBytes;
  }

  /** Bytes received but not yet returned as a frame. */
  get pending(): number {
    return this.len - this.start;
  }

  /** Appends `chunk` and returns the frames it completed (copies, safe to keep). */
  push(chunk: Uint8Array): Buffer[] {
    this.append(chunk);
    const frames: Buffer[] = [];
    for (;;) {
      const end = this.scan();
      if (end < 0) break;
      frames.push(Buffer.from(this.buf.subarray(this.start, end)));
      this.start = end;
    }
    this.compact();
    return frames;
  }

  private append(chunk: Uint8Array): void {
    if (this.len + chunk.length > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.len + chunk.length, this.buf.length * 2, 4096));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
  }

  /** Drops returned frames from the front of the buffer (and the buffer itself when it got big). */
  private compact(): void {
    if (this.start === 0) return;
    const rest = this.len - this.start;
    if (rest === 0 && this.buf.length > 1 << 20) this.buf = Buffer.alloc(0);
    else this.buf.copy(this.buf, 0, this.start, this.len);
    this.pos -= this.start;
    this.len = rest;
    this.start = 0;
  }

  private tooLarge(bytes: number): never {
    throw new ForwardFrameError('frame_too_large', `forward frame exceeds ${this.max} bytes (${bytes} seen or declared)`, bytes);
  }

  /** Advances the scan; the end offset of the frame it completed, or -1 when it needs more bytes. */
  private scan(): number {
    if (this.owed === 0 && this.skip === 0) {
      if (this.pos >= this.len) return -1;
      this.owed = 1;
    }
    for (;;) {
      if (this.skip > 0) {
        const take = Math.min(this.skip, this.len - this.pos);
        this.pos += take;
        this.skip -= take;
        if (this.skip > 0) return -1;
      }
      if (this.owed === 0) return this.pos;
      if (this.pos - this.start > this.max) this.tooLarge(this.pos - this.start);
      if (this.pos >= this.len) return -1;
      const b = this.buf[this.pos] as number;
      if (b <= 0x7f || b >= 0xe0 || (b >= 0xa0 && b <= 0xbf)) {
        // fixint, negative fixint, fixstr
        this.pos += 1;
        this.owed -= 1;
        if (b >= 0xa0 && b <= 0xbf) this.skip = b & 0x1f;
        continue;
      }
      if (b >= 0x80 && b <= 0x9f) {
        // fixmap / fixarray
        this.pos += 1;
        this.owed += (b <= 0x8f ? 2 * (b & 0x0f) : b & 0x0f) - 1;
        this.checkOwed();
        continue;
      }
      const h = headerOf(b);
      if (h === undefined) {
        throw new ForwardFrameError('invalid_msgpack', `invalid msgpack type byte 0x${b.toString(16)} at frame byte ${this.pos - this.start}`, this.pos - this.start);
      }
      if (this.pos + 1 + h.extra > this.len) return -1; // header not complete yet
      const n = h.kind === 'scalar' ? 0 : this.readLength(this.pos + 1, h.kind === 'ext' ? h.extra - 1 : h.extra);
      this.pos += 1 + h.extra;
      this.owed -= 1;
      if (h.kind === 'array') this.owed += n;
      else if (h.kind === 'map') this.owed += 2 * n;
      else if (h.kind === 'payload' || h.kind === 'ext') {
        if (this.pos - this.start + n > this.max) this.tooLarge(this.pos - this.start + n);
        this.skip = n;
      }
      this.checkOwed();
    }
  }

  /** Every owed value takes at least one byte: more than the frame could hold is refused now. */
  private checkOwed(): void {
    if (this.pos - this.start + this.owed > this.max) this.tooLarge(this.pos - this.start + this.owed);
  }

  private readLength(at: number, bytes: number): number {
    if (bytes === 1) return this.buf[at] as number;
    if (bytes === 2) return this.buf.readUInt16BE(at);
    return this.buf.readUInt32BE(at);
  }
}
