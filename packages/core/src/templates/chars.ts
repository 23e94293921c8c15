/**
 * ASCII character classes shared by the tokenizer and the token masks. One table lookup per
 * character keeps the hot path free of regular expressions.
 */

export const WILDCARD = '<*>';

/** Whitespace that separates tokens: space, \t, \n, \v, \f, \r. */
export const WS = 1;
/** 0-9 */
export const DIGIT = 2;
/** '/', '\\', '@': characters of paths, URLs and e-mail addresses. */
export const SPECIAL = 4;
/** '"' and "'" */
export const QUOTE = 8;
/** Characters that split a token into segments masked one by one: = , ; ( ) [ ] { } < > | " ' (and ':', see COLON) */
export const STRUCT = 16;
/** A-Z a-z */
export const ALPHA = 32;
/** Characters after which a quote opens a quoted value: = : ( [ { , */
export const OPENER = 64;
/** Characters allowed right after a closing quote: , ; : ) ] } . ! ? > */
export const CLOSER = 128;
/** '.' (host names) */
export const DOT = 256;
/** Set by the tokenizer for any non-ASCII code unit (not in the table). */
export const NON_ASCII = 512;
/** ':' — splits segments like STRUCT, and glues masked values (`10.0.0.1:8080` → `<*>`). */
export const COLON = 1024;
/** Segment separators inside a token. */
export const SEPARATOR = STRUCT | COLON;

export const CLASS = new Uint16Array(128);

function mark(chars: string, bit: number): void {
  for (let i = 0; i < chars.length; i++) CLASS[chars.charCodeAt(i)]! |= bit;
}

mark(' \t\n\v\f\r', WS);
mark('0123456789', DIGIT);
mark('/\\@', SPECIAL);
mark('"\'', QUOTE);
mark('=,;()[]{}<>|"\'', STRUCT);
mark(':', COLON);
mark('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', ALPHA);
mark('=:([{,', OPENER);
mark(',;:)]}.!?>', CLOSER);
mark('.', DOT);

/** Class bits of the UTF-16 code unit `c` (0 for non-ASCII). */
export function cls(c: number): number {
  return c < 128 ? CLASS[c]! : 0;
}

/**
 * Position of the quote closing the one opened at `open` in `s`, or -1. The closing quote is the
 * first same quote character before `limit` that is followed by the end of `s`, whitespace or one of
 * `, ; : ) ] } . ! ? >`. Cost is bounded by `limit - open`.
 */
export function findClose(s: string, open: number, limit: number): number {
  const q = s.charCodeAt(open);
  const end = Math.min(limit, s.length);
  for (let j = open + 1; j < end; j++) {
    if (s.charCodeAt(j) !== q) continue;
    if (j + 1 === s.length) return j;
    const k = cls(s.charCodeAt(j + 1));
    if (k & (WS | CLOSER)) return j;
  }
  return -1;
}
