/**
 * One framed forward-protocol value (see ./framer.ts) → what the connection must do with it:
 *
 * - `heartbeat`: msgpack nil (ignored, no answer);
 * - `ping`: a handshake PING (./handshake.ts checks it);
 * - `events`: Message, Forward, PackedForward or CompressedPackedForward (gzip) with its records
 *   and, when the option map carries `chunk`, the chunk id to acknowledge with `{"ack": chunk}`
 *   once the records are safely queued.
 *
 * Anything else throws a FormatError (400-class: `invalid_msgpack`, 413-class: `too_many_events`,
 * `record_too_large`, 415-class: `unsupported_encoding` for zstd): the connection logs and closes,
 * without an ack, so the client sends the chunk again (or to another server).
 */
import type { LogRecord } from '../types.ts';
import { BadRequestError } from '../formats/errors.ts';
import { decodeForward, isForward } from '../formats/msgpack/forward.ts';
import { decoderPos, isMap, makeDecoder, msgpackError, utf8 } from '../formats/msgpack/entries.ts';
import { resolveOptions, type DecodeContext, type DecodeOptions } from '../formats/options.ts';
import { isPing } from './handshake.ts';

export type ForwardMode = 'Message' | 'Forward' | 'PackedForward' | 'CompressedPackedForward';

export type ForwardFrame =
  | { type: 'heartbeat' }
  | { type: 'ping'; value: unknown[] }
  | { type: 'events'; mode: ForwardMode; tag: string; records: LogRecord[]; chunk: string | undefined };

function decodeOne(frame: Uint8Array, ctx: DecodeContext, raw: boolean): unknown {
  const decoder = makeDecoder(frame.length, Math.max(frame.length, ctx.maxRecordBytes), raw);
  try {
    return decoder.decode(frame);
  } catch (err) {
    throw msgpackError(err, decoderPos(decoder), 0, 'forward frame', frame.length);
  }
}

function modeOf(v: unknown[]): ForwardMode {
  if (Array.isArray(v[1])) return 'Forward';
  if (typeof v[1] === 'number' || v[1] instanceof Date) return 'Message';
  return isMap(v[2]) && utf8(v[2]['compressed']) === 'gzip' ? 'CompressedPackedForward' : 'PackedForward';
}

/** The `chunk` option as text (str or bin), or undefined when absent or not a string. */
function chunkOf(option: unknown): string | undefined {
  if (!isMap(option)) return undefined;
  const c = option['chunk'];
  if (typeof c === 'string') return c === '' ? undefined : c;
  if (c instanceof Uint8Array) return c.length === 0 ? undefined : utf8(c);
  return undefined;
}

/**
 * Decodes one complete frame. The tag becomes the records' `source` where they name none.
 * @throws FormatError for anything that is not a heartbeat, a PING or a forward message
 */
export function decodeForwardFrame(frame: Uint8Array, options: DecodeOptions): ForwardFrame {
  const ctx = resolveOptions(options);
  let value = decodeOne(frame, ctx, false);
  if (value === null) return { type: 'heartbeat' };
  if (isPing(value)) return { type: 'ping', value: value as unknown[] };
  if (!isForward(value, false)) {
    throw new BadRequestError('invalid_msgpack', 'not a forward message: expected [tag, time, record, option?], [tag, entries, option?] or nil');
  }
  // Fluentd packs PackedForward entries into a msgpack *str*: read the frame again with raw
  // strings, so the entry bytes are not UTF-8 decoded.
  if (typeof value[1] === 'string') {
    value = decodeOne(frame, ctx, true);
    if (!isForward(value, true)) throw new BadRequestError('invalid_msgpack', 'malformed PackedForward message');
  }
  const v = value as unknown[];
  const mode = modeOf(v);
  const tag = utf8(v[0]);
  const records: LogRecord[] = [];
  decodeForward(tag, v[1], v[2], ctx, records);
  return { type: 'events', mode, tag, records, chunk: chunkOf(mode === 'Message' ? v[3] : v[2]) };
}
