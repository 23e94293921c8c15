/**
 * Event signatures: what names "the same problem" across events, used for familiarity features
 * and for the novelty labels of `logforest eval --labels signature`.
 *
 *   1. the first JBoss/WildFly-style message code in the message (`WFLYCTL0013`, `JBAS014612`,
 *      `ISPN000136`, `HHH000100`, `RESTEASY002142`, `ARJUNA012117`, `IJ000453`, `UT005023`,
 *      `WELD-000900`, `KC-SERVICES0089`, …): 1–3 groups of 2–12 capitals joined by '-', an optional
 *      '-', 4–10 digits, on word boundaries;
 *   2. else the event's exception class, with the root cause (the last `Caused by:` class of the
 *      trace) when it differs: `org.jboss.msc.service.StartException caused by java.net.BindException`;
 *   3. else the caller's fallback (features: `tpl:<template id>`; evaluation: category + masked text).
 *
 * Hand-written scanners, linear in the text; the only allocations are the returned slices.
 */

const MIN_LETTERS = 2;
const MAX_LETTERS = 12;
const MIN_DIGITS = 4;
const MAX_DIGITS = 10;

const isUpper = (c: number): boolean => c >= 0x41 && c <= 0x5a;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;
/** Characters that glue a code to a neighbouring word (then it is part of an identifier, not a code). */
const isWordChar = (c: number): boolean => isUpper(c) || isLower(c) || isDigit(c) || c === 0x5f /* _ */ || c > 0x7f;
const isIdent = (c: number): boolean => isWordChar(c) || c === 0x24 /* $ */;

/** Letter groups a code may have: `KC-SERVICES0089` has two, `WELD-000900` one. */
const MAX_GROUPS = 3;

/**
 * The first message code in `s[from, to)`, or '' when there is none. A code is 1–3 groups of
 * 2–12 capitals joined by '-' (`WFLYCTL`, `KC-SERVICES`), an optional '-', then 4–10 digits. It
 * stands alone: the character before it is not a word character, '.', '-' or '/', and the one
 * after it is not a word character, nor a '-' or '.' that goes on with a digit or letter (so
 * `UTF8`, `ABC123`, `x.WFLY0001`, `WFLY0001abc`, `JBAS01461x` and `ISO-8859-1` are not codes).
 */
export function messageCode(s: string, from = 0, to = s.length): string {
  let i = from;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (!isUpper(c)) {
      i++;
      continue;
    }
    const prev = i > 0 ? s.charCodeAt(i - 1) : 0x20;
    const start = i;
    let j = i;
    if (!isWordChar(prev) && prev !== 0x2e && prev !== 0x2d && prev !== 0x2f) {
      const end = codeEnd(s, i, to);
      if (end > 0) return s.slice(start, end);
    }
    // Skip the rest of this word (and its '-'-joined capitals) so a code glued inside it is not found.
    while (j < to && (isWordChar(s.charCodeAt(j)) || (s.charCodeAt(j) === 0x2d && j + 1 < to && isUpper(s.charCodeAt(j + 1))))) j++;
    i = j;
  }
  return '';
}

/** End of the code that starts at `i` (a capital after a boundary), or -1 when none starts there. */
function codeEnd(s: string, i: number, to: number): number {
  let k = i;
  for (let group = 0; group < MAX_GROUPS; group++) {
    const g0 = k;
    while (k < to && isUpper(s.charCodeAt(k))) k++;
    const letters = k - g0;
    if (letters < MIN_LETTERS || letters > MAX_LETTERS) return -1;
    if (k < to && s.charCodeAt(k) === 0x2d /* - */) k++;
    if (k < to && isDigit(s.charCodeAt(k))) break;
    if (k >= to || !isUpper(s.charCodeAt(k)) || group === MAX_GROUPS - 1) return -1;
  }
  const d0 = k;
  while (k < to && isDigit(s.charCodeAt(k))) k++;
  const digits = k - d0;
  if (digits < MIN_DIGITS || digits > MAX_DIGITS) return -1;
  if (k < to) {
    const after = s.charCodeAt(k);
    if (isWordChar(after)) return -1;
    if ((after === 0x2d || after === 0x2e) && k + 1 < to && isWordChar(s.charCodeAt(k + 1))) return -1;
  }
  return k;
}

const CAUSED_BY = 'Caused by:';

/**
 * The class named by the last `Caused by:` line of `text` (the root cause of a Java trace),
 * or '' when there is none or it is not a qualified name (`a.b.C`).
 */
export function rootCause(text: string): string {
  const k = text.lastIndexOf(CAUSED_BY);
  if (k < 0) return '';
  let st = k + CAUSED_BY.length;
  while (st < text.length && (text.charCodeAt(st) === 0x20 || text.charCodeAt(st) === 0x09)) st++;
  let e = st;
  let dots = 0;
  while (e < text.length && e - st < 400) {
    const c = text.charCodeAt(e);
    if (c === 0x2e) dots++;
    else if (!isIdent(c)) break;
    e++;
  }
  if (dots === 0 || e === st || text.charCodeAt(e - 1) === 0x2e || isDigit(text.charCodeAt(st))) return '';
  return text.slice(st, e);
}

/** What `signatureOf` needs from a parsed event (a `ParsedEvent` fits). */
export interface SignatureSource {
  /** First-line message, header removed. */
  message: string;
  /** First exception class named in the event, '' when none. */
  exceptionClass: string;
}

/**
 * Signature of one event: message code, else exception class (+ root cause), else `fallback`.
 * `text` is the whole event text (first line and joined trace lines) used for the root cause;
 * leave it out when the event has one line.
 */
export function signatureOf(ev: SignatureSource, text?: string, fallback = ''): string {
  const code = messageCode(ev.message);
  if (code !== '') return code;
  const cls = ev.exceptionClass;
  if (cls === '') return fallback;
  if (text === undefined || text.indexOf('\n') < 0) return cls;
  const root = rootCause(text);
  return root === '' || root === cls ? cls : `${cls} caused by ${root}`;
}

const MAX_MASKED = 160;

/**
 * `category|masked message` for the evaluation fallback: the first line's message with every
 * whitespace-separated token that holds a digit replaced by `<*>`, cut to 160 characters.
 * Not for the hot path (it allocates per token).
 */
export function maskedSignature(category: string, message: string): string {
  const parts = message.slice(0, 4 * MAX_MASKED).split(/\s+/);
  let out = '';
  for (const p of parts) {
    if (p === '') continue;
    const masked = /[0-9]/.test(p) ? '<*>' : p;
    out = out === '' ? masked : `${out} ${masked}`;
    if (out.length >= MAX_MASKED) break;
  }
  return `${category}|${out.slice(0, MAX_MASKED)}`;
}
