/**
 * Elasticsearch `_bulk` bodies (Filebeat, Fluent Bit `es`, Vector `elasticsearch`, Logstash
 * `elasticsearch`): NDJSON pairs of an action line and a document line.
 *
 * - `create` and `index` (with or without `_type`, `_id`, `pipeline`): the document is a record.
 * - `update`: the record is the `doc` (or `upsert`) object of the document line.
 * - `delete`: no document line; answered 404 `not_found` as Elasticsearch does for a missing doc
 *   (not an error: `errors` stays false).
 *
 * One {@link BulkItem} per action, in order, so the reply can pair item *i* with event *i* (that is
 * how Filebeat reads it). A bad document line or a missing action line fails only its item (400);
 * a body whose first line is not a JSON object is refused whole (400), as is one holding more
 * than `maxEvents` actions (413: Filebeat then splits the batch).
 *
 * Document fields per shipper (see ../record): Filebeat `message`, `@timestamp`, `host.name`,
 * `log.file.path`; Fluent Bit `@timestamp`, `log`; Vector `message`, `timestamp`, `host`, `file`;
 * Logstash `message`, `@timestamp`, `host`, `log.file.path`, `event.original`.
 */
import type { LogRecord } from '../../types.ts';
import { BadRequestError, FormatError } from '../errors.ts';
import { parseJson, scanValue, skipSeparators, tooMany } from '../json/index.ts';
import { type DecodeContext, type DecodeOptions, resolveOptions } from '../options.ts';
import { toRecord } from '../record/index.ts';

export { applyFilterPath, bulkResponse } from './response.ts';

/** Bulk operations. */
export type BulkAction = 'create' | 'index' | 'update' | 'delete';

/** A per-item failure, shaped like Elasticsearch's. */
export interface BulkItemError {
  /** e.g. `mapper_parsing_exception`, `illegal_argument_exception` (or `es_rejected_execution_exception` for a 429 set by the caller). */
  type: string;
  reason: string;
}

/** The outcome of one action, in request order. The HTTP layer may downgrade `status` (e.g. to 429) before replying. */
export interface BulkItem {
  action: BulkAction;
  /** `_index` of the action line, else the index of the URL (`/{index}/_bulk`), else `opts.index` default. */
  index: string;
  /** `_id` of the action line, else a generated one. */
  id: string;
  /** 201 created, 200 updated, 404 not_found (delete), 400 failed. */
  status: number;
  /** Elasticsearch `result` for a successful item. */
  result?: 'created' | 'updated' | 'not_found';
  error?: BulkItemError;
  /** Position in `records` of the record this item produced. */
  record?: number;
}

/** Options of {@link decodeBulk}: those of decodeBody (Content-Type is not needed) plus the URL index. */
export interface BulkDecodeOptions extends Omit<DecodeOptions, 'contentType'> {
  /** Index from the URL (`POST /{index}/_bulk`), used when an action names none. Default `logforest`. */
  index?: string | undefined;
}

/** What {@link decodeBulk} returns. */
export interface BulkDecodeResult {
  records: LogRecord[];
  items: BulkItem[];
}

const ACTIONS: ReadonlySet<string> = new Set(['create', 'index', 'update', 'delete']);

/** A non-blank line: its range, its rank among non-blank lines, and its physical line number. */
type Line = { start: number; stop: number; no: number; line: number; lineStart: number };
type Parsed = { ok: true; value: unknown } | { ok: false; error: FormatError };
type ActionMeta = { action: BulkAction; index?: string; id?: string };
/** Stands for "parsed before" when an action line repeats the previous one. */
const CACHED: Parsed = { ok: true, value: undefined };

/**
 * Decodes an Elasticsearch bulk body (already decompressed).
 * @throws BadRequestError (400) when the body is empty or not bulk NDJSON at all
 * @throws BodyTooLargeError (413) past `maxEvents` actions
 */
