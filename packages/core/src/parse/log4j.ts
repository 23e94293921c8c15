/**
 * Best-effort reading of other "date time LEVEL …" layouts, after their timestamp:
 * Hadoop `LEVEL [thread] class: msg`, Zookeeper `- LEVEL  [thread:Class@line] - msg`,
 * Spark `LEVEL class: msg`, HDFS `pid LEVEL class: msg`, BGL `node time node type COMPONENT LEVEL msg`,
 * Thunderbird `node Mmm d HH:mm:ss location tag[pid]: msg` and Apache `[level] msg`.
 * `message` is what follows the recognised fields: the text a template miner should see.
 */
import type { ParsedEvent } from '../types.ts';
import { head, monthHeadAt } from './detect.ts';
import { closeGroup } from './jboss.ts';
import { SPACE, civilMs, cur, digits, fraction, isDigit, levelAt, skipBlanks, tokenEnd, validDate, validTime } from './scan.ts';
import { hostTagMessage } from './syslog.ts';

/** True for `- ` at p (a separator some layouts put around fields). */
function dash(line: string, p: number): boolean {
  return line.charCodeAt(p) === 0x2d && (line.charCodeAt(p + 1) === SPACE || p + 1 === line.length);
}

/** Zookeeper's `thread:Class@line` bracket → component `Class`, thread `thread`; false if not that shape. */
function zkBracket(ev: ParsedEvent, line: string, s: number, e: number): boolean {
  let at = e - 1;
  while (at > s && isDigit(line.charCodeAt(at))) at--;
  if (at === e - 1 || at <= s || line.charCodeAt(at) !== 0x40) return false;
  let colon = at - 1;
  while (colon >= s && line.charCodeAt(colon) !== 0x3a) colon--;
  if (colon < s) return false;
  ev.thread = line.slice(s, colon);
  ev.component = line.slice(colon + 1, at);
  return true;
}

/**
 * Fields after a log4j-style timestamp at `p`: optional pid, optional `-`, level, optional
 * `[thread]`, optional `-`, optional dotted `logger:`; the rest is the message.
 */
export function log4jRest(ev: ParsedEvent, line: string, p: number): void {
  p = skipBlanks(line, p);
  if (dash(line, p)) p = skipBlanks(line, p + 1);
  // HDFS: numeric pid before the level
  let k = p;
  let pid = 0;
  while (k < line.length && isDigit(line.charCodeAt(k)) && k - p < 10) pid = pid * 10 + line.charCodeAt(k++) - 0x30;
  if (k > p && line.charCodeAt(k) === SPACE) {
    const q = skipBlanks(line, k);
    if (levelAt(line, q, false) !== '') {
      ev.pid = pid;
      p = q;
    }
  }
  const lv = levelAt(line, p, false);
  if (lv !== '') {
    ev.level = lv;
    p = skipBlanks(line, cur.level);
    if (line.charCodeAt(p) === 0x5b) {
      const ce = closeGroup(line, p, 0x5b, 0x5d);
      if (ce > 0) {
        if (!zkBracket(ev, line, p + 1, ce)) ev.thread = line.slice(p + 1, ce);
        p = skipBlanks(line, ce + 1);
      }
    }
    if (dash(line, p)) p = skipBlanks(line, p + 1);
    if (ev.component === '') {
      const e = tokenEnd(line, p);
      if (e - p > 2 && line.charCodeAt(e - 1) === 0x3a) {
        const dot = line.indexOf('.', p);
        if (dot > p && dot < e - 2) {
          ev.component = line.slice(p, e - 1);
          p = skipBlanks(line, e);
        }
      }
    }
  }
  ev.message = line.slice(p);
}

/**
 * BGL / Thunderbird body after `[label ]epoch yyyy.MM.dd ` (at head.end, epoch in head.epoch).
 * ts comes from the epoch (true UTC); wall from the local time written further on.
 */
export function epochBody(ev: ParsedEvent, line: string, p: number, epoch: number): void {
  const year = digits(line, p - 11, 4);
  ev.ts = epoch * 1000;
  const ne = tokenEnd(line, p);
  ev.host = line.slice(p, ne);
  const q = skipBlanks(line, ne);
  // BGL: yyyy-MM-dd-HH.mm.ss.ffffff
  if (line.charCodeAt(q + 4) === 0x2d && line.charCodeAt(q + 10) === 0x2d && line.charCodeAt(q + 13) === 0x2e) {
    const y = digits(line, q, 4);
    const mo = digits(line, q + 5, 2);
    const d = digits(line, q + 8, 2);
    const h = digits(line, q + 11, 2);
    const mi = digits(line, q + 14, 2);
    const s = digits(line, q + 17, 2);
    if (y >= 0 && validDate(y, mo, d) && h >= 0 && mi >= 0 && s >= 0 && validTime(h, mi, s) && line.charCodeAt(q + 16) === 0x2e) {
      const ms = fraction(line, q + 19);
      ev.wall = civilMs(y, mo, d, h, mi, s, ms);
      ev.ts += ms;
      // node type COMPONENT LEVEL message
      let r = skipBlanks(line, cur.frac);
      r = skipBlanks(line, tokenEnd(line, r)); // repeated node
      r = skipBlanks(line, tokenEnd(line, r)); // RAS / NULL
      const ce = tokenEnd(line, r);
      const lr = skipBlanks(line, ce);
      const lv = levelAt(line, lr, false);
      if (lv !== '' && ce > r) {
        ev.component = line.slice(r, ce);
        ev.level = lv;
        ev.message = line.slice(skipBlanks(line, cur.level));
      } else ev.message = line.slice(r);
      return;
    }
  }
  // Thunderbird: Mmm d HH:mm:ss location tag[pid]: message
  if (monthHeadAt(line, q) && year >= 0 && validDate(year, head.month, head.day)) {
    ev.wall = civilMs(year, head.month, head.day, 0, 0, 0, 0) + head.sod;
    const host = ev.host;
    hostTagMessage(ev, line, head.end, false);
    ev.host = host;
    return;
  }
  ev.message = line.slice(q);
}

/**
 * Apache error log body after `[Www Mmm dd HH:mm:ss yyyy] ` at p: `[level]` or `[module:level]`,
 * optional `[pid N…]`, then the message.
 */
export function apacheBody(ev: ParsedEvent, line: string, p: number): void {
  p = skipBlanks(line, p);
  if (line.charCodeAt(p) === 0x5b) {
    const ce = line.indexOf(']', p);
    if (ce > 0) {
      let ls = p + 1;
      const colon = line.indexOf(':', ls);
      if (colon > 0 && colon < ce) {
        ev.component = line.slice(ls, colon);
        ls = colon + 1;
      }
      const lv = levelAt(line, ls, true);
      if (lv !== '' && cur.level === ce) {
        ev.level = lv;
        p = skipBlanks(line, ce + 1);
      } else ev.component = '';
    }
  }
  if (ev.level !== '' && line.startsWith('[pid ', p)) {
    let k = p + 5;
    let pid = 0;
    while (isDigit(line.charCodeAt(k)) && k - p < 15) pid = pid * 10 + line.charCodeAt(k++) - 0x30;
    const ce = line.indexOf(']', k);
    if (k > p + 5 && ce > 0) {
      ev.pid = pid;
      p = skipBlanks(line, ce + 1);
    }
  }
  ev.message = line.slice(p);
}
