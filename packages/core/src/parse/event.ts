/**
 * parseEvent: one event (possibly multi-line) → ParsedEvent, layout detected per event from the
 * first characters of its first line. No configuration, no regular expressions, never throws.
 *
 * Time rules (documented contract):
 * - `wall` is the clock time as written, encoded as epoch ms as if it were UTC.
 * - `ts` is the true instant: `wall` minus the written UTC offset; a time without an offset is
 *   taken as UTC (ts === wall). BGL/Thunderbird lines carry an epoch, which gives ts directly.
 * - Parts a line lacks come from the context: the date of `HH:mm:ss,SSS` lines from ctx.fileDate,
 *   else the day of rec.ts, else of ctx.receivedAt; the year of RFC 3164 lines from ctx.year, else
 *   of rec.ts / ctx.receivedAt (see context.ts for the day/year roll-back rules).
 * - When no time can be read, ts = rec.ts, else ctx.receivedAt, else NaN; wall then falls back
 *   to ts (its UTC clock), so hour/day features still have a value.
 *
 * `message` is the text after the recognised header fields, what a template miner should see:
 * JBoss after `(thread) `, syslog after `tag[pid]: `, log4j-like layouts after level / [thread] /
 * `logger:` (a logger token is only split off when it is dotted, e.g. `org.a.B:`; a bare word
 * followed by ':' stays in the message), the whole line for 'unknown'. Best effort: a layout
 * that merely starts like a known one keeps whatever fields were found and the rest as message.
 */
import type { LineFormat, LogRecord, ParsedEvent } from '../types.ts';
import { type ParseContext, consoleDay, syslogYear } from './context.ts';
import { Head, head, headAt, monthHeadAt } from './detect.ts';
import { iso, isoAt } from './iso.ts';
import { jb, jbossFields } from './jboss.ts';
import { parseJsonLine } from './json.ts';
import { apacheBody, epochBody, log4jRest } from './log4j.ts';
import { civilMs, levelAt, skipBlanks, validDate } from './scan.ts';
import { findExceptionClass, traceStats } from './stack.ts';
import { hostTagMessage, priLevel, rfc5424Body, seedBody } from './syslog.ts';

function blank(format: LineFormat, host: string): ParsedEvent {
  return {
    format,
    ts: NaN,
    wall: NaN,
    level: '',
    host,
    component: '',
    pid: -1,
    thread: '',
    message: '',
    stackDepth: 0,
    causes: 0,
    exceptionClass: '',
    continuationLines: 0,
  };
}

function fillJboss(ev: ParsedEvent, line: string): void {
  ev.level = jb.level;
  ev.component = line.slice(jb.catStart, jb.catEnd);
  ev.thread = line.slice(jb.threadStart, jb.threadEnd);
  ev.message = line.slice(jb.msg);
}

/** RFC 3164 date (head.month/day/sod just read) → wall/ts, when a year can be found. */
function syslogTime(ev: ParsedEvent, recTs: number | undefined, ctx: ParseContext | undefined): void {
  const y = syslogYear(head.month, head.day, head.sod, recTs, ctx);
  if (Number.isNaN(y) || !validDate(y, head.month, head.day)) return;
  ev.wall = ev.ts = civilMs(y, head.month, head.day, 0, 0, 0, 0) + head.sod;
}

