/**
 * WildFly / JBoss LogManager JSON formatter output, one object per line:
 * `{"timestamp":"2020-05-26T16:47:51.224+02:00","sequence":1,"loggerClassName":…,"loggerName":…,
 *   "level":"ERROR","message":…,"threadName":…,"threadId":…,"mdc":{},"ndc":"","hostName":…,
 *   "processName":…,"processId":…,"exception":{…}?,"stackTrace":"…"?}`
 * The `exception` object (exception-output-type "detailed") is
 * `{"refId","exceptionType","message","frames":[{class,method,line}],"causedBy":{"exception":{…}},"suppressed":[…]}`;
 * "formatted" output puts the printed trace in `stackTrace`.
 */
import type { ParsedEvent } from '../types.ts';
import { iso, isoAt } from './iso.ts';
import { levelAt } from './scan.ts';
import { findExceptionClass, traceStats } from './stack.ts';

type Obj = Record<string, unknown>;

/** Largest |epoch ms| a JavaScript Date holds (±100,000,000 days). */
const MAX_DATE_MS = 8.64e15;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Walks a detailed `exception` object and its `causedBy` chain (depth-capped). */
function exceptionStats(ev: ParsedEvent, ex: Obj): void {
  let cur: Obj | undefined = ex;
  for (let depth = 0; cur !== undefined && depth < 64; depth++) {
    if (ev.exceptionClass === '') ev.exceptionClass = str(cur['exceptionType']);
    const frames = cur['frames'];
    const nFrames = Array.isArray(frames) ? frames.length : 0;
    ev.stackDepth += nFrames;
    ev.continuationLines += nFrames + 1; // frames plus the exception (or Caused by) line
    const caused: unknown = cur['causedBy'];
    const next: unknown = isObj(caused) ? caused['exception'] : undefined;
    if (isObj(next)) {
      ev.causes++;
      cur = next;
    } else cur = undefined;
  }
}

/**
 * Fills ev from a JSON formatter line; false when the line is not valid JSON of that shape
 * (ev untouched then). Time: `timestamp` (ISO with offset) or `@timestamp`, or epoch ms.
 */
export function parseJsonLine(ev: ParsedEvent, line: string): boolean {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return false;
  }
  if (!isObj(o)) return false;
  const t = o['timestamp'] ?? o['@timestamp'];
  if (typeof t === 'string') {
    const w = isoAt(t, 0);
    if (!Number.isNaN(w)) {
      ev.wall = w;
      ev.ts = w - iso.offset;
    }
  } else if (typeof t === 'number' && Math.abs(t) <= MAX_DATE_MS) {
    ev.wall = ev.ts = t; // epoch ms; a number no Date can hold (NaN, ±1e300) is not a time
  }
  ev.format = 'wildfly-json';
  const lv = str(o['level']);
  ev.level = levelAt(lv, 0, true) || lv.toUpperCase();
  ev.component = str(o['loggerName']);
  ev.thread = str(o['threadName']);
  const host = str(o['hostName']);
  if (host !== '') ev.host = host;
  const pid = o['processId'];
  const pidNum = typeof pid === 'number' ? pid : typeof pid === 'string' && pid !== '' ? Number(pid) : NaN;
  if (Number.isInteger(pidNum) && pidNum >= 0) ev.pid = pidNum;
  const msg = str(o['message']);
  const nl = msg.indexOf('\n');
  ev.message = nl < 0 ? msg : msg.slice(0, nl > 0 && msg.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl);
  ev.exceptionClass = findExceptionClass(ev.message, 0, ev.message.length);
  if (nl >= 0) traceStats(msg, nl, ev);
  const ex = o['exception'];
  if (isObj(ex)) exceptionStats(ev, ex);
  const trace = str(o['stackTrace']);
  if (trace !== '') {
    if (ev.exceptionClass === '') {
      const e = trace.indexOf('\n');
      ev.exceptionClass = findExceptionClass(trace, 0, e < 0 ? trace.length : e);
    }
    ev.continuationLines++; // the trace's first line
    const e = trace.indexOf('\n');
    if (e >= 0) traceStats(trace, e, ev);
  }
  return true;
}
