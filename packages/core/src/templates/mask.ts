/**
 * Masking of one token (a whitespace-free run of the message, or a quoted value with spaces).
 * Only tokens that hold a digit, a quote, '.', '/', '\\' or '@' get here; plain words never do.
 *
 * Rules, in order:
 *  1. Whole-token shapes, after peeling brackets and trailing punctuation: URL, file path
 *     (`/…`, `./…`, `../…`, `~/…`, `C:\…`, `\\host\…`), e-mail-like, UUID, IPv6 → `<*>`.
 *  2. Otherwise the token is cut into segments at = , ; : ( ) [ ] { } < > | " ' and each segment
 *     holding a digit is masked:
 *     - message ids stay (`WFLYCTL0013:`, `JBAS015876`, `ISPN000152`, `WELD-000900`, `ORA-00942`:
 *       two or more capitals, optional '-', three or more digits): they name the message;
 *     - a leading `word_` / `word-` prefix is kept (`blk_-42` → `blk_<*>`,
 *       `appattempt_1445144423722_0020_000001` → `appattempt_<*>`, `task-12` → `task-<*>`);
 *     - anything else with a digit becomes `<*>` (numbers, hex, IPv4[:port], durations `123ms`,
 *       dates, versions, host names with digits).
 *     Quoted values (`"…"`, `'…'` opening at the token start or after = : ( [ { ,) become `"<*>"`.
 *     Masked segments joined only by , ; : | collapse into one `<*>` (`10.0.0.1:8080`, `12:30:45,123`,
 *     lists of ids of any length). A segment of letters with dots that looks like a host name
 *     (`ns.example.com`) is masked too.
 */
import { ALPHA, COLON, DIGIT, DOT, OPENER, QUOTE, SEPARATOR, SPECIAL, WILDCARD, cls, findClose } from './chars.ts';

const LEAD = '([{<';
const TRAIL = ')]}>,;.:!?';
const LIST_SEP = ',;|:';

const URL_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/./;
const EMAIL_RE = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const UUID_RE = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
const IPV6_RE = /^(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%[0-9A-Za-z]+)?$/;
const IPV6_PORT_RE = /^\[[0-9A-Fa-f:.]+(?:%[0-9A-Za-z]+)?\](?::[0-9]+)?[,;.]?$/;
const WIN_PATH_RE = /^[A-Za-z]:[\\/]/;
const HOST_RE = /^[A-Za-z][A-Za-z-]*(?:\.[A-Za-z][A-Za-z-]*){1,}\.[a-z]{2,6}$/;
const ID_TAIL_RE = /^-?[0-9][\w-]*$/;
const MSG_ID_RE = /^[A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)*[A-Z]-?[0-9]{3,}[A-Z]?[:.]?$/;

/**
 * Mask one token. `flags` are the tokenizer's character-class bits for the token (see chars.ts);
 * `maxTokenLength` bounds the quoted-value search.
 */
export function maskToken(tok: string, flags: number, maxTokenLength: number): string {
  if ((flags & (DIGIT | SPECIAL | QUOTE | SEPARATOR)) === 0) return isHostName(tok) ? WILDCARD : tok;
  if (flags & SPECIAL || (flags & DIGIT && (tok.length >= 36 || (flags & COLON && tok.indexOf(':') !== tok.lastIndexOf(':'))))) {
    if (tok.charCodeAt(0) === 0x5b /* [ */ && IPV6_PORT_RE.test(tok)) return WILDCARD;
    let a = 0;
    let b = tok.length;
    while (a < b && LEAD.includes(tok[a]!)) a++;
    while (b > a && TRAIL.includes(tok[b - 1]!)) b--;
    if (b > a && isWholeVariable(tok, a, b)) return tok.slice(0, a) + WILDCARD + tok.slice(b);
  }
  if (flags & (QUOTE | SEPARATOR)) return maskSegments(tok, maxTokenLength);
  // one segment
  if (flags & DIGIT) return maskSegment(tok);
  return isHostName(tok) ? WILDCARD : tok;
}

function isWholeVariable(tok: string, a: number, b: number): boolean {
  const c0 = tok.charCodeAt(a);
  const len = b - a;
  if (c0 === 0x2f /* / */) return len > 1;
  if (c0 === 0x7e /* ~ */ || c0 === 0x2e /* . */) {
    return tok.startsWith('~/', a) || tok.startsWith('./', a) || tok.startsWith('../', a);
  }
  if (c0 === 0x5c /* \ */) return tok.startsWith('\\\\', a);
  const core = a === 0 && b === tok.length ? tok : tok.slice(a, b);
  if (len > 2 && core.charCodeAt(1) === 0x3a /* : */ && WIN_PATH_RE.test(core)) return true;
  if (core.includes('://')) return URL_RE.test(core);
  if (core.includes('@')) return EMAIL_RE.test(core);
  if (len === 36 && core.charCodeAt(8) === 0x2d) return UUID_RE.test(core);
  if (core.includes(':') && core.indexOf(':') !== core.lastIndexOf(':')) return IPV6_RE.test(core);
  return false;
}

