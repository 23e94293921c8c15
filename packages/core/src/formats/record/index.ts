/**
 * Turning one decoded shipper record (a JSON or msgpack value) into a {@link LogRecord}.
 *
 * Message (`line`), first match wins:
 *   1. the first of `log`, `message`, `msg`, `MESSAGE`, `short_message`, `event.original`
 *      (a literal dotted key or nested `event: { original }`) whose value is a string;
 *   2. else the first of those keys holding any other non-null value, as JSON text, except `log`
 *      or `event` holding an object: those are ECS namespaces (`log.file.path`, `event.dataset`);
 *   3. else the JSON text of the whole record (never dropped), and `fields` is left out.
 * `log` (Fluent Bit tail, Docker) comes first because a record with both usually has `message` as a
 * derived/parsed field; `event.original` last because it duplicates `message` in ECS mode.
 *
 * Host: `host` (string), `host.name` (nested or dotted), `hostname`, `HOSTNAME`, `_HOSTNAME`.
 * Source: `log.file.path` (nested or dotted), `file`, `path`, `source`, `filename`, `tag`, then
 * the tag of the request (`/ingest/:tag`).
 * Time: the envelope time (msgpack EventTime) when there is one, else the first of `@timestamp`,
 * `timestamp`, `time`, `date` that reads as a plausible time (see ./time.ts).
 *
 * `fields` holds every other top-level key; keys consumed as line, time, host (string) or source
 * (string) are left out, and so is `event.original` when it repeats the line. Nested objects are
 * kept by reference, not copied.
 */
import type { LogRecord } from '../../types.ts';
import { readTime } from './time.ts';

export { epochToMs, parseIsoTime, plausible, readTime } from './time.ts';

/** What a record needs from the request. */
export interface RecordContext {
  /** Receipt time, epoch ms: bounds plausible event times. Not stamped on records. */
  receivedAt: number;
  /** Source to use when the record names none (the `:tag` of `/ingest/:tag`, a forward tag). */
  tag: string | undefined;
}

type Obj = Record<string, unknown>;

const MESSAGE_KEYS = ['log', 'message', 'msg', 'MESSAGE', 'short_message'] as const;
const TIME_KEYS = ['@timestamp', 'timestamp', 'time', 'date'] as const;
const HOST_KEYS = ['hostname', 'HOSTNAME', '_HOSTNAME'] as const;
const SOURCE_KEYS = ['file', 'path', 'source', 'filename', 'tag'] as const;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);
}

/** Text of a non-string message value. Binary (msgpack bin) is read as UTF-8. */
export function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s;
}

/** Nested lookup a.b(.c) through plain objects, or the literal dotted key. */
function dig(obj: Obj, dotted: string, a: string, b: string, c?: string): unknown {
  const lit = obj[dotted];
  if (lit !== undefined) return lit;
  let v = obj[a];
  if (!isObj(v)) return undefined;
  v = v[b];
  if (c === undefined) return v;
  return isObj(v) ? v[c] : undefined;
}

/**
 * Builds a record from one decoded value.
 * @param value the decoded record (object, string, or anything else)
 * @param ctx request context
 * @param envelopeTs event time from the transport envelope (msgpack EventTime), epoch ms
 */
export function toRecord(value: unknown, ctx: RecordContext, envelopeTs?: number): LogRecord {
  if (!isObj(value)) {
    const rec: LogRecord = { line: valueText(value) };
    if (envelopeTs !== undefined) rec.ts = envelopeTs;
    if (ctx.tag !== undefined) rec.source = ctx.tag;
    return rec;
  }
  const obj = value;

  // Message.
  let lineKey: string | undefined;
  let line: string | undefined;
  for (const k of MESSAGE_KEYS) {
    const v = obj[k];
    if (typeof v === 'string') {
      lineKey = k;
      line = v;
      break;
    }
  }
  const original = dig(obj, 'event.original', 'event', 'original');
  if (line === undefined) {
    if (typeof original === 'string') {
      line = original;
      if (obj['event.original'] !== undefined) lineKey = 'event.original'; // else nested: stripped below
    } else {
      for (const k of MESSAGE_KEYS) {
        const v = obj[k];
        if (v !== undefined && v !== null && !(k === 'log' && isObj(v))) {
          lineKey = k;
          line = valueText(v);
          break;
        }
      }
      if (line === undefined && obj['event.original'] != null) {
        lineKey = 'event.original';
        line = valueText(obj['event.original']);
      }
    }
  }

  // Time.
  let ts = envelopeTs;
  let tsKey: string | undefined;
  if (ts === undefined) {
    for (const k of TIME_KEYS) {
      const v = obj[k];
      if (v === undefined) continue;
      ts = readTime(v, ctx.receivedAt);
      if (ts !== undefined) {
        tsKey = k;
        break;
      }
    }
  }

  // Host.
  let host: string | undefined;
  let hostKey: string | undefined;
  const h = obj['host'];
  if (typeof h === 'string') {
    host = h;
    hostKey = 'host';
  } else {
    const hn = dig(obj, 'host.name', 'host', 'name');
    if (typeof hn === 'string') {
      host = hn;
      if (obj['host.name'] !== undefined) hostKey = 'host.name';
    } else {
      for (const k of HOST_KEYS) {
        const v = obj[k];
        if (typeof v === 'string') {
          host = v;
          hostKey = k;
          break;
        }
      }
    }
  }

  // Source.
  let source: string | undefined;
  let sourceKey: string | undefined;
  const fp = dig(obj, 'log.file.path', 'log', 'file', 'path');
  if (typeof fp === 'string') {
    source = fp;
    if (obj['log.file.path'] !== undefined) sourceKey = 'log.file.path';
  } else {
    for (const k of SOURCE_KEYS) {
      const v = obj[k];
      if (typeof v === 'string') {
        source = v;
        sourceKey = k;
        break;
      }
    }
    if (source === undefined) source = ctx.tag;
  }

  const rec: LogRecord = { line: line ?? valueText(obj) };
  if (ts !== undefined) rec.ts = ts;
  if (host !== undefined) rec.host = host;
  if (source !== undefined) rec.source = source;
  if (line === undefined) return rec; // the whole record is the line: no need to repeat it

  // Fields: everything not consumed above. `event.original` repeating the line is dropped.
  const dropOriginal = original === line;
  let fields: Obj | undefined;
  for (const k in obj) {
    if (k === lineKey || k === tsKey || k === hostKey || k === sourceKey) continue;
    let v = obj[k];
    if (v === undefined) continue;
    if (dropOriginal && k === 'event.original') continue;
    if (dropOriginal && k === 'event' && isObj(v) && v['original'] === line) {
      v = withoutKey(v, 'original');
      if (v === undefined) continue;
    }
    if (fields === undefined) fields = {};
    if (k === '__proto__') Object.defineProperty(fields, k, { value: v, enumerable: true, writable: true, configurable: true });
    else fields[k] = v;
  }
  if (fields !== undefined) rec.fields = fields;
  return rec;
}

/** Shallow copy of `o` without `key`; undefined when nothing is left. */
function withoutKey(o: Obj, key: string): Obj | undefined {
  let out: Obj | undefined;
  for (const k in o) {
    if (k === key) continue;
    if (out === undefined) out = {};
    if (k === '__proto__') Object.defineProperty(out, k, { value: o[k], enumerable: true, writable: true, configurable: true });
    else out[k] = o[k];
  }
  return out;
}
