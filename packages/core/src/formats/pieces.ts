/**
 * Big text bodies decoded in pieces of about {@link PIECE_BYTES}, cut where a cut cannot change
 * the result, instead of as one string.
 *
 * Why: V8 puts every string over 128 KiB in its large-object space, and allocating (and then
 * collecting) one there costs far more than the UTF-8 decoding itself: a 340 KB NDJSON body of
 * 2,000 events took ~1.5 ms as one `toString` and ~0.045 ms as six 64 KiB pieces (Node 20,
 * `node bench/decode.ts`). Pieces stay in the young generation, and the records' strings no longer
 * pin one big parent string.
 *
 * Where a body may be cut (only ever at a `\n` byte, which never sits inside a UTF-8 sequence):
 * - text: after any `\n` (lines are decoded one by one anyway);
 * - JSON: at `}\n{` (or `}\r\n{`) only. Valid JSON never has `}` whitespace `{` except between two
 *   top-level values (inside an array or object a comma or colon must come between), so both
 *   sides are streams of whole values and decoding them one after the other gives exactly the
 *   records of the whole. A body without such a place (a JSON array on one line) is one piece.
 * When a piece fails to decode (bad input, a limit), the whole body is decoded again as one
 * string, so every error message and its line/column are those of the whole body.
 */
import type { LogRecord } from '../types.ts';
import type { DecodeContext } from './options.ts';

/** Target piece size in bytes; pieces end at the first allowed cut after it. */
export const PIECE_BYTES = 64 * 1024;

export type TextDecoderFn = (text: string, ctx: DecodeContext, out: LogRecord[]) => LogRecord[];

const NL = 0x0a;
const CR = 0x0d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Decodes `body` (UTF-8) with `decode`, piece by piece when it is big (see the file comment). */
export function decodeInPieces(body: Buffer, kind: 'json' | 'text', ctx: DecodeContext, decode: TextDecoderFn, pieceBytes = PIECE_BYTES): LogRecord[] {
  const first = cutAfter(body, 0, kind, pieceBytes);
  if (first >= body.length) return decode(body.toString('utf8'), ctx, []);
  const out: LogRecord[] = [];
  try {
    let start = 0;
    let cut = first;
    for (;;) {
      decode(body.toString('utf8', start, cut), ctx, out);
      if (cut >= body.length) return out;
      start = cut;
      cut = cutAfter(body, start, kind, pieceBytes);
    }
  } catch {
    return decode(body.toString('utf8'), ctx, []);
  }
}

/** End of the piece starting at `start`: just past the first allowed cut at or after start + size, else the body's end. */
export function cutAfter(body: Buffer, start: number, kind: 'json' | 'text', size: number): number {
  const end = body.length;
  let at = start + size;
  while (at < end) {
    const nl = body.indexOf(NL, at);
    if (nl < 0) return end;
    if (kind === 'text' || (body[nl + 1] === OPEN_BRACE && (body[nl - 1] === CLOSE_BRACE || (body[nl - 1] === CR && body[nl - 2] === CLOSE_BRACE)))) return nl + 1;
    at = nl + 1;
  }
  return end;
}
