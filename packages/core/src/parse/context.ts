import { DAY_MS, dayStart, digits, validDate, daysFromCivil } from './scan.ts';

/**
 * What the caller knows about an event beyond its text. Every field is optional; they only fill
 * in time parts that a line does not carry.
 */
export interface ParseContext {
  /**
   * Epoch ms of UTC midnight of the day a JBoss console-format file (`HH:mm:ss,SSS …`, EAP 6)
   * covers, e.g. from {@link fileDateFromName}. Used as the date of such lines, before `rec.ts`
   * and `receivedAt`.
   */
  fileDate?: number;
  /** Year for RFC 3164 lines (`Mmm dd HH:mm:ss`), which carry none. Wins over rec.ts / receivedAt. */
  year?: number;
  /**
   * Epoch ms when the event was received. Fallback time for lines without a time, and the
   * reference for the date (console lines) or year (RFC 3164) when nothing better is known.
   */
  receivedAt?: number;
  /**
   * How far the wall clock that wrote the lines is ahead of UTC, in ms (+7200000 for a server on
   * UTC+2), near the reference time. Only places time-only lines on a day (see {@link consoleDay});
   * times stay read as UTC. The CLI sets the machine's own offset; services leave it 0 (UTC).
   */
  clockOffsetMs?: number;
}

/**
 * UTC midnight (epoch ms) of the last `yyyy-MM-dd` date in a file name or path, as written by
 * JBoss' periodic rotating handler (`server.log.2016-04-24`, also `server.log.2016-04-24-10`).
 * undefined when the name holds no valid date.
 */
export function fileDateFromName(name: string): number | undefined {
  for (let i = name.length - 10; i >= 0; i--) {
    if (name.charCodeAt(i + 4) !== 0x2d || name.charCodeAt(i + 7) !== 0x2d) continue;
    const y = digits(name, i, 4);
    const m = digits(name, i + 5, 2);
    const d = digits(name, i + 8, 2);
    if (y < 0 || m < 0 || d < 0 || !validDate(y, m, d)) continue;
    // Not part of a longer digit run (e.g. 12016-04-245).
    const before = i > 0 ? name.charCodeAt(i - 1) : 0;
    const after = name.charCodeAt(i + 10);
    if ((before >= 0x30 && before <= 0x39) || (after >= 0x30 && after <= 0x39)) continue;
    return daysFromCivil(y, m, d) * DAY_MS;
  }
  return undefined;
}

/** A time the event is known to be near: the record's own time, else the receipt time. NaN if none. */
export function referenceTime(recTs: number | undefined, ctx: ParseContext | undefined): number {
  if (recTs !== undefined && Number.isFinite(recTs)) return recTs;
  const r = ctx?.receivedAt;
  return r !== undefined && Number.isFinite(r) ? r : NaN;
}

/**
 * Clock skew allowed between the writer of a time-only line and the reference time (receipt, or
 * the file's modification time): a time of day up to 5 minutes after the reference still counts
 * as the reference's day; later, it cannot have been written yet, so it was written the day before.
 */
export const CONSOLE_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Midnight (wall encoding) of the day a console line's time of day `sod` (ms) belongs to:
 * ctx.fileDate when given, else the day of the reference time (on the writer's clock, see
 * ctx.clockOffsetMs) — the previous day when that time of day would lie in the future, more than
 * {@link CONSOLE_CLOCK_SKEW_MS} after the reference (a line written yesterday, received today).
 * NaN when nothing is known.
 */
export function consoleDay(sodMs: number, recTs: number | undefined, ctx: ParseContext | undefined): number {
  const fd = ctx?.fileDate;
  if (fd !== undefined && Number.isFinite(fd)) return dayStart(fd);
  const ref = referenceTime(recTs, ctx);
  if (Number.isNaN(ref)) return NaN;
  const off = ctx?.clockOffsetMs;
  const wallRef = off !== undefined && Number.isFinite(off) ? ref + off : ref;
  const day = dayStart(wallRef);
  return day + sodMs - wallRef > CONSOLE_CLOCK_SKEW_MS ? day - DAY_MS : day;
}

/** Bounds of the last year looked up by {@link yearOf} (lines of one stream share a year). */
const lastYear = { start: 0, end: 0, year: 0 };

/** UTC year of an epoch-ms time, cached per year so a stream of lines allocates nothing. */
function yearOf(t: number): number {
  if (t >= lastYear.start && t < lastYear.end) return lastYear.year;
  const y = new Date(t).getUTCFullYear();
  lastYear.start = daysFromCivil(y, 1, 1) * DAY_MS;
  lastYear.end = daysFromCivil(y + 1, 1, 1) * DAY_MS;
  lastYear.year = y;
  return y;
}

/**
 * Year of an RFC 3164 date (month 1..12, day, time of day in ms): ctx.year when given, else the
 * reference time's year — the previous year when the date would lie more than a week after the
 * reference (December lines read in January). NaN when nothing is known.
 */
export function syslogYear(
  month: number,
  day: number,
  sodMs: number,
  recTs: number | undefined,
  ctx: ParseContext | undefined,
): number {
  const y = ctx?.year;
  if (y !== undefined && Number.isInteger(y)) return y;
  const ref = referenceTime(recTs, ctx);
  if (Number.isNaN(ref)) return NaN;
  const refYear = yearOf(ref);
  const candidate = daysFromCivil(refYear, month, day) * DAY_MS + sodMs;
  return candidate - ref > 7 * DAY_MS ? refYear - 1 : refYear;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Offset of the IANA time zone `timeZone` from UTC at the instant `at` (epoch ms), in ms:
 * +3600000 for Europe/Berlin in winter, +7200000 in summer; 0 for `UTC`. Feeds
 * {@link ParseContext.clockOffsetMs}. Throws RangeError for a zone the runtime does not know.
 */
export function zoneOffsetMs(timeZone: string, at: number): number {
  if (timeZone === 'UTC') return 0;
  let f = zoneFormats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(timeZone, f);
  }
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  for (const p of f.formatToParts(at)) {
    const v = Number(p.value);
    if (p.type === 'year') y = v;
    else if (p.type === 'month') mo = v;
    else if (p.type === 'day') d = v;
    else if (p.type === 'hour') h = v;
    else if (p.type === 'minute') mi = v;
    else if (p.type === 'second') sec = v;
  }
  return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + sec) * 1000 - Math.floor(at / 1000) * 1000;
}
