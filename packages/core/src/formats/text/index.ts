/**
 * Plain-text bodies: one event per line (`curl --data-binary @server.log`, Vector codec `text`,
 * Logstash `format message`, Fluentd `single_value`). LF or CRLF line ends; a missing final newline
 * is fine; blank (whitespace-only) lines are skipped. Lines are kept exactly, leading whitespace
 * included, so Java stack-trace frames (`\tat …`) reach the multi-line joiner intact.
 * Invalid UTF-8 is replaced with U+FFFD rather than refused.
 */
import type { LogRecord } from '../../types.ts';
import { BadRequestError, BodyTooLargeError } from '../errors.ts';
import { tooMany } from '../json/index.ts';
import type { DecodeContext } from '../options.ts';

/** True when text[start, end) holds only spaces, tabs or CR. */
function isBlank(text: string, start: number, end: number): boolean {
  for (let p = start; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) return false;
  }
  return true;
}

/**
 * Splits text into one record per non-blank line, appended to `out`.
 * @throws BadRequestError (400) when there is no non-blank line
 * @throws BodyTooLargeError (413) past `maxEvents` or a line longer than `maxRecordBytes`
 */
export function decodeTextLines(text: string, ctx: DecodeContext, out: LogRecord[] = []): LogRecord[] {
  const end = text.length;
  const before = out.length;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < end) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = end;
    let stop = nl;
    if (stop > start && text.charCodeAt(stop - 1) === 13) stop--;
    if (!isBlank(text, start, stop)) {
      if (stop - start > ctx.maxRecordBytes) {
        throw new BodyTooLargeError(
          'record_too_large',
          `line of ${stop - start} characters at offset ${start} exceeds the limit of ${ctx.maxRecordBytes}`,
          start,
        );
      }
      if (out.length >= ctx.maxEvents) throw tooMany(ctx.maxEvents);
      const rec: LogRecord = { line: text.slice(start, stop) };
      if (ctx.tag !== undefined) rec.source = ctx.tag;
      out.push(rec);
    }
    start = nl + 1;
  }
  if (out.length === before) throw new BadRequestError('empty_body', 'empty body: no non-blank line');
  return out;
}
