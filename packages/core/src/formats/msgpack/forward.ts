/**
 * Fluentd forward-protocol values carried in a msgpack body
 * (https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1):
 *
 * - Message: `[tag, time, record, option?]`
 * - Forward: `[tag, [[time, record], …], option?]`
 * - PackedForward: `[tag, bin|str of concatenated [time, record], option?]`
 * - CompressedPackedForward: PackedForward with `option.compressed == "gzip"` (the blob may be
 *   several gzip members); `zstd` answers 415.
 *
 * `time` is integer seconds, EventTime, or Fluent Bit's `[EventTime, {metadata}]`. The tag becomes
 * the records' source when they name none. No ack is sent: acks belong to the TCP transport.
 */
import type { LogRecord } from '../../types.ts';
import { decompressBody } from '../compression/index.ts';
import { UnsupportedMediaTypeError } from '../errors.ts';
import type { DecodeContext } from '../options.ts';
import { addEntry, decoderPos, isMap, makeDecoder, msgpackError, pushRecord, utf8 } from './entries.ts';

/** Largest inflated CompressedPackedForward blob: 64 MiB. */
export const MAX_PACKED_INFLATED_BYTES = 64 << 20;

type ForwardValue = [string | Uint8Array, unknown, unknown?, unknown?];

/**
 * True when `v` looks like a forward message: an array of 2–4 items starting with the tag.
 * @param raw the value was decoded with raw strings (only the packed modes are recognised then)
 */
export function isForward(v: unknown, raw: boolean): v is ForwardValue {
  if (!Array.isArray(v) || v.length < 2 || v.length > 4) return false;
  const second: unknown = v[1];
  if (raw) return v[0] instanceof Uint8Array && second instanceof Uint8Array;
  if (typeof v[0] !== 'string') return false;
  if (Array.isArray(second) || second instanceof Uint8Array || typeof second === 'string') return v.length <= 3;
  return (typeof second === 'number' || second instanceof Date) && v.length >= 3 && isMap(v[2]);
}

/** Appends the records of one forward message. */
export function decodeForward(tagValue: unknown, second: unknown, third: unknown, ctx: DecodeContext, out: LogRecord[]): void {
  const tag = utf8(tagValue);
  const sub: DecodeContext = tag === '' || ctx.tag !== undefined ? ctx : { ...ctx, tag };
  if (Array.isArray(second)) {
    for (const entry of second) addEntry(entry, sub, out);
    return;
  }
  if (second instanceof Uint8Array || typeof second === 'string') {
    const blob = typeof second === 'string' ? Buffer.from(second, 'utf8') : second;
    decodePacked(blob, isMap(third) ? utf8(third['compressed']) : '', sub, out);
    return;
  }
  pushRecord(third, second, sub, out); // Message mode
}

function decodePacked(blob: Uint8Array, compressed: string, ctx: DecodeContext, out: LogRecord[]): void {
  let bytes: Uint8Array = blob;
  if (compressed === 'gzip') {
    const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    bytes = decompressBody(buf, 'gzip', { maxDecompressedBytes: MAX_PACKED_INFLATED_BYTES });
  } else if (compressed !== '' && compressed !== 'text') {
    throw new UnsupportedMediaTypeError('unsupported_encoding', `PackedForward compression "${compressed}" is not supported`);
  }
  const decoder = makeDecoder(bytes.length, ctx.maxRecordBytes);
  const it = decoder.decodeMulti(bytes);
  for (;;) {
    let step: IteratorResult<unknown>;
    try {
      step = it.next();
    } catch (err) {
      throw msgpackError(err, decoderPos(decoder), out.length, 'PackedForward entries', bytes.length);
    }
    if (step.done === true) return;
    addEntry(step.value, ctx, out);
  }
}
