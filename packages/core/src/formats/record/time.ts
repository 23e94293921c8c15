/**
 * Reading the event time a shipper put in a record, as epoch milliseconds (integer).
 *
 * Numbers (or numeric strings) are epoch seconds, milliseconds, microseconds or nanoseconds by
 * magnitude: Fluent Bit's `json_date_format double` (1714564800.123456) and `epoch`, `epoch_ms`,
 * GELF `timestamp`, Java `System.currentTimeMillis()`, nanosecond clocks.
 *
 * Strings: ISO-8601 / RFC 3339 with any number of fraction digits (Filebeat/Logstash
 * `@timestamp`, Vector `timestamp`, Fluent Bit `iso8601`), with `T` or a space between date and
 * time (Fluent Bit `java_sql_timestamp`), a `,` or `.` before the fraction, and an optional `Z` or
 * `±hh[:mm]` zone. A string without a zone is read as UTC: that is what Fluent Bit's formats
 * write, and the server's own zone is no better a guess.
 *
 * A value outside the plausible window ([1990-01-01, receivedAt + 1 day]) is not a time: JSON logs
 * often carry `"time": 23` as a duration. Such values are left in `fields`.
 */

/** Earliest plausible event time (1990-01-01T00:00:00Z). */
const MIN_TS = 631_152_000_000;
/** How far in the future (relative to receipt) an event time may be: one day of clock skew. */
const MAX_FUTURE_MS = 86_400_000;

const NUMERIC_RE = /^\s*\d+(?:\.\d+)?\s*$/;

/** Epoch ms (integer) for a number in seconds, ms, µs or ns, told apart by magnitude. */
export function epochToMs(v: number): number {
  const a = Math.abs(v);
  if (a < 1e11) return Math.floor(v * 1000 + 5e-4); // seconds; the epsilon absorbs double noise below 1 µs
  if (a < 1e14) return Math.floor(v);
  if (a < 1e17) return Math.floor(v / 1e3);
  return Math.floor(v / 1e6);
}

/** True when `ts` (epoch ms) is a believable event time for a body received at `receivedAt`. */
export function plausible(ts: number, receivedAt: number): boolean {
  return ts >= MIN_TS && ts <= receivedAt + MAX_FUTURE_MS;
}

/** Value of `n` decimal digits at s[i…], or -1 when one is not a digit. */
function num(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1; // also NaN past the end
    v = v * 10 + d;
  }
  return v;
}

/**
 * Parses `YYYY-MM-DD[(T| )hh:mm[:ss[(.|,)fraction]]][ ][Z|±hh[[:]mm]]` to epoch ms, or undefined.
 * Hand-written (no regex, no allocation): this runs once per record on the ES bulk path.
 */
export function parseIsoTime(s: string): number | undefined {
  const len = s.length;
  if (len < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const year = num(s, 0, 4);
  const month = num(s, 5, 2);
  const day = num(s, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let i = 10;
  const sep = s.charCodeAt(10);
  if (sep === 84 /* T */ || sep === 116 /* t */ || (sep === 32 && s.charCodeAt(13) === 58)) {
    hour = num(s, 11, 2);
    minute = num(s, 14, 2);
    if (s.charCodeAt(13) !== 58 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
    i = 16;
    if (s.charCodeAt(16) === 58 /* : */) {
      second = num(s, 17, 2);
      if (second < 0 || second > 60) return undefined;
      i = 19;
      const dot = s.charCodeAt(19);
      if (dot === 46 || dot === 44) {
        i = 20;
        let scale = 100;
        for (let d = s.charCodeAt(i) - 48; d >= 0 && d <= 9; d = s.charCodeAt(++i) - 48) {
          ms += d * scale; // digits past milliseconds are truncated
          scale /= 10;
        }
        if (i === 20) return undefined;
        ms = Math.floor(ms);
      }
    }
  }
  while (s.charCodeAt(i) === 32) i++;
  let offsetMin = 0;
  if (i < len) {
    const z = s.charCodeAt(i);
    if ((z === 90 || z === 122) && i + 1 === len) {
      // Z
    } else if (z === 43 || z === 45) {
      const hh = num(s, i + 1, 2);
      let mm = 0;
      const rest = len - (i + 3);
      if (rest === 3 && s.charCodeAt(i + 3) === 58) mm = num(s, i + 4, 2);
      else if (rest === 2) mm = num(s, i + 3, 2);
      else if (rest !== 0) return undefined;
      if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return undefined;
      offsetMin = (z === 45 ? -1 : 1) * (hh * 60 + mm);
    } else {
      return undefined;
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
}

/**
 * The event time carried by a record value, or undefined when `value` is not a plausible time.
 * @param value a number, numeric string or ISO-8601 string
 * @param receivedAt receipt time (epoch ms), bounds the plausible window
 */
export function readTime(value: unknown, receivedAt: number): number | undefined {
  let ts: number | undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    ts = epochToMs(value);
  } else if (typeof value === 'string') {
    if (value.length === 0 || value.length > 64) return undefined;
    if (value.charCodeAt(4) === 45 /* - */) ts = parseIsoTime(value);
    else if (NUMERIC_RE.test(value)) ts = epochToMs(Number(value));
  } else if (value instanceof Date) {
    ts = value.getTime(); // msgpack timestamp extension (-1)
  }
  return ts !== undefined && plausible(ts, receivedAt) ? ts : undefined;
}
