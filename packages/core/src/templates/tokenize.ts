/**
 * Message → masked tokens, in one left-to-right pass over the message.
 *
 * Tokens are runs of non-whitespace (ASCII space, \t, \n, \v, \f, \r). A quote that opens a
 * value (at a token start or after = : ( [ { ,) extends the token to its closing quote, so a quoted
 * value with spaces is one token. Plain words are looked up in the vocabulary of template tokens
 * without copying them; number-like tokens (digits and punctuation only) become `<*>` at once; only
 * tokens holding a digit, a quote, ':', '.', '/', '\\' or '@' go through {@link maskToken}.
 *
 * Runs of identical masked tokens collapse into one and dates written out in the message are masked
 * (see {@link push}).
 *
 * Bounds (linear on any input):
 *  - at most `maxTokens` tokens are read: when more follow, the last kept token becomes `<*>` and
 *    scanning stops, so a 1 MB message costs no more than its first `maxTokens` tokens;
 *  - a token longer than `maxTokenLength` becomes `<*>`; quotes are looked for only within the
 *    first `maxTokenLength` characters of a token, and a failed search is not repeated for the same
 *    quote character in that token, so each character is visited O(1) times;
 *  - whitespace runs are skipped in one pass.
 */
import { ALPHA, CLASS, COLON, DIGIT, DOT, NON_ASCII, OPENER, QUOTE, SPECIAL, STRUCT, WILDCARD, WS, findClose } from './chars.ts';
import { maskToken } from './mask.ts';
import type { CompiledMask } from './options.ts';
import { HASH_SEED, UNKNOWN, type Vocabulary } from './vocab.ts';

export interface TokenizerConfig {
  maxTokens: number;
  maxTokenLength: number;
  extraMasks: readonly CompiledMask[];
  /** Interned template tokens. */
  vocab: Vocabulary;
}

/** Month and weekday abbreviations: always in the vocabulary (the date masks need them even in match()). */
export const DATE_WORDS: readonly string[] = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const SLOW = DIGIT | SPECIAL | QUOTE | DOT | COLON;
const NUMBER_CHECK = DIGIT | ALPHA | STRUCT | SPECIAL | QUOTE | NON_ASCII;

/**
 * Tokenise and mask `msg` into `out` (overwriting from index 0; entries past the returned count are
 * stale). Returns the token count. With `learn` false (match), a plain token that is not in the
 * vocabulary comes out as {@link UNKNOWN} instead of being copied out of the message.
 */
export function tokenize(msg: string, cfg: TokenizerConfig, out: string[], learn: boolean): number {
  const len = msg.length;
  const { maxTokens, maxTokenLength } = cfg;
  let n = 0; // tokens kept
  let read = 0; // tokens read (runs of identical masked tokens count each one)
  let i = 0;
  for (;;) {
    let c = 0;
    while (i < len && (c = msg.charCodeAt(i)) < 128 && CLASS[c]! & WS) i++;
    if (i >= len) return n;
    if (read === maxTokens) {
      out[n - 1] = WILDCARD;
      return n > 1 && out[n - 2] === WILDCARD ? n - 1 : n;
    }
    read++;
    const start = i;
    const limit = start + maxTokenLength + 1; // a longer token is masked whole: no need to look further
    let flags = 0;
    let h = HASH_SEED;
    let noClose = 0; // quote characters (bit 1: ", bit 2: ') known to have no closing quote before `limit`
    while (i < len) {
      c = msg.charCodeAt(i);
      if (c < 128) {
        const k = CLASS[c]!;
        if (k & (WS | QUOTE)) {
          if (k & WS) break;
          if (i < limit && (i === start || opener(msg.charCodeAt(i - 1)))) {
            const bit = c === 0x22 ? 1 : 2;
            if (!(noClose & bit)) {
              const j = findClose(msg, i, limit);
              if (j > 0) {
                flags |= QUOTE;
                i = j + 1;
                continue;
              }
              noClose |= bit;
            }
          }
        }
        flags |= k;
      } else flags |= NON_ASCII;
      h = Math.imul(h ^ c, 0x01000193);
      i++;
    }
    n = push(out, n, token(msg, start, i, flags, h, cfg, learn));
  }
}

const MONTHS = new Set(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);
const WEEKDAYS = new Set(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);

function isMonth(t: string | undefined): boolean {
  return t !== undefined && t.length === 3 && MONTHS.has(t);
}

/**
 * Append `tok` after `n` tokens; returns the new count. Two normalisations happen here:
 *  - a run of identical masked tokens is kept once (`blk_<*> blk_<*> …` → `blk_<*>`,
 *    `<*> <*>` → `<*>`), so lists of ids of any length give one template;
 *  - dates written out inside a message (`Fri Jul  1 07:57:30 2005`, `3 Jul 2005`): a month
 *    abbreviation next to a masked value is masked, and so is a weekday abbreviation just before it.
 */
function push(out: string[], n: number, tok: string): number {
  if (n > 0) {
    const prev = out[n - 1]!;
    if (tok === WILDCARD) {
      if (isMonth(prev)) {
        n--;
        if (n > 0 && WEEKDAYS.has(out[n - 1]!)) n--;
        if (n > 0 && out[n - 1] === WILDCARD) return n;
      } else if (prev === WILDCARD) return n;
    } else if (prev === WILDCARD ? isMonth(tok) : prev === tok && tok.includes(WILDCARD)) {
      return n;
    }
  }
  out[n] = tok;
  return n + 1;
}

function tokenFlags(tok: string): number {
  let f = 0;
  for (let i = 0; i < tok.length; i++) {
    const c = tok.charCodeAt(i);
    if (c < 128) f |= CLASS[c]!;
  }
  return f;
}

function opener(c: number): boolean {
  return c < 128 && (CLASS[c]! & OPENER) !== 0;
}

function token(msg: string, start: number, end: number, flags: number, h: number, cfg: TokenizerConfig, learn: boolean): string {
  if (end - start > cfg.maxTokenLength) return WILDCARD;
  const extra = cfg.extraMasks;
  if (extra.length === 0) {
    // digits, ':' and plain punctuation only (numbers, IPv4[:port], times, dates): no need to look
    // closer, unless a ':' ends it (`port 22:` keeps its colon, as maskToken would)
    if ((flags & NUMBER_CHECK) === DIGIT && msg.charCodeAt(end - 1) !== 0x3a) return WILDCARD;
    if (flags & SLOW) return maskToken(msg.slice(start, end), flags, cfg.maxTokenLength);
    // plain word: `h` covers all of it (no quoted span was skipped, or QUOTE would be set)
    const known = cfg.vocab.lookup(msg, start, end, h);
    return known ?? (learn ? msg.slice(start, end) : UNKNOWN);
  }
  let tok = msg.slice(start, end);
  for (let r = 0; r < extra.length; r++) {
    const rule = extra[r]!;
    rule.re.lastIndex = 0;
    tok = tok.replace(rule.re, rule.replacement);
  }
  if (tok.length === 0) return WILDCARD;
  return maskToken(tok, tokenFlags(tok), cfg.maxTokenLength);
}
