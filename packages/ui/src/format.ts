/** Pure helpers of the console: filtering, merging polled pages, formatting. No DOM here. */
import type { Anomaly } from './api.ts';

export interface ClientFilter {
  /** Case-insensitive substring of the event text, template or signature. */
  text: string;
  /** Smallest anomaly_score shown (0 = all). */
  minScore: number;
}

/** The filters the API has no parameter for are applied on the page. */
export function applyClientFilter(items: readonly Anomaly[], f: ClientFilter): Anomaly[] {
  const needle = f.text.trim().toLowerCase();
  return items.filter((a) => {
    if (a.anomaly_score < f.minScore) return false;
    if (!needle) return true;
    return [a.log, a.template, a.signature, a.host, a.source].some((s) => typeof s === 'string' && s.toLowerCase().includes(needle));
  });
}

/** Stream ids `<ms>-<seq>` in order (newest first when `desc`). */
export function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

/**
 * Merge a freshly polled newest page into what the page holds: union by id, newest first, at
 * most `cap` items. Answers the merged list and how many ids were new.
 */
export function mergeNewest(held: readonly Anomaly[], fresh: readonly Anomaly[], cap: number): { items: Anomaly[]; added: number } {
  const seen = new Set(held.map((a) => a.id));
  const added = fresh.filter((a) => !seen.has(a.id));
  const items = [...added, ...held].sort((x, y) => compareIds(y.id, x.id)).slice(0, cap);
  return { items, added: added.length };
}

/** First line of an event (the message), and whether a stack trace follows it. */
export function headline(log: string): { first: string; frames: number } {
  const lines = log.split('\n');
  const frames = lines.slice(1).filter((l) => /^\s*(at |Caused by:|\.\.\. \d+ more)/.test(l)).length;
  return { first: lines[0] ?? '', frames };
}

/** The message part of a first line: the JBoss/syslog time stamp and level taken off. */
export function messageOf(line: string): string {
  const m = /^\d{4}-\d{2}-\d{2}[ T][\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?\s+(?:(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE)\s+)?/.exec(line);
  return m ? line.slice(m[0].length) : line;
}

/** The level of an event: the verdict's when present, else read from a JBoss-style line. */
export function levelOf(a: Pick<Anomaly, 'level' | 'log'>): string | null {
  if (typeof a.level === 'string' && a.level) return a.level.toUpperCase();
  const m = /^\S+ \S+ (TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE)\b/.exec(a.log);
  return m ? (m[1] as string) : null;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2024-05-06 10:15:02` in the browser's time zone (or `—`). */
export function fmtTime(t: string | number | undefined): string {
  if (t === undefined || t === '') return '—';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function fmtCount(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** `<input type="datetime-local">` value → ISO time for `since`/`until` (empty → undefined). */
export function localInputToIso(v: string): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Query string of the server-side filters, skipping empty ones. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
