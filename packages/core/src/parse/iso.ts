/**
 * ISO-8601-like date-times as logs write them: `yyyy-MM-dd[T| ]HH:mm:ss[,.fraction][Z|±HH[:]MM]`.
 */
import { civilMs, clock, cur, digits, fraction, validDate, zoneOffset } from './scan.ts';

/** Result slots of {@link isoAt}, valid right after a successful call. */
export const iso = {
  /** Index just past the timestamp (fraction and zone included). */
  end: 0,
  /** UTC offset written in the timestamp, in ms (0 when none). */
  offset: 0,
  /** True when the timestamp carried `Z` or an offset. */
  zoned: false,
};

/**
 * Reads a `yyyy-MM-dd` date at `i`; returns epoch ms of its midnight (UTC encoding) or NaN.
 */
export function isoDateAt(s: string, i: number): number {
  if (s.charCodeAt(i + 4) !== 0x2d || s.charCodeAt(i + 7) !== 0x2d) return NaN;
  const y = digits(s, i, 4);
  const m = digits(s, i + 5, 2);
  const d = digits(s, i + 8, 2);
  if (y < 0 || m < 0 || d < 0 || !validDate(y, m, d)) return NaN;
  return civilMs(y, m, d, 0, 0, 0, 0);
}

/**
 * Reads `yyyy-MM-dd[T ]HH:mm:ss[.frac][zone]` at `i`. Returns the wall-clock time as written,
 * encoded as epoch ms as if UTC (subtract `iso.offset` for the true instant), or NaN when the text
 * at `i` is not such a timestamp.
 */
export function isoAt(s: string, i: number): number {
  const day = isoDateAt(s, i);
  if (Number.isNaN(day)) return NaN;
  const sep = s.charCodeAt(i + 10);
  if (sep !== 0x54 && sep !== 0x20 && sep !== 0x74) return NaN;
  const sod = clock(s, i + 11);
  if (sod < 0) return NaN;
  const ms = fraction(s, i + 19);
  const off = zoneOffset(s, cur.frac);
  iso.end = cur.zone;
  iso.offset = off;
  iso.zoned = cur.zone !== cur.frac;
  return day + sod * 1000 + ms;
}