/** Mask a segment known to hold a digit. */
function maskSegment(seg: string): string {
  const c0 = seg.charCodeAt(0);
  if (!(cls(c0) & ALPHA)) return WILDCARD; // numbers, IPs, times, -42, …
  if (c0 <= 0x5a && MSG_ID_RE.test(seg)) return seg;
  let keep = 0;
  let p = 0;
  for (;;) {
    let q = p;
    while (q < seg.length && cls(seg.charCodeAt(q)) & ALPHA) q++;
    if (q === p || q >= seg.length) break;
    const c = seg.charCodeAt(q);
    if (c === 0x5f /* _ */ || c === 0x2d /* - */) q++;
    else if (c === 0x2e /* . */) while (q < seg.length && seg.charCodeAt(q) === 0x2e) q++;
    else break;
    keep = q;
    p = q;
  }
  return keep > 0 && ID_TAIL_RE.test(seg.slice(keep)) ? seg.slice(0, keep) + WILDCARD : WILDCARD;
}

/**
 * A host name without digits: three or more dot-separated labels of letters and '-', the last one
 * 2–6 lower-case letters (`ns.example.com`, `troi.bluesky-sirius.net`). Java class names
 * (`org.acme.Foo`) keep their capitalised last part and are not matched.
 */
function isHostName(seg: string): boolean {
  let b = seg.length;
  while (b > 0 && seg.charCodeAt(b - 1) === 0x2e) b--; // sentence-final dots
  const last = seg.charCodeAt(b - 1);
  if (b < 5 || last < 0x61 || last > 0x7a) return false; // must end in a lower-case letter
  const dot = seg.indexOf('.');
  if (dot < 0 || seg.indexOf('.', dot + 1) < 0) return false;
  return HOST_RE.test(b === seg.length ? seg : seg.slice(0, b));
}

// Output buffer of maskSegments (module state instead of a closure: this runs per token).
let out = '';
let lastMaskEnd = -1; // out.length right after the last emitted `<*>`

function emit(text: string): void {
  out += text;
  if (text.endsWith(WILDCARD)) lastMaskEnd = out.length;
}

function emitWildcard(): void {
  if (lastMaskEnd >= 0 && isListGlue(out, lastMaskEnd)) out = out.slice(0, lastMaskEnd);
  else emit(WILDCARD);
}

/** Cut at structural characters, mask digit-bearing segments, host names and quoted values. */
function maskSegments(tok: string, maxTokenLength: number): string {
  out = '';
  lastMaskEnd = -1;
  let segStart = 0;
  let segDigit = false;
  let segDot = false;
  const n = tok.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? tok.charCodeAt(i) : -1;
    const k = c < 0 ? SEPARATOR : cls(c);
    if (k & DIGIT) {
      segDigit = true;
      continue;
    }
    if (k & DOT) segDot = true;
    if (!(k & SEPARATOR)) continue;
    if (i > segStart) {
      const seg = tok.slice(segStart, i);
      if (segDigit) {
        const m = maskSegment(seg);
        if (m === WILDCARD) emitWildcard();
        else emit(m);
      } else if (segDot && isHostName(seg)) emitWildcard();
      else out += seg;
    }
    segStart = i + 1;
    segDigit = false;
    segDot = false;
    if (c < 0) break;
    if (k & QUOTE && (i === 0 || cls(tok.charCodeAt(i - 1)) & OPENER)) {
      const j = findClose(tok, i, i + maxTokenLength + 1);
      if (j > 0) {
        const q = tok[i]!;
        out += q;
        emitWildcard();
        out += q;
        i = j;
        segStart = j + 1;
        continue;
      }
    }
    out += tok[i]!;
  }
  const result = out;
  out = '';
  return result;
}

/** True when `s` after `from` is one or two characters of list glue (, ; : |). */
function isListGlue(s: string, from: number): boolean {
  if (from >= s.length || s.length - from > 2) return false;
  for (let i = from; i < s.length; i++) if (!LIST_SEP.includes(s[i]!)) return false;
  return true;
}
