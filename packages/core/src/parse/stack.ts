/**
 * Java stack traces inside an event: frame / cause counting, the first exception class named, and
 * the line shapes the joiner treats as trace continuations. Hand-written scanners, linear in the
 * input (each backward walk over a class name is capped), so 1 MB lines stay cheap.
 */
import { Head, headAt, head } from './detect.ts';
import { jbossFields, jb } from './jboss.ts';
import { SPACE, TAB, isDigit } from './scan.ts';

/** Java identifier character (ASCII subset plus any non-ASCII letter). */
function identChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24 || c > 0x7f
  );
}

/** Longest class name we walk back over; longer dotted runs are not class names worth reporting. */
const MAX_NAME = 400;

/**
 * Start of a qualified Java name (`a.b.C`, at least one dot, no empty segment, no segment starting
 * with a digit) ending at `end` (exclusive) and not before `from`; -1 when there is none.
 */
function qualifiedStart(s: string, end: number, from: number): number {
  let j = end - 1;
  const stop = Math.max(from, end - MAX_NAME);
  while (j >= stop) {
    const c = s.charCodeAt(j);
    if (!identChar(c) && c !== 0x2e) break;
    j--;
  }
  const start = j + 1;
  if (start >= end) return -1;
  let dots = 0;
  let segStart = true;
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c === 0x2e) {
      if (segStart) return -1; // empty segment
      dots++;
      segStart = true;
    } else {
      if (segStart && isDigit(c)) return -1;
      segStart = false;
    }
  }
  return dots > 0 && !segStart ? start : -1;
}

const SUFFIXES = ['Exception', 'Error', 'Throwable'] as const;

/**
 * First qualified class name in `s[from, to)` whose simple name ends in Exception, Error or
 * Throwable (e.g. `java.net.BindException` in `…: java.net.BindException: Address already in use`);
 * '' when none.
 */
export function findExceptionClass(s: string, from: number, to: number): string {
  // Search the range only: indexOf on the whole text runs past `to`, once per line of a multi-line
  // event, which made a 1 MB record of 100k short lines take ~30 s (quadratic).
  if (from !== 0 || to !== s.length) return findExceptionClass(s.slice(from, to), 0, to - from);
  let bestStart = -1;
  let bestEnd = -1;
  for (const suf of SUFFIXES) {
    let k = s.indexOf(suf, from);
    while (k >= 0 && k < to && (bestStart < 0 || k < bestStart)) {
      const end = k + suf.length;
      const next = end < to ? s.charCodeAt(end) : 0;
      const qualifies = !identChar(next) && !(next === 0x2e && end + 1 < to && identChar(s.charCodeAt(end + 1)));
      if (qualifies) {
        const st = qualifiedStart(s, end, from);
        if (st >= 0) {
          if (bestStart < 0 || st < bestStart) {
            bestStart = st;
            bestEnd = end;
          }
          break;
        }
      }
      k = s.indexOf(suf, k + 1);
    }
  }
  return bestStart < 0 ? '' : s.slice(bestStart, bestEnd);
}

/** True when `s` has `word` at `i`. */
function at(s: string, i: number, word: string): boolean {
  return s.startsWith(word, i);
}

/**
 * Is the text at `i` a stack-trace continuation: a whitespace-led line (`\tat …`, `\t... 5 more`,
 * `\tSuppressed: …`, properties dumps), `Caused by:`, `Suppressed:`, `at pkg.Class.m(` or `... N more`?
 */
export function traceContinuation(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c === TAB || c === SPACE) return true;
  if (c === 0x43) return at(s, i, 'Caused by:');
  if (c === 0x53) return at(s, i, 'Suppressed:');
  if (c === 0x2e) return at(s, i, '... ') && isDigit(s.charCodeAt(i + 4));
  if (c === 0x61 && at(s, i, 'at ')) {
    const p = s.indexOf('(', i + 3);
    return p > i + 3 && qualifiedStart(s, p, i + 3) === i + 3;
  }
  return false;
}

/** True when the text at `i` opens with an exception class name (`java.lang.NullPointerException: …`). */
export function exceptionLineAt(s: string, i: number): boolean {
  let e = i;
  const n = s.length;
  while (e < n && e - i < MAX_NAME) {
    const c = s.charCodeAt(e);
    if (!identChar(c) && c !== 0x2e) break;
    e++;
  }
  const next = e < n ? s.charCodeAt(e) : 0;
  if (next !== 0 && next !== 0x3a && next !== 0x0d) return false;
  if (qualifiedStart(s, e, i) !== i) return false;
  for (const suf of SUFFIXES) if (s.endsWith(suf, e)) return true;
  return false;
}

/** Counters filled by {@link traceStats}. */
export interface TraceStats {
  stackDepth: number;
  causes: number;
  exceptionClass: string;
  continuationLines: number;
}

/**
 * Walks the lines of `text` after the first (which ends at `firstEnd`, the index of its '\n')
 * and adds to `out`: frames (`at …` after whitespace), `Caused by:` lines, continuation lines,
 * and the first exception class when `out.exceptionClass` is still ''. Lines that JBoss stamped
 * itself (`… ERROR [stderr] (thread) \tat …`) are judged by their text after the stamp.
 */
export function traceStats(text: string, firstEnd: number, out: TraceStats): void {
  const n = text.length;
  let s = firstEnd + 1;
  while (s <= n) {
    let e = text.indexOf('\n', s);
    if (e < 0) e = n;
    const next = e + 1;
    if (e > s && text.charCodeAt(e - 1) === 0x0d) e--;
    out.continuationLines++;
    let i = s;
    if (isDigit(text.charCodeAt(s))) {
      const line = text.slice(s, e);
      const h = headAt(line);
      if ((h === Head.Clock || h === Head.Iso) && jbossFields(line, head.end)) i = s + jb.msg;
    }
    let c = text.charCodeAt(i);
    let lead = i;
    while (c === TAB || c === SPACE) c = text.charCodeAt(++lead);
    if (lead > i && c === 0x61 && text.charCodeAt(lead + 1) === 0x74 && text.charCodeAt(lead + 2) === SPACE) {
      out.stackDepth++;
    } else {
      const caused = at(text, lead, 'Caused by:');
      if (caused) out.causes++;
      if (out.exceptionClass === '' && e > lead) {
        let cls = findExceptionClass(text, lead, e);
        if (cls === '' && caused) {
          const st = lead + 10 + (text.charCodeAt(lead + 10) === SPACE ? 1 : 0);
          let k = st;
          while (k < e && (identChar(text.charCodeAt(k)) || text.charCodeAt(k) === 0x2e)) k++;
          if (qualifiedStart(text, k, st) === st) cls = text.slice(st, k);
        }
        out.exceptionClass = cls;
      }
    }
    s = next;
  }
}
