/**
 * Shared msgpack pieces: the Fluent extension codec (EventTime), decoder construction with limits
 * bounded by the body, error translation, and turning one Fluent Bit-style entry into a record.
 */
import { Decoder, decodeTimestampExtension, type ExtensionCodecType } from '@msgpack/msgpack';
import type { LogRecord } from '../../types.ts';
import { BadRequestError, BodyTooLargeError, FormatError } from '../errors.ts';
import { tooMany } from '../json/index.ts';
import type { DecodeContext } from '../options.ts';
import { readTime, toRecord } from '../record/index.ts';

/** Thrown by the extension codec; turned into a positioned BadRequestError. */
export class ExtError extends Error {}

/** EventTime seconds read as int32 below 0: Fluent Bit group start (-1) / end (-2) markers. */
function isGroupMarker(t: unknown): boolean {
  return t === -1 || t === -2;
}

/**
 * Extension codec: EventTime (type 0) → epoch ms, or the group marker (-1/-2); timestamp (-1) →
 * Date; anything else throws.
 */
export const FLUENT_EXTENSIONS: ExtensionCodecType<undefined> = {
  tryToEncode: () => null,
  decode(data: Uint8Array, type: number): unknown {
    if (type === 0) {
      if (data.length !== 8) throw new ExtError(`EventTime (ext type 0) must be 8 bytes, got ${data.length}`);
      const sec = ((data[0] as number) << 24) | ((data[1] as number) << 16) | ((data[2] as number) << 8) | (data[3] as number);
      if (sec < 0) return sec; // int32 view: -1 / -2 are group markers, others are junk (implausible)
      const nsec = (((data[4] as number) << 24) | ((data[5] as number) << 16) | ((data[6] as number) << 8) | (data[7] as number)) >>> 0;
      if (nsec > 999_999_999) throw new ExtError(`EventTime nanoseconds out of range: ${nsec}`);
      return sec * 1000 + Math.floor(nsec / 1e6);
    }
    if (type === -1) return decodeTimestampExtension(data);
    throw new ExtError(`unsupported msgpack extension type ${type}`);
  },
};

/**
 * A decoder whose limits are bounded by the body (no element can take less than one byte), and
 * whose arrays and maps are bounded by `maxRecordBytes` too: a record of that many bytes cannot
 * hold more elements, and the size check after decoding came too late — 128 MB of nils in one
 * array32 (a 128 KB gzip body) took ~15 s and gigabytes before being refused.
 */
export function makeDecoder(bodyLength: number, maxRecordBytes: number, rawStrings = false): Decoder {
  const maxItems = Math.min(bodyLength, maxRecordBytes);
  return new Decoder({
    extensionCodec: FLUENT_EXTENSIONS,
    rawStrings,
    maxStrLength: bodyLength,
    maxBinLength: bodyLength,
    maxArrayLength: maxItems,
    maxMapLength: maxItems,
    maxExtLength: 16,
  });
}

/** Current byte position of a decoder (a runtime field of @msgpack/msgpack 3.x; -1 if absent). */
export function decoderPos(d: Decoder): number {
  const pos = (d as unknown as { pos?: unknown }).pos;
  return typeof pos === 'number' ? pos : -1;
}

/** Wraps a decoder failure into a 400 naming the byte offset and the record count so far. */
export function msgpackError(err: unknown, pos: number, records: number, what = 'msgpack', bodyLength = Infinity): FormatError {
  if (err instanceof FormatError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const where = `at byte ${pos} (after ${records} records)`;
  // An array/map longer than a record may hold but not than the body: too large (413), not malformed.
  const declared = /^Max length exceeded: (?:array|map) length \((\d+)\)/.exec(msg);
  if (declared && Number(declared[1]) <= bodyLength - pos) {
    return new BodyTooLargeError('record_too_large', `${what} value ${where} holds more items than one record may: ${msg}`, pos);
  }
  if (err instanceof RangeError && /Insufficient data|out of bounds|Offset/i.test(msg)) {
    return new BadRequestError('invalid_msgpack', `${what} body is truncated ${where}: ${msg}`, pos);
  }
  return new BadRequestError('invalid_msgpack', `invalid ${what} ${where}: ${msg}`, pos);
}

/**
 * Appends the record for one Fluent Bit-style entry: `[[time, meta], record]`, `[time, record]`,
 * a bare record, or nothing for a heartbeat / group marker.
 */
export function addEntry(value: unknown, ctx: DecodeContext, out: LogRecord[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value) && value.length === 2 && isMap(value[1])) {
    const head: unknown = value[0];
    if (Array.isArray(head) && head.length >= 1) return pushRecord(value[1], head[0], ctx, out);
    if (typeof head === 'number' || head instanceof Date) return pushRecord(value[1], head, ctx, out);
  }
  pushRecord(value, undefined, ctx, out);
}

/** Appends one record with its envelope time (EventTime ms, int/float seconds, Date, or undefined). */
export function pushRecord(record: unknown, time: unknown, ctx: DecodeContext, out: LogRecord[]): void {
  if (isGroupMarker(time)) return;
  if (out.length >= ctx.maxEvents) throw tooMany(ctx.maxEvents);
  checkDepth(record, ctx.maxDepth);
  out.push(toRecord(record, ctx, time === undefined ? undefined : readTime(time, ctx.receivedAt)));
}

/** A msgpack map (decoded as a plain object). */
export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);
}

/**
 * Refuses values nested deeper than `max` levels (a map or array is one level). The decoder is
 * not recursive, so without this a tiny body could build a structure that JSON.stringify (and any
 * later recursive consumer) overflows the stack on. Recursion here is bounded by `max`.
 */
export function checkDepth(v: unknown, max: number, level = 1): void {
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array || v instanceof Date) return;
  if (level > max) throw new BadRequestError('too_deep', `msgpack record nested deeper than ${max} levels`);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) checkDepth(v[i], max, level + 1);
  } else {
    for (const k in v) checkDepth((v as Record<string, unknown>)[k], max, level + 1);
  }
}


/** Text of a msgpack str (string, or bytes when decoded with raw strings). */
export function utf8(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
  return '';
}
