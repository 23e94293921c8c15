/**
 * Header detection: which known layout a line starts with, decided from its first characters and
 * its timestamp alone. The multi-line joiner and the parser share this one decision, so a line the
 * joiner treats as the start of an event is exactly a line the parser reads a header from.
 */
import { iso, isoAt } from './iso.ts';
import { SPACE, civilMs, clock, cur, digits, fraction, isDigit, monthAt, validDate } from './scan.ts';

/** Layout families, by how the line starts. */
export const Head = {
  None: 0,
  /** `HH:mm:ss,SSS ` (JBoss console / EAP 6 file pattern). */
  Clock: 1,
  /** `yyyy-MM-dd[T ]HH:mm:ss…` (JBoss, seed, log4j). */
  Iso: 2,
  /** `<PRI>` (RFC 5424 / RFC 3164). */
  Pri: 3,
  /** `Mmm dd HH:mm:ss ` (RFC 3164 without PRI). */
  Month: 4,
  /** `{…"timestamp"…}` (WildFly JSON formatter). */
  Json: 5,
  /** `yy/MM/dd HH:mm:ss ` or `yyyy/MM/dd HH:mm:ss ` (Spark and other log4j). */
  Slash: 6,
  /** `yyMMdd HHmmss ` (HDFS). */
  Compact: 7,
  /** `[label ]epoch yyyy.MM.dd ` (BGL, Thunderbird). */
  Epoch: 8,
  /** `[Www Mmm dd HH:mm:ss yyyy] ` (Apache error log). */
  Apache: 9,
} as const;
export type Head = (typeof Head)[keyof typeof Head];

/** What {@link headAt} read; valid until the next call. */
export const head = {
  /** Index just past the timestamp / prefix. */
  end: 0,
  /** Wall clock as epoch ms as if UTC; NaN when the date is not in the line (Clock, Month). */
  wall: NaN,
  /** UTC offset in ms written in the timestamp (Iso). */
  offset: 0,
  /** Milliseconds since midnight (Clock, Month). */
  sod: 0,
  /** Month and day of a Month header. */
  month: 0,
  day: 0,
  /** Epoch seconds of an Epoch header; index where its body starts is `end`. */
  epoch: 0,
};

/** Cheapest possible WildFly JSON test: an object line naming a `timestamp` (or `@timestamp`) near its start. */
function jsonLike(line: string): boolean {
  let e = line.length - 1;
  while (e > 0 && line.charCodeAt(e) <= SPACE) e--;
  if (line.charCodeAt(e) !== 0x7d) return false;
  const k = line.indexOf('timestamp"'); // "timestamp" or "@timestamp"
  return k > 0 && k < 200;
}

function clockHead(line: string, i: number): boolean {
  const sod = clock(line, i);
  if (sod < 0) return false;
  const ms = fraction(line, i + 8);
  if (cur.frac === i + 8) return false; // the console pattern always prints milliseconds
  if (line.charCodeAt(cur.frac) !== SPACE) return false;
  head.sod = sod * 1000 + ms;
  head.end = cur.frac;
  return true;
}

/** `Mmm dd HH:mm:ss` (day space-padded or unpadded) at `i`; fills head.month/day/sod/end. */
export function monthHeadAt(line: string, i: number): boolean {
  const m = monthAt(line, i);
  if (m === 0 || line.charCodeAt(i + 3) !== SPACE) return false;
  const a = line.charCodeAt(i + 4);
  const b = line.charCodeAt(i + 5);
  let d: number;
  let p = i + 6;
  if (a === SPACE && isDigit(b)) d = b - 0x30; // "Jul  4"
  else if (isDigit(a) && isDigit(b)) d = (a - 0x30) * 10 + b - 0x30; // "Jun 14"
  else if (isDigit(a) && b === SPACE) {
    d = a - 0x30; // "Nov 9" (unpadded)
    p = i + 5;
  } else return false;
  if (d < 1 || d > 31 || line.charCodeAt(p) !== SPACE) return false;
  const sod = clock(line, p + 1);
  if (sod < 0) return false;
  const ms = fraction(line, p + 9);
  head.month = m;
  head.day = d;
  head.sod = sod * 1000 + ms;
  head.end = cur.frac;
  return true;
}

/** `yyyy.MM.dd` at i → valid? */
function dottedDate(line: string, i: number): boolean {
  if (line.charCodeAt(i + 4) !== 0x2e || line.charCodeAt(i + 7) !== 0x2e || line.charCodeAt(i + 10) !== SPACE) return false;
  const y = digits(line, i, 4);
  return y >= 0 && validDate(y, digits(line, i + 5, 2), digits(line, i + 8, 2));
}

/** `epoch yyyy.MM.dd ` at i (epoch 9–10 digits). */
function epochHead(line: string, i: number): boolean {
  let j = i;
  let v = 0;
  while (j - i < 11 && isDigit(line.charCodeAt(j))) v = v * 10 + line.charCodeAt(j++) - 0x30;
  if (j - i < 9 || j - i > 10 || line.charCodeAt(j) !== SPACE || !dottedDate(line, j + 1)) return false;
  head.epoch = v;
  head.end = j + 12;
  return true;
}

