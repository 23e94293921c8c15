/**
 * Incident prior: how much an event *reads* like a failure an operator must act on, from its level
 * and the words of its message, in [0, 1]. The scorer combines it with the forest score and the
 * familiarity grade (graded.ts; documented in packages/core/src/features/README.md, "Incident prior").
 *
 *   prior = (severity / 6 · d + vocabulary) / 2
 *
 * - severity 0 TRACE … 6 EMERG (features/sets.ts);
 * - vocabulary: 1 for the words of a *system* failure (a link severed, a connection reset or timed
 *   out, a process terminated / killed / crashed, a panic, an I/O error, corruption, out of memory,
 *   a deadlock), 0.5 for the generic failure words (error, fail, exception, interrupt, unable,
 *   cannot, denied, …), 0 for none; halved when the failure names a *missing or forbidden input*
 *   (no such file, not found, missing, permission denied, does not exist, exec format error): a
 *   user's wrong path or a client's bad request is an error, seldom an incident;
 * - d = 1, or 0.5 for a *state dump*: a line that reports a register, a setting or a property
 *   rather than an event — filler dots (`machine check enable.........0`), a few words and a
 *   number (`instruction address: 0x00004ed8`), or nothing but `key=value` / `key:value` pairs.
 *   A dump says nothing by itself and its words (`exception syndrome register`) are labels, so its
 *   vocabulary counts 0. Such lines accompany a failure; the failure's own line is what to rank first.
 *
 * No regular expression here backtracks: each is a plain alternation of literals.
 */
import { severityScore } from '../features/sets.ts';

const SYSTEM_FAILURE =
  /sever(?:ed|ing)|reset by peer|connection reset|timed out|timeout|terminated|panic|crash|segfault|segmentation fault|killed|out of memory|input\/output error|i\/o error|corrupt|deadlock|broken pipe|unreachable|refused|core dump|stopping execution|aborted/i;
const FAILURE = /error|fail|exception|interrupt|unable|cannot|can not|could not|denied|fatal|severe|critical|illegal|invalid/i;
/** Either list in one pass (most lines have no failure word: one scan instead of two). */
const ANY_FAILURE = new RegExp(`${SYSTEM_FAILURE.source}|${FAILURE.source}`, 'i');
const REQUEST_ERROR = /no such file|not found|missing|permission denied|does not exist|not permitted|format error|too big/i;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
const isWordChar = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x2e;

/** A template parameter `<*>` at `i` (templates/: the miner's placeholder). */
const isParam = (t: string, i: number): boolean => t.charCodeAt(i) === 0x3c && t.charCodeAt(i + 1) === 0x2a && t.charCodeAt(i + 2) === 0x3e;

/** `0x…`, decimal or hex digits (or a template's `<*>`) from `i` to `end` (exclusive), optionally followed by one ','. */
function isNumberToken(t: string, i: number, end: number): boolean {
  if (end > i && t.charCodeAt(end - 1) === 0x2c) end--;
  if (end - i === 3 && isParam(t, i)) return true;
  if (end - i >= 2 && t.charCodeAt(i) === 0x30 && (t.charCodeAt(i + 1) | 0x20) === 0x78) i += 2;
  if (i >= end) return false;
  for (let k = i; k < end; k++) if (!isHex(t.charCodeAt(k))) return false;
  return true;
}

/** `key=value` or `key:value` with a number value (`r24=0x0`, `lr:00004ed8`). */
function isPairToken(t: string, i: number, end: number): boolean {
  let k = i;
  if (isParam(t, i)) k += 3;
  else while (k < end && isWordChar(t.charCodeAt(k))) k++;
  if (k === i || k >= end) return false;
  const c = t.charCodeAt(k);
  return (c === 0x3d || c === 0x3a) && isNumberToken(t, k + 1, end);
}

/** A letter or space, two or more dots and a digit: `enable..0`, `fp cr field ......0` (not `Loading... done`, not `1..5`). */
function fillerDots(t: string): boolean {
  let from = 0;
  for (;;) {
    const k = t.indexOf('..', from);
    if (k < 1) return false;
    let j = k + 2;
    while (j < t.length && t.charCodeAt(j) === 0x2e) j++;
    const before = t.charCodeAt(k - 1) | 0x20;
    if (((before >= 0x61 && before <= 0x7a) || before === 0x20) && j < t.length && (isHex(t.charCodeAt(j)) || isParam(t, j))) return true;
    from = j;
  }
}

/** Whether a message is a state dump (see the module comment). */
export function dumpShaped(t: string): boolean {
  const n = t.length;
  if (n === 0) return false;
  if (fillerDots(t)) return true;
  // Only key=value / key:value pairs.
  let tokens = 0;
  let pairs = 0;
  let lastStart = -1;
  let i = 0;
  while (i < n) {
    while (i < n && t.charCodeAt(i) === 0x20) i++;
    if (i >= n) break;
    let j = i;
    while (j < n && t.charCodeAt(j) !== 0x20) j++;
    tokens++;
    if (isPairToken(t, i, j)) pairs++;
    // Past six tokens only an all-pairs line can still be a dump: stop at the first other token.
    else if (tokens > 6) return false;
    lastStart = i;
    i = j;
  }
  if (tokens > 0 && pairs === tokens) return true;
  // A few words, a ':' and a number: `instruction address: 0x00004ed8`, `core configuration register: 0x2000`.
  if (tokens >= 2 && tokens <= 6 && lastStart > 1 && t.charCodeAt(lastStart - 2) === 0x3a && isNumberToken(t, lastStart, n)) {
    for (let k = 0; k < lastStart - 2; k++) {
      const c = t.charCodeAt(k);
      if (!(isWordChar(c) || c === 0x20 || c === 0x2d)) return false;
    }
    return true;
  }
  // A heading of a dump: a few words and a final ':' (`special purpose registers:`).
  return tokens <= 4 && t.charCodeAt(n - 1) === 0x3a;
}

/** Failure vocabulary of a message in [0, 1] (see the module comment); `dump` = dumpShaped(text). */
export function failureVocabulary(text: string, dump: boolean): number {
  if (dump) return 0;
  if (!ANY_FAILURE.test(text)) return 0;
  const v = SYSTEM_FAILURE.test(text) ? 1 : 0.5;
  return v > 0 && REQUEST_ERROR.test(text) ? v / 2 : v;
}

/**
 * What the prior reads from a text, level aside: its failure vocabulary, or -1 for a state dump.
 * The scorer computes it once per template (on the template's text, parameters as `<*>`) and on
 * the message itself for an event without a known template.
 */
export function textTraits(text: string): number {
  return dumpShaped(text) ? -1 : failureVocabulary(text, false);
}

/** The incident prior from a level and textTraits(). */
export function priorOf(level: string, traits: number): number {
  return traits < 0 ? (severityScore(level) / 6) * 0.25 : (severityScore(level) / 6) * (0.5 + 0.5 * traits);
}

/** The incident prior of an event with this level and message. */
export function incidentPrior(level: string, text: string): number {
  return priorOf(level, textTraits(text));
}
