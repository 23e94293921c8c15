/**
 * Character-level helpers shared by the line parsers: digit reading, civil-time arithmetic,
 * month names and level tokens. Everything works on (string, index) pairs so the parsers never
 * slice a string until they know they keep the piece. No regular expressions here.
 */

export const SPACE = 0x20;
export const TAB = 0x09;

/** True for ASCII '0'..'9'. */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Reads exactly `n` ASCII digits of `s` at `i` as a number; -1 when any of them is not a digit
 * (or the string is too short).
 */
export function digits(s: string, i: number, n: number): number {
  if (i + n > s.length) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 0x30; // NaN before the start of the string
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Index of the first character at or after `i` that is neither a space nor a tab. */
export function skipBlanks(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return i;
}

/** Index of the first space or tab at or after `i` (s.length when none). */
export function tokenEnd(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === SPACE || c === TAB) break;
    i++;
  }
  return i;
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when y-m-d names a real calendar day (Feb 29 only in leap years). */
export function validDate(y: number, m: number, d: number): boolean {
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= (MONTH_DAYS[m - 1] as number))) return false;
  if (m === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return true;
}

/** True when h:mi:s is a clock time (a leap second 60 is allowed). */
export function validTime(h: number, mi: number, s: number): boolean {
  return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

/** Epoch ms of a civil date-time read as UTC. Callers validate the fields first. */
export function civilMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** UTC midnight (epoch ms) of the day holding `t`. */
export function dayStart(t: number): number {
  return Math.floor(t / DAY_MS) * DAY_MS;
}

export { DAY_MS };

/**
 * Reads `HH:mm:ss` at `i`. Returns seconds of the day, or -1. Does not look past the seconds.
 */
export function clock(s: string, i: number): number {
  if (s.charCodeAt(i + 2) !== 0x3a || s.charCodeAt(i + 5) !== 0x3a) return -1;
  const h = digits(s, i, 2);
  const mi = digits(s, i + 3, 2);
  const sec = digits(s, i + 6, 2);
  if (h < 0 || mi < 0 || sec < 0 || !validTime(h, mi, sec)) return -1;
  return (h * 60 + mi) * 60 + sec;
}

/**
 * Result slots of the readers below (index just past what they read). Read them right after the
 * call; the next call overwrites them. A shared object keeps the readers allocation-free.
 */
export const cur = { frac: 0, zone: 0, level: 0 };

/**
 * Reads an optional `,SSS` / `.SSSSSS` fraction at `i` (separator included) as milliseconds,
 * extra digits truncated. Sets `cur.frac`. Returns 0 (and cur.frac = i) when there is none.
 */
export function fraction(s: string, i: number): number {
  const c = s.charCodeAt(i);
  cur.frac = i;
  if ((c !== 0x2c && c !== 0x2e) || !isDigit(s.charCodeAt(i + 1))) return 0;
  let j = i + 1;
  let ms = 0;
  let k = 0;
  const n = s.length;
  while (j < n) {
    const d = s.charCodeAt(j) - 0x30;
    if (d < 0 || d > 9) break;
    if (k < 3) ms = ms * 10 + d;
    k++;
    j++;
  }
  while (k < 3) {
    ms *= 10;
    k++;
  }
  cur.frac = j;
  return ms;
}

/**
 * Reads an optional UTC offset at `i`: `Z`, `+HH:MM`, `+HHMM` or `+HH` (also `-`).
 * Returns the offset in ms (local minus UTC), 0 for none/`Z`, and sets `cur.zone`.
 */
export function zoneOffset(s: string, i: number): number {
  const c = s.charCodeAt(i);
  cur.zone = i;
  if (c === 0x5a || c === 0x7a) {
    cur.zone = i + 1;
    return 0;
  }
  if (c !== 0x2b && c !== 0x2d) return 0;
  const h = digits(s, i + 1, 2);
  if (h < 0 || h > 23) return 0;
  let m = 0;
  let end = i + 3;
  if (s.charCodeAt(end) === 0x3a) {
    const mm = digits(s, end + 1, 2);
    if (mm >= 0 && mm < 60) {
      m = mm;
      end += 3;
    }
  } else {
    const mm = digits(s, end, 2);
    if (mm >= 0 && mm < 60) {
      m = mm;
      end += 2;
    }
  }
  cur.zone = end;
  const off = (h * 60 + m) * 60_000;
  return c === 0x2d ? -off : off;
}

/** Month number 1..12 of a three-letter English month name at `i` (case-insensitive), or 0. */
export function monthAt(s: string, i: number): number {
  const a = s.charCodeAt(i) | 0x20;
  const b = s.charCodeAt(i + 1) | 0x20;
  const c = s.charCodeAt(i + 2) | 0x20;
  switch (a) {
    case 0x6a: // j
      if (b === 0x61 && c === 0x6e) return 1;
      if (b === 0x75 && c === 0x6e) return 6;
      if (b === 0x75 && c === 0x6c) return 7;
      return 0;
    case 0x66: // f
      return b === 0x65 && c === 0x62 ? 2 : 0;
    case 0x6d: // m
      if (b === 0x61 && c === 0x72) return 3;
      if (b === 0x61 && c === 0x79) return 5;
      return 0;
    case 0x61: // a
      if (b === 0x70 && c === 0x72) return 4;
      if (b === 0x75 && c === 0x67) return 8;
      return 0;
    case 0x73: // s
      return b === 0x65 && c === 0x70 ? 9 : 0;
    case 0x6f: // o
      return b === 0x63 && c === 0x74 ? 10 : 0;
    case 0x6e: // n
      return b === 0x6f && c === 0x76 ? 11 : 0;
    case 0x64: // d
      return b === 0x65 && c === 0x63 ? 12 : 0;
    default:
      return 0;
  }
}

/** True when `s` holds `word` at `i` (upper-case word; `anyCase` folds ASCII letters) followed by a level boundary. */
function levelWord(s: string, i: number, word: string, anyCase: boolean): boolean {
  const n = word.length;
  for (let j = 1; j < n; j++) {
    const c = s.charCodeAt(i + j);
    if ((anyCase ? c & ~0x20 : c) !== word.charCodeAt(j)) return false;
  }
  const after = s.charCodeAt(i + n);
  if (after === SPACE || after === TAB || after === 0x5d || after === 0x3a || Number.isNaN(after)) {
    cur.level = i + n;
    return true;
  }
  return false;
}

/**
 * Level token at `i` ending at a blank, `]`, `:` or the end of the string; returns the canonical
 * upper-case name (an interned constant: no allocation) or '' when the token is not a level; sets
 * `cur.level`. Known: TRACE DEBUG INFO WARN WARNING ERROR FATAL SEVERE NOTICE CRIT CRITICAL ALERT
 * EMERG FINE FINER FINEST CONFIG. `anyCase` also accepts lower/mixed case (Apache `[notice]`).
 */
export function levelAt(s: string, i: number, anyCase: boolean): string {
  const c0 = s.charCodeAt(i);
  switch (anyCase ? c0 & ~0x20 : c0) {
    case 0x49: // I
      return levelWord(s, i, 'INFO', anyCase) ? 'INFO' : '';
    case 0x57: // W
      if (levelWord(s, i, 'WARN', anyCase)) return 'WARN';
      return levelWord(s, i, 'WARNING', anyCase) ? 'WARNING' : '';
    case 0x45: // E
      if (levelWord(s, i, 'ERROR', anyCase)) return 'ERROR';
      return levelWord(s, i, 'EMERG', anyCase) ? 'EMERG' : '';
    case 0x44: // D
      return levelWord(s, i, 'DEBUG', anyCase) ? 'DEBUG' : '';
    case 0x54: // T
      return levelWord(s, i, 'TRACE', anyCase) ? 'TRACE' : '';
    case 0x46: // F
      if (levelWord(s, i, 'FATAL', anyCase)) return 'FATAL';
      if (levelWord(s, i, 'FINE', anyCase)) return 'FINE';
      if (levelWord(s, i, 'FINER', anyCase)) return 'FINER';
      return levelWord(s, i, 'FINEST', anyCase) ? 'FINEST' : '';
    case 0x53: // S
      return levelWord(s, i, 'SEVERE', anyCase) ? 'SEVERE' : '';
    case 0x4e: // N
      return levelWord(s, i, 'NOTICE', anyCase) ? 'NOTICE' : '';
    case 0x43: // C
      if (levelWord(s, i, 'CRIT', anyCase)) return 'CRIT';
      if (levelWord(s, i, 'CRITICAL', anyCase)) return 'CRITICAL';
      return levelWord(s, i, 'CONFIG', anyCase) ? 'CONFIG' : '';
    case 0x41: // A
      return levelWord(s, i, 'ALERT', anyCase) ? 'ALERT' : '';
    default:
      return '';
  }
}

/**
 * Syslog-style severity rank of a level name (0 = emergency … 7 = debug; TRACE/FINER/FINEST 7),
 * so levels from different formats can be compared. -1 for '' or an unknown name.
 */
export function levelSeverity(level: string): number {
  switch (level) {
    case 'EMERG': return 0;
    case 'ALERT': return 1;
    case 'CRIT': case 'CRITICAL': case 'FATAL': return 2;
    case 'ERROR': case 'SEVERE': return 3;
    case 'WARN': case 'WARNING': return 4;
    case 'NOTICE': case 'CONFIG': return 5;
    case 'INFO': return 6;
    case 'DEBUG': case 'FINE': case 'TRACE': case 'FINER': case 'FINEST': return 7;
    default: return -1;
  }
}

/** Syslog severity (PRI & 7) to level name. */
export const SYSLOG_LEVELS = ['EMERG', 'ALERT', 'CRIT', 'ERROR', 'WARN', 'NOTICE', 'INFO', 'DEBUG'] as const;
