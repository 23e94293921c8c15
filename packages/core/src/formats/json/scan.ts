/**
 * A cheap structural pre-scan of JSON text: finds where a top-level value ends (so `{…}{…}`,
 * NDJSON and `{…}\n{…}` all split the same way), and enforces the nesting and record-size limits
 * before JSON.parse builds anything. It does not validate the grammar; JSON.parse does that on
 * each value it delimits.
 *
 * Strings are skipped with `indexOf('"')`, so the loop only visits structural characters and
 * numbers: log records are mostly string content, which keeps the scan far cheaper than the parse.
 */
import { BadRequestError, BodyTooLargeError } from '../errors.ts';

/** Limits the scan enforces. */
export interface ScanLimits {
  /** Deepest nesting allowed for one record (a record object is level 1). */
  maxDepth: number;
  /** Largest record, in characters. */
  maxRecordBytes: number;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** Whitespace between top-level values: JSON whitespace, NUL (Vector GELF framing), BOM. */
export function isSeparator(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 0 || c === 0xfeff;
}

/** Index of the first non-separator at or after `i`, or `end`. */
export function skipSeparators(text: string, i: number, end: number): number {
  while (i < end && isSeparator(text.charCodeAt(i))) i++;
  return i;
}

/** "line L, column C" (1-based) of a character offset, for error messages. */
export function describeOffset(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

/** Index of the quote closing the string opened at `open`, or -1 when it is not closed. */
function closeQuote(text: string, open: number, end: number): number {
  let j = open + 1;
  for (;;) {
    j = text.indexOf('"', j);
    if (j === -1 || j >= end) return -1;
    let b = j - 1;
    while (text.charCodeAt(b) === BACKSLASH) b--;
    if ((j - 1 - b) % 2 === 0) return j; // an even run of backslashes: the quote is not escaped
    j++;
  }
}

/**
 * Finds the end of the JSON value that starts at `start` (a non-separator character).
 *
 * @param elements when the value is an array, its elements are the records: the size limit
 *   applies to each element and the depth limit counts from them (an array of records may be one
 *   level deeper than a record); otherwise the value itself is the record
 * @param where names an offset in messages ("line L, column C"); the default counts lines from the
 *   start of `text`, which a caller reporting many errors in one text should replace (decodeBulk)
 * @returns the index just past the value (a scalar ends at the next separator or bracket)
 * @throws BadRequestError on too deep nesting or an unclosed string/object/array
 * @throws BodyTooLargeError on a record over the size limit
 */
export function scanValue(
  text: string,
  start: number,
  end: number,
  limits: ScanLimits,
  elements: boolean,
  where: (offset: number) => string = (o) => describeOffset(text, o),
): number {
  const first = text.charCodeAt(start);
  const isArray = first === OPEN_BRACKET;
  const perElement = elements && isArray;
  const maxDepth = perElement ? limits.maxDepth + 1 : limits.maxDepth;
  const maxLen = limits.maxRecordBytes;
  let stop: number;

  if (first === QUOTE) {
    const q = closeQuote(text, start, end);
    if (q < 0) throw unclosed(where, start, 'string');
    stop = q + 1;
  } else if (first !== OPEN_BRACE && !isArray) {
    // A scalar (number, literal) or junk: up to the next separator or structural character.
    let p = start + 1;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (isSeparator(c) || c === OPEN_BRACE || c === OPEN_BRACKET || c === QUOTE) break;
      p++;
    }
    stop = p;
  } else {
    let depth = 0;
    let elemStart = start;
    stop = -1;
    for (let p = start; p < end; p++) {
      const c = text.charCodeAt(p);
      if (c === QUOTE) {
        const q = closeQuote(text, p, end);
        if (q < 0) throw unclosed(where, p, 'string');
        if (perElement && depth === 1 && q + 1 - p > maxLen) throw tooLarge(where, p, q + 1 - p, maxLen);
        p = q;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
        if (depth > maxDepth) {
          throw new BadRequestError(
            'too_deep',
            `JSON nested deeper than ${limits.maxDepth} levels at ${where(p)}`,
            p,
          );
        }
        if (depth === 2) elemStart = p;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === 1 && perElement && p + 1 - elemStart > maxLen) {
          throw tooLarge(where, elemStart, p + 1 - elemStart, maxLen);
        }
        if (depth <= 0) {
          stop = p + 1;
          break;
        }
      }
    }
    if (stop < 0) throw unclosed(where, start, isArray ? 'array' : 'object');
  }
  if (!perElement && stop - start > maxLen) throw tooLarge(where, start, stop - start, maxLen);
  return stop;
}

function unclosed(where: (offset: number) => string, at: number, what: string): BadRequestError {
  return new BadRequestError(
    'invalid_json',
    `invalid JSON: ${what} opened at ${where(at)} is never closed (truncated body?)`,
    at,
  );
}

function tooLarge(where: (offset: number) => string, at: number, size: number, max: number): BodyTooLargeError {
  return new BodyTooLargeError(
    'record_too_large',
    `record of ${size} characters at ${where(at)} exceeds the limit of ${max}`,
    at,
  );
}
