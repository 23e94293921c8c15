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
 * Key order of the input is kept, so `errors` still precedes `items`. Duplicate entries count once;
 * more than {@link MAX_FILTER_PATHS} distinct entries leave the reply unfiltered.
 * @returns the filtered value, or undefined when nothing matched
 */
export function applyFilterPath(value: unknown, filterPath: string): unknown {
  const patterns: string[][] = [];
  const seen = new Set<string>();
  for (const raw of filterPath.split(',')) {
    const p = raw.trim();
    if (p === '' || p.startsWith('-') || p.includes('**') || seen.has(p)) continue;
    seen.add(p);
    patterns.push(p.split('.'));
    // Filtering costs items × patterns: past the cap, answer everything (a superset is still a valid reply).
    if (patterns.length > MAX_FILTER_PATHS) return value;
  }
  if (patterns.length === 0) return value;
  return filter(value, patterns, new Map());
}

/** Most distinct `filter_path` entries honoured (Filebeat sends 3); with more the reply is not filtered. */
export const MAX_FILTER_PATHS = 32;

/** Does a path segment (name or `*` glob) match `key`? Glob answers are memoised per (segment, key). */
function segmentMatches(segment: string, key: string, memo: Memo): boolean {
  if (segment === '*' || segment === key) return true;
  if (!segment.includes('*')) return false;
  let byKey = memo.get(segment);
  if (byKey === undefined) memo.set(segment, (byKey = new Map()));
  let hit = byKey.get(key);
  if (hit === undefined) {
    hit = globMatch(segment, key);
    byKey.set(key, hit);
  }
  return hit;
}

/** Glob segment → key → match. */
type Memo = Map<string, Map<string, boolean>>;

/**
 * `*`-glob match by hand, not through a RegExp: a client-sized glob (`*r*r*r…`, thousands of stars
 * in a 16 KB query string) overflows the regexp compiler's stack. Greedy with one backtrack point:
 * O(|glob| × |s|) at worst, no recursion.
 */
export function globMatch(glob: string, s: string): boolean {
  let g = 0;
  let i = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    if (g < glob.length && glob[g] === '*') {
      star = g++;
      mark = i;
    } else if (g < glob.length && glob[g] === s[i]) {
      g++;
      i++;
    } else if (star >= 0) {
      g = star + 1;
      i = ++mark;
    } else return false;
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}

function filter(value: unknown, patterns: string[][], memo: Memo): unknown {
  if (patterns.some((p) => p.length === 0)) return value; // a pattern ends here: keep the whole subtree
  if (Array.isArray(value)) {
    const out = value.map((v) => filter(v, patterns, memo)).filter((v) => v !== undefined);
    return out.length === 0 ? undefined : out;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const src = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(src)) {
    const sub = patterns.filter((p) => segmentMatches(p[0] as string, key, memo)).map((p) => p.slice(1));
    if (sub.length === 0) continue;
    const v = filter(src[key], sub, memo);
    if (v === undefined) continue;
    out ??= {};
    out[key] = v;
  }
  return out;
}