export function decodeBulk(body: Buffer, opts: BulkDecodeOptions): BulkDecodeResult {
  const text = body.toString('utf8');
  const ctx = resolveOptions(opts);
  const defaultIndex = opts.index ?? 'logforest';
  const idPrefix = `lf${Math.max(0, Math.floor(opts.receivedAt)).toString(36)}-`;
  const records: LogRecord[] = [];
  const items: BulkItem[] = [];
  let recCtx: DecodeContext = ctx;

  let pos = 0;
  let no = 0;
  let physical = 1;
  let lineStart = 0;
  /** Next non-blank line (CR and trailing spaces trimmed), or undefined at the end. */
  const next = (): Line | undefined => {
    const from = pos;
    pos = skipSeparators(text, pos, text.length);
    for (let i = from; i < pos; i++) {
      if (text.charCodeAt(i) === 10) {
        physical++;
        lineStart = i + 1;
      }
    }
    if (pos >= text.length) return undefined;
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    let stop = nl;
    while (stop > pos && (text.charCodeAt(stop - 1) === 13 || text.charCodeAt(stop - 1) === 32)) stop--;
    const line = { start: pos, stop, no: ++no, line: physical, lineStart };
    pos = nl + 1;
    physical++;
    lineStart = pos;
    return line;
  };
  /**
   * Limits first (depth, size), then JSON.parse of the whole line (so trailing junk fails too).
   * Error positions are named from the line itself: counting lines from the top of the body for
   * every bad line made a body of many bad lines quadratic.
   */
  const parse = (l: Line): Parsed => {
    const where = (o: number) => `line ${l.line}, column ${o - l.lineStart + 1}`;
    try {
      scanValue(text, l.start, l.stop, ctx, false, where);
      return { ok: true, value: parseJson(text, l.start, l.stop, where) };
    } catch (err) {
      if (err instanceof FormatError) return { ok: false, error: err };
      throw err;
    }
  };
  const fail = (action: BulkAction, index: string, id: string | undefined, type: string, reason: string): void => {
    items.push({ action, index, id: id ?? idPrefix + items.length.toString(36), status: 400, error: { type, reason } });
  };

  let lastActionText: string | undefined;
  let lastMeta: ActionMeta | undefined;
  let line = next();
  if (line === undefined) throw new BadRequestError('empty_body', 'empty body: no bulk action');
  while (line !== undefined) {
    if (items.length >= ctx.maxEvents) throw tooMany(ctx.maxEvents);
    const at = line;
    // Shippers repeat the same action line for every document: parse it once per batch.
    const actionText = text.slice(at.start, at.stop);
    let meta = actionText === lastActionText ? lastMeta : undefined;
    const parsed = meta === undefined ? parse(at) : CACHED;
    if (meta === undefined && parsed.ok) {
      meta = readAction(parsed.value);
      lastActionText = actionText;
      lastMeta = meta;
    }
    if (meta === undefined) {
      if (!parsed.ok || !isObject(parsed.value)) {
        if (items.length === 0) {
          const why = parsed.ok ? 'it is not a JSON object' : parsed.error.message;
          throw new BadRequestError('invalid_bulk', `body is not Elasticsearch bulk NDJSON: line ${at.no}: ${why}`, at.start);
        }
        fail('index', defaultIndex, undefined, 'illegal_argument_exception', `malformed action/metadata line [${at.no}]`);
        // Its document, if it had one, follows: consume it unless it reads as an action itself.
        const following = next();
        const f = following === undefined ? undefined : parse(following);
        line = f !== undefined && f.ok && readAction(f.value) !== undefined ? following : next();
        continue;
      }
      fail('index', defaultIndex, undefined, 'illegal_argument_exception',
        `line [${at.no}] is a document where an action/metadata line (create, index, update or delete) was expected`);
      line = next();
      continue;
    }
    const index = meta.index ?? defaultIndex;
    const id = meta.id ?? idPrefix + items.length.toString(36);
    if (meta.action === 'delete') {
      items.push({ action: 'delete', index, id, status: 404, result: 'not_found' });
      line = next();
      continue;
    }
    const docLine = next();
    if (docLine === undefined) {
      fail(meta.action, index, id, 'illegal_argument_exception', `action/metadata line [${at.no}] has no document line`);
      break;
    }
    const doc = parse(docLine);
    line = next();
    if (!doc.ok) {
      const type = doc.error.code === 'record_too_large' ? 'illegal_argument_exception' : 'mapper_parsing_exception';
      fail(meta.action, index, id, type, `failed to parse document at line [${docLine.no}]: ${doc.error.message}`);
      continue;
    }
    let source: unknown = doc.value;
    if (meta.action === 'update' && isObject(source)) source = isObject(source['doc']) ? source['doc'] : source['upsert'];
    if (!isObject(source)) {
      const reason = meta.action === 'update'
        ? `update at line [${docLine.no}] has no "doc" or "upsert" object (scripted updates are not supported)`
        : `failed to parse document at line [${docLine.no}]: it is not a JSON object`;
      fail(meta.action, index, id, meta.action === 'update' ? 'illegal_argument_exception' : 'mapper_parsing_exception', reason);
      continue;
    }
    if (recCtx.tag !== (opts.tag ?? index)) recCtx = { ...ctx, tag: opts.tag ?? index };
    records.push(toRecord(source, recCtx));
    const updated = meta.action === 'update';
    items.push({ action: meta.action, index, id, status: updated ? 200 : 201, result: updated ? 'updated' : 'created', record: records.length - 1 });
  }
  return { records, items };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The action of an action/metadata line (`{"create":{"_index":"x","_id":"1"}}`), or undefined. */
function readAction(v: unknown): ActionMeta | undefined {
  if (!isObject(v)) return undefined;
  let found: string | undefined;
  for (const k in v) {
    if (found !== undefined) return undefined; // exactly one key
    found = k;
  }
  if (found === undefined || !ACTIONS.has(found)) return undefined;
  const body = v[found];
  if (!isObject(body)) return undefined;
  const out: ActionMeta = { action: found as BulkAction };
  if (typeof body['_index'] === 'string' && body['_index'] !== '') out.index = body['_index'];
  const id = body['_id'];
  if (typeof id === 'string' || typeof id === 'number') out.id = String(id);
  return out;
}