function slashHead(line: string): boolean {
  let y: number;
  let i: number;
  if (line.charCodeAt(2) === 0x2f) {
    y = digits(line, 0, 2);
    y = y < 0 ? -1 : y + (y < 70 ? 2000 : 1900);
    i = 3;
  } else {
    y = digits(line, 0, 4);
    i = 5;
  }
  if (y < 0 || line.charCodeAt(i + 2) !== 0x2f || line.charCodeAt(i + 5) !== SPACE) return false;
  const m = digits(line, i, 2);
  const d = digits(line, i + 3, 2);
  if (!validDate(y, m, d)) return false;
  const sod = clock(line, i + 6);
  if (sod < 0) return false;
  const ms = fraction(line, i + 14);
  head.wall = civilMs(y, m, d, 0, 0, 0, 0) + sod * 1000 + ms;
  head.end = cur.frac;
  return true;
}

function compactHead(line: string): boolean {
  if (line.charCodeAt(6) !== SPACE || line.charCodeAt(13) !== SPACE) return false;
  const y = digits(line, 0, 2);
  const m = digits(line, 2, 2);
  const d = digits(line, 4, 2);
  const h = digits(line, 7, 2);
  const mi = digits(line, 9, 2);
  const s = digits(line, 11, 2);
  const yy = y + (y < 70 ? 2000 : 1900);
  if (y < 0 || h < 0 || mi < 0 || s < 0 || !validDate(yy, m, d) || h > 23 || mi > 59 || s > 60) return false;
  head.wall = civilMs(yy, m, d, h, mi, s, 0);
  head.end = 13;
  return true;
}

function apacheHead(line: string): boolean {
  // [Sun Dec 04 04:47:44 2005]
  if (line.charCodeAt(4) !== SPACE || line.charCodeAt(8) !== SPACE || line.charCodeAt(11) !== SPACE) return false;
  const m = monthAt(line, 5);
  const d = digits(line, 9, 2);
  const sod = clock(line, 12);
  if (m === 0 || d < 0 || sod < 0) return false;
  const ms = fraction(line, 20);
  const p = cur.frac;
  const y = digits(line, p + 1, 4);
  if (line.charCodeAt(p) !== SPACE || y < 0 || line.charCodeAt(p + 5) !== 0x5d || !validDate(y, m, d)) return false;
  head.wall = civilMs(y, m, d, 0, 0, 0, 0) + sod * 1000 + ms;
  head.end = p + 6;
  return true;
}

/**
 * Which layout `line` (a single line) starts with; fills {@link head}. Never throws and looks at
 * a bounded prefix, except the JSON test which scans the line once.
 */
export function headAt(line: string): Head {
  const c = line.charCodeAt(0);
  head.wall = NaN;
  head.offset = 0;
  if (isDigit(c)) {
    const c2 = line.charCodeAt(2);
    if (c2 === 0x3a) return clockHead(line, 0) ? Head.Clock : Head.None;
    const c4 = line.charCodeAt(4);
    if (c4 === 0x2d) {
      const w = isoAt(line, 0);
      if (Number.isNaN(w)) return Head.None;
      head.wall = w;
      head.offset = iso.offset;
      head.end = iso.end;
      return Head.Iso;
    }
    if (c2 === 0x2f || c4 === 0x2f) return slashHead(line) ? Head.Slash : Head.None;
    if (line.charCodeAt(6) === SPACE && compactHead(line)) return Head.Compact;
    return epochHead(line, 0) ? Head.Epoch : Head.None;
  }
  switch (c) {
    case 0x3c: {
      // <PRI>
      let j = 1;
      let pri = 0;
      while (j < 5 && isDigit(line.charCodeAt(j))) pri = pri * 10 + line.charCodeAt(j++) - 0x30;
      if (j === 1 || line.charCodeAt(j) !== 0x3e || pri > 191) return Head.None;
      head.epoch = pri;
      head.end = j + 1;
      return Head.Pri;
    }
    case 0x7b:
      return jsonLike(line) ? Head.Json : Head.None;
    case 0x5b:
      return apacheHead(line) ? Head.Apache : Head.None;
    case 0x2d:
      return line.charCodeAt(1) === SPACE && epochHead(line, 2) ? Head.Epoch : Head.None;
    default:
      break;
  }
  // Letters: a month name (RFC 3164) or an upper-case alert label before an epoch (BGL).
  if (monthHeadAt(line, 0)) return Head.Month;
  if (c >= 0x41 && c <= 0x5a) {
    let j = 1;
    while (j < 40) {
      const x = line.charCodeAt(j);
      if (!((x >= 0x41 && x <= 0x5a) || isDigit(x) || x === 0x5f)) break;
      j++;
    }
    if (line.charCodeAt(j) === SPACE && epochHead(line, j + 1)) return Head.Epoch;
  }
  return Head.None;
}