/** Reads the header of the single line `line` into ev. */
function parseLine(ev: ParsedEvent, line: string, recTs: number | undefined, ctx: ParseContext | undefined): void {
  switch (headAt(line)) {
    case Head.Clock: {
      ev.format = 'jboss-console';
      const end = head.end;
      const day = consoleDay(head.sod, recTs, ctx);
      if (!Number.isNaN(day)) ev.wall = ev.ts = day + head.sod;
      if (jbossFields(line, end)) fillJboss(ev, line);
      else log4jRest(ev, line, end);
      return;
    }
    case Head.Iso: {
      const end = head.end;
      ev.wall = head.wall;
      ev.ts = head.wall - head.offset;
      if (levelAt(line, skipBlanks(line, end), false) !== '') {
        // `LEVEL [category] (thread)` is JBoss; any other "date time LEVEL …" is log4j-like.
        if (jbossFields(line, end)) {
          ev.format = 'jboss';
          fillJboss(ev, line);
          return;
        }
      } else if (seedBody(ev, line, end)) {
        ev.format = 'seed';
        return;
      }
      ev.format = 'log4j';
      log4jRest(ev, line, end);
      return;
    }
    case Head.Pri: {
      const p = head.end;
      ev.level = priLevel(head.epoch);
      if (line.charCodeAt(p) === 0x31 && line.charCodeAt(p + 1) === 0x20) {
        rfc5424Body(ev, line, p + 2);
        return;
      }
      ev.format = 'rfc3164';
      if (monthHeadAt(line, p)) {
        const end = head.end;
        syslogTime(ev, recTs, ctx);
        hostTagMessage(ev, line, end, true);
        return;
      }
      const w = isoAt(line, p);
      if (!Number.isNaN(w)) {
        ev.wall = w;
        ev.ts = w - iso.offset;
        hostTagMessage(ev, line, iso.end, true);
      } else if (!seedBody(ev, line, p)) ev.message = line.slice(p);
      return;
    }
    case Head.Month: {
      ev.format = 'rfc3164';
      const end = head.end;
      syslogTime(ev, recTs, ctx);
      hostTagMessage(ev, line, end, true);
      return;
    }
    case Head.Json:
      if (parseJsonLine(ev, line)) return;
      break;
    case Head.Slash:
    case Head.Compact:
      ev.format = 'log4j';
      ev.wall = ev.ts = head.wall;
      log4jRest(ev, line, head.end);
      return;
    case Head.Epoch:
      ev.format = 'log4j';
      epochBody(ev, line, head.end, head.epoch);
      return;
    case Head.Apache:
      ev.format = 'log4j';
      ev.wall = ev.ts = head.wall;
      apacheBody(ev, line, head.end);
      return;
    default:
      break;
  }
  ev.format = 'unknown';
  ev.message = line;
}

/** Fallback time: rec.ts, else ctx.receivedAt, else NaN. */
function fallbackTs(recTs: number | undefined, ctx: ParseContext | undefined): number {
  if (recTs !== undefined && Number.isFinite(recTs)) return recTs;
  const r = ctx?.receivedAt;
  return typeof r === 'number' && Number.isFinite(r) ? r : NaN;
}

/**
 * Parses one event: a record from a shipper or a file (its `line` may hold several lines joined
 * by '\n', see joinRecords) or a bare string. The header comes from the first line; the other
 * lines feed stackDepth / causes / exceptionClass / continuationLines. Host falls back to rec.host.
 * Never throws: anything unrecognised is format 'unknown' with the whole first line as message.
 */
export function parseEvent(rec: LogRecord | string, ctx?: ParseContext): ParsedEvent {
  let text: string;
  let recTs: number | undefined;
  let host = '';
  if (typeof rec === 'string') text = rec;
  else if (typeof rec === 'object' && rec !== null) {
    const l: unknown = rec.line;
    text = typeof l === 'string' ? l : '';
    if (typeof rec.ts === 'number') recTs = rec.ts;
    if (typeof rec.host === 'string') host = rec.host;
  } else text = '';
  const nl = text.indexOf('\n');
  let end = nl < 0 ? text.length : nl;
  if (end > 0 && text.charCodeAt(end - 1) === 0x0d) end--;
  const line = end === text.length ? text : text.slice(0, end);
  let ev = blank('unknown', host);
  try {
    parseLine(ev, line, recTs, ctx);
    if (ev.format !== 'wildfly-json') {
      const m = ev.message;
      ev.exceptionClass = findExceptionClass(m, 0, m.length);
    }
    if (nl >= 0) traceStats(text, nl, ev);
  } catch {
    // Defensive: the scanners are written not to throw; if one ever does, keep the event.
    ev = blank('unknown', host);
    ev.message = line;
  }
  if (Number.isNaN(ev.ts)) ev.ts = fallbackTs(recTs, ctx);
  if (Number.isNaN(ev.wall)) ev.wall = ev.ts;
  return ev;
}
