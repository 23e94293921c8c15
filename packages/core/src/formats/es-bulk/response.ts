/**
 * The `_bulk` reply. Shippers read it in very literal ways, so it is written by hand:
 *
 * - compact JSON, `took` then `errors` then `items`: Fluent Bit `es` recognises success in a
 *   truncated reply by the substring `"errors":false,"items":[`, Vector by the absence of
 *   `"errors":true`;
 * - one item per action, in request order, each an object with exactly one key (the action)
 *   holding an integer `status` (Filebeat pairs item *i* with event *i* and treats anything else as
 *   "failed to parse bulk response" = silent loss).
 *
 * `errors` is true when any item carries an `error` (a 404 `not_found` delete does not).
 */
import type { BulkItem } from './index.ts';

/**
 * Builds the compact bulk reply, e.g.
 * `{"took":1,"errors":false,"items":[{"create":{"_index":"x","_id":"…","status":201,"result":"created"}}]}`.
 * @param items one per action, in request order (statuses possibly adjusted by the caller)
 * @param tookMs processing time, rounded to whole milliseconds
 * @param filterPath the `filter_path` query parameter, when the client sent one (see {@link applyFilterPath})
 */
export function bulkResponse(items: readonly BulkItem[], tookMs: number, filterPath?: string): string {
  let errors = false;
  const parts: string[] = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) {
    const it = items[i] as BulkItem;
    if (it.error !== undefined) errors = true;
    let s = `{"${it.action}":{"_index":${JSON.stringify(it.index)},"_id":${JSON.stringify(it.id)},"status":${it.status | 0}`;
    if (it.result !== undefined) s += `,"result":"${it.result}"`;
    if (it.error !== undefined) s += `,"error":{"type":${JSON.stringify(it.error.type)},"reason":${JSON.stringify(it.error.reason)}}`;
    parts[i] = s + '}}';
  }
  const took = Number.isFinite(tookMs) ? Math.max(0, Math.round(tookMs)) : 0;
  const json = `{"took":${took},"errors":${errors},"items":[${parts.join(',')}]}`;
  if (filterPath === undefined || filterPath.trim() === '') return json;
  return JSON.stringify(applyFilterPath(JSON.parse(json), filterPath) ?? {});
}

/**
 * Elasticsearch's `filter_path` response filtering, the subset shippers use: comma-separated
 * dotted paths whose segments are names or `*` globs; arrays are transparent. Filebeat sends
 * `errors,items.*.error,items.*.status`, which keeps `errors` and, per item, the action key with
 * only `status` and `error`. Exclusions (`-path`) and `**` are not supported and are ignored.
 * Key order of the input is kept, so `errors` still precedes `items`.
 * @returns the filtered value, or undefined when nothing matched
 */
export function applyFilterPath(value: unknown, filterPath: string): unknown {
  const patterns: string[][] = [];
  for (const raw of filterPath.split(',')) {
    const p = raw.trim();
    if (p === '' || p.startsWith('-') || p.includes('**')) continue;
    patterns.push(p.split('.'));
  }
  if (patterns.length === 0) return value;
  return filter(value, patterns);
}

function segmentMatches(segment: string, key: string): boolean {
  if (segment === '*' || segment === key) return true;
  if (!segment.includes('*')) return false;
  const re = new RegExp(`^${segment.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(key);
}

function filter(value: unknown, patterns: string[][]): unknown {
  if (patterns.some((p) => p.length === 0)) return value; // a pattern ends here: keep the whole subtree
  if (Array.isArray(value)) {
    const out = value.map((v) => filter(v, patterns)).filter((v) => v !== undefined);
    return out.length === 0 ? undefined : out;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const src = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(src)) {
    const sub = patterns.filter((p) => segmentMatches(p[0] as string, key)).map((p) => p.slice(1));
    if (sub.length === 0) continue;
    const v = filter(src[key], sub);
    if (v === undefined) continue;
    out ??= {};
    out[key] = v;
  }
  return out;
}
