/**
 * msgpack bodies (`application/msgpack`, `application/x-msgpack`): a concatenation of msgpack
 * values with no outer array or framing. Each top-level value is one of
 *
 * | value | sent by |
 * | --- | --- |
 * | `[[EventTime, {metadata}], {record}]` | Fluent Bit ≥ 2.1 http `format msgpack` (internal format v2; the default before 3.0) |
 * | `[EventTime \| int \| float, {record}]` | Fluent Bit < 2.1 (v1) |
 * | `{record}` | Fluentd http with `<format> @type msgpack` (records only, no time) |
 * | `[tag, …]` | Fluentd forward modes, see ./forward.ts |
 * | `nil` | forward heartbeat: ignored |
 *
 * EventTime is ext type 0 with 8 bytes: uint32 BE seconds, uint32 BE nanoseconds. Fluent Bit
 * group markers (seconds = -1 / -2 as int32, sent by OTLP inputs) are skipped. The msgpack
 * timestamp extension (-1) is read as a Date; any other extension type is refused (400).
 * Metadata maps are ignored.
 */
import type { LogRecord } from '../../types.ts';
import { BadRequestError, BodyTooLargeError } from '../errors.ts';
import type { DecodeContext } from '../options.ts';
import { addEntry, decoderPos, ExtError, makeDecoder, msgpackError, utf8 } from './entries.ts';
import { decodeForward, isForward } from './forward.ts';

export { FLUENT_EXTENSIONS } from './entries.ts';

/**
 * Decodes a msgpack body into records, appended to `out`.
 * @throws BadRequestError (400) on malformed msgpack, bad extension types, too deep nesting, empty body
 * @throws BodyTooLargeError (413) past `maxEvents` or `maxRecordBytes`
 */
export function decodeMsgpack(body: Uint8Array, ctx: DecodeContext, out: LogRecord[] = []): LogRecord[] {
  if (body.length === 0) throw new BadRequestError('empty_body', 'empty body');
  const decoder = makeDecoder(body.length, ctx.maxRecordBytes);
  const it = decoder.decodeMulti(body);
  const initial = out.length;
  let prev = 0;
  for (;;) {
    let step: IteratorResult<unknown>;
    try {
      step = it.next();
    } catch (err) {
      throw msgpackError(err, decoderPos(decoder), out.length, 'msgpack', body.length);
    }
    if (step.done === true) break;
    const pos = decoderPos(decoder);
    const value = step.value;
    if (isForward(value, false)) {
      // Fluentd packs forward entries into a msgpack *str*; UTF-8 decoding corrupted them.
      if (typeof value[1] === 'string') return redecodeRaw(body, ctx, out, initial);
      decodeForward(value[0], value[1], value[2], ctx, out); // entries are size-checked one by one
    } else {
      if (pos - prev > ctx.maxRecordBytes) {
        throw new BodyTooLargeError(
          'record_too_large',
          `msgpack record of ${pos - prev} bytes at byte ${prev} exceeds the limit of ${ctx.maxRecordBytes}`,
          prev,
        );
      }
      addEntry(value, ctx, out);
    }
    prev = pos;
  }
  return out;
}

/**
 * Fluentd's out_forward packs entries into a msgpack *str* (not bin): decoding it as UTF-8 would
 * corrupt them, so such a body is decoded again with raw strings. Only forward values are expected.
 */
function redecodeRaw(body: Uint8Array, ctx: DecodeContext, out: LogRecord[], initial: number): LogRecord[] {
  const decoder = makeDecoder(body.length, ctx.maxRecordBytes, true);
  out.length = initial; // forget what the first pass produced
  try {
    for (const value of decoder.decodeMulti(body)) {
      if (!isForward(value, true)) throw new ExtError('a PackedForward body may hold only forward messages');
      decodeForward(utf8(value[0]), value[1], value[2], ctx, out);
    }
  } catch (err) {
    throw msgpackError(err, decoderPos(decoder), out.length, 'msgpack', body.length);
  }
  return out;
}
