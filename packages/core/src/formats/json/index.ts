/**
 * JSON bodies in every framing the shippers use, all through one path:
 *
 * | body | sent by |
 * | --- | --- |
 * | `[{…},{…}]` | Fluent Bit http `format json` (≥ 3.0 default), Vector http codec json, Logstash `json_batch` |
 * | `[{…}\n,{…}\n]` | Fluentd http `json_array true` |
 * | `{…}` | Logstash http `format json` (one event per request), curl |
 * | `{…}\n{…}\n` (also CRLF, blank lines, no final newline) | Fluentd http default, Fluent Bit `json_lines`, Vector `newline_delimited`, GELF |
 * | `{…}{…}` | Fluent Bit `json_stream` |
 * | `{…}\0{…}\0` | Vector gelf codec (NUL-delimited) |
 *
 * Top-level values are delimited by a structural pre-scan (./scan.ts) that also enforces the depth
 * and record-size limits, then parsed one by one with JSON.parse. A top-level array contributes
 * one record per element; any other value is one record (see ../record for field extraction).
 */
import type { LogRecord } from '../../types.ts';
import { BadRequestError, BodyTooLargeError } from '../errors.ts';
import type { DecodeContext } from '../options.ts';
import { toRecord } from '../record/index.ts';
import { describeOffset, scanValue, skipSeparators } from './scan.ts';

export { describeOffset, scanValue, skipSeparators } from './scan.ts';

/**
 * Decodes JSON text (array, object, NDJSON, json_stream) into records, appended to `out`.
 * @throws BadRequestError (400) on malformed JSON (with line and column), too deep nesting, empty text
 * @throws BodyTooLargeError (413) past `maxEvents` or `maxRecordBytes`
 */
export function decodeJsonText(text: string, ctx: DecodeContext, out: LogRecord[] = []): LogRecord[] {
  const end = text.length;
  let i = skipSeparators(text, 0, end);
  if (i === end) throw new BadRequestError('empty_body', 'empty body: no JSON value found');
  while (i < end) {
    const stop = scanValue(text, i, end, ctx, true);
    const value = parseJson(text, i, stop);
    if (Array.isArray(value)) {
      if (out.length + value.length > ctx.maxEvents) throw tooMany(ctx.maxEvents);
      for (let k = 0; k < value.length; k++) out.push(toRecord(value[k], ctx));
    } else {
      if (out.length >= ctx.maxEvents) throw tooMany(ctx.maxEvents);
      out.push(toRecord(value, ctx));
    }
    i = skipSeparators(text, stop, end);
  }
  return out;
}

/** JSON.parse of text[start, stop) with a positioned 400 on failure (`where` names the offset, see scanValue). */
export function parseJson(text: string, start: number, stop: number, where: (offset: number) => string = (o) => describeOffset(text, o)): unknown {
  const slice = start === 0 && stop === text.length ? text : text.slice(start, stop);
  try {
    return JSON.parse(slice);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const m = /position (\d+)/.exec(msg);
    const offset = m === null ? stop : start + Number(m[1]);
    throw new BadRequestError('invalid_json', `invalid JSON at ${where(offset)}: ${msg}`, offset);
  }
}

export function tooMany(max: number): BodyTooLargeError {
  return new BodyTooLargeError('too_many_events', `body holds more than ${max} events; send smaller batches`);
}
