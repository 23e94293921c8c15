/**
 * Multi-line joining: continuation records (stack frames, `Caused by:`, `... N more`, exception
 * class lines, DMR failure descriptions, the boot-time system-properties dump — any line that does
 * not start with a recognised header) are merged into the event before them, lines joined by '\n'.
 *
 * Rules, in order, for each record after the first:
 * 1. A record whose first line has no recognised header (see detect.ts) continues the open event
 *    when it comes from the same source and host and either the open event starts with a header
 *    (JBoss messages run on over unindented lines too: service status reports, SQL, DMR) or the
 *    line is empty or a trace line (whitespace-led, `Caused by:`, `Suppressed:`, `... N more`,
 *    `at pkg.C.m(`). So lines without any header are one event each — two plain lines are two
 *    events — and only trace lines join them; a leading orphan continuation is its own event.
 * 2. JBoss printStackTrace() output, which JBoss stamps line by line as
 *    `… ERROR [stderr] (thread) \tat …`, continues the open event when that event also started
 *    with a `[stderr]` line of the same thread and the stamped text is a trace continuation
 *    (whitespace-led frame / `... N more` / `Suppressed:`, `Caused by:`, `at pkg.C.m(`), or — while
 *    no such trace line has been seen yet — an exception class line or, after one, more message
 *    text (`java.sql.SQLException: …` then `select …`). The first stderr line of an exception
 *    starts the event; an exception line after a complete trace starts the next one.
 *    Limitation: a trace interleaved with another thread's lines is split where the other lines cut in.
 * 3. Every other record starts a new event.
 * Size caps bound an event: a continuation that would pass maxLines or maxChars starts a new
 * (headerless) event instead; nothing is dropped.
 */
import type { LogRecord } from '../types.ts';
import { Head, head, headAt } from './detect.ts';
import { jb, jbossFields } from './jboss.ts';
import { cur, levelAt, skipBlanks } from './scan.ts';
import { exceptionLineAt, traceContinuation } from './stack.ts';

/** Bounds of one joined event. */
export interface JoinOptions {
  /** Most lines one event may hold, its first line included. @defaultValue 1000 */
  maxLines?: number;
  /** Most characters (UTF-16 code units, '\n' separators included) one event may hold. @defaultValue 1_048_576 */
  maxChars?: number;
}

const DEFAULT_MAX_LINES = 1000;
const DEFAULT_MAX_CHARS = 1_048_576;

/** What a record's first line is, as the joiner sees it. */
const kind = { header: false, errThread: undefined as string | undefined, msg: 0 };

/** Classifies `line` into {@link kind}: header or not; for JBoss `[stderr]` lines the thread. */
function classify(line: string): void {
  const h = headAt(line);
  kind.header = h !== Head.None;
  kind.errThread = undefined;
  if (h !== Head.Clock && h !== Head.Iso) return;
  // Cheap test first: `LEVEL [stderr] (` right after the timestamp.
  const p = skipBlanks(line, head.end);
  if (levelAt(line, p, false) === '' || !line.startsWith('[stderr] (', skipBlanks(line, cur.level))) return;
  if (!jbossFields(line, head.end)) return;
  kind.errThread = line.slice(jb.threadStart, jb.threadEnd);
  kind.msg = jb.msg;
}

function countLines(s: string, firstNl: number): number {
  let n = 1;
  for (let i = firstNl; i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Streaming joiner for big files and the CLI: feed records in order with push(), which returns
 * the previous event once a record shows it is complete; call flush() at the end.
 */
export class EventJoiner {
  private readonly maxLines: number;
  private readonly maxChars: number;
  private first: LogRecord | undefined;
  private parts: string[] = [];
  private lines = 0;
  private chars = 0;
  /** Thread of the open event when it started with a JBoss `[stderr]` line. */
  private errThread: string | undefined;
  /** The open stderr event holds an exception class line. */
  private errException = false;
  /** The open stderr event holds trace lines (frames, Caused by, … more). */
  private errTrace = false;
  /** The open event's first line has a recognised header. */
  private headed = false;

  constructor(options: JoinOptions = {}) {
    this.maxLines = Math.max(1, options.maxLines ?? DEFAULT_MAX_LINES);
    this.maxChars = Math.max(1, options.maxChars ?? DEFAULT_MAX_CHARS);
  }

  /** Adds a record; returns the event it completes, if any. */
  push(rec: LogRecord): LogRecord | undefined {
    const text = typeof rec.line === 'string' ? rec.line : '';
    const nl = text.indexOf('\n');
    const firstLine = nl < 0 ? text : text.slice(0, nl);
    classify(firstLine);
    const prev = this.first;
    if (prev !== undefined && rec.source === prev.source && rec.host === prev.host && this.continues(firstLine)) {
      const n = nl < 0 ? 1 : countLines(text, nl);
      if (this.lines + n <= this.maxLines && this.chars + 1 + text.length <= this.maxChars) {
        if (this.parts.length === 0) this.parts.push(typeof prev.line === 'string' ? prev.line : '');
        this.parts.push(text);
        this.lines += n;
        this.chars += 1 + text.length;
        if (kind.errThread !== undefined) this.noteStderr(firstLine, kind.msg);
        return undefined;
      }
      // Over a size cap: the rest of the event goes on as a new one, still of a headed event.
      const headed = this.headed;
      const done = this.flush();
      this.start(rec, text, nl, firstLine);
      this.headed = headed;
      return done;
    }
    const done = this.flush();
    this.start(rec, text, nl, firstLine);
    return done;
  }

  /** Returns the open event (if any) and resets the joiner. */
  flush(): LogRecord | undefined {
    const first = this.first;
    if (first === undefined) return undefined;
    this.first = undefined;
    if (this.parts.length === 0) return first;
    const line = this.parts.join('\n');
    this.parts = [];
    return { ...first, line };
  }

  /** Rule 1 / rule 2 for the record just classified. */
  private continues(firstLine: string): boolean {
    if (!kind.header) return this.headed || firstLine.length === 0 || traceContinuation(firstLine, 0);
    const t = kind.errThread;
    if (t === undefined || t !== this.errThread) return false;
    const m = kind.msg;
    if (traceContinuation(firstLine, m)) return true;
    if (this.errTrace) return false;
    return this.errException || exceptionLineAt(firstLine, m);
  }

  private noteStderr(line: string, m: number): void {
    if (traceContinuation(line, m)) this.errTrace = true;
    else if (exceptionLineAt(line, m)) this.errException = true;
  }

  private start(rec: LogRecord, text: string, nl: number, firstLine: string): void {
    this.first = rec;
    this.lines = nl < 0 ? 1 : countLines(text, nl);
    this.chars = text.length;
    this.errThread = kind.errThread;
    this.errException = false;
    this.errTrace = nl >= 0;
    this.headed = kind.header;
    if (kind.errThread !== undefined) this.noteStderr(firstLine, kind.msg);
  }
}

/**
 * Joins continuation records into the events before them (see the rules above). Records that
 * are not merged come back as the same objects; a merged event is a copy of its first record
 * (ts, host, source, fields kept) with the lines joined by '\n'.
 */
export function joinRecords(records: readonly LogRecord[], options?: JoinOptions): LogRecord[] {
  const j = new EventJoiner(options);
  const out: LogRecord[] = [];
  for (const rec of records) {
    const done = j.push(rec);
    if (done !== undefined) out.push(done);
  }
  const last = j.flush();
  if (last !== undefined) out.push(last);
  return out;
}
