/**
 * Score job v2: the columnar wire format of one batch (see payload.ts for v1 and the union).
 *
 *   { v: 2, batchId, receivedAt, tag?,
 *     lines: ["…", …],                      // one string per record, in order
 *     ts?: [t0, d1, null, d3, …],           // per record; null = no time
 *     tsDelta?: true,                       // ts holds integer deltas (first absolute, each next
 *                                           //   relative to the previous present time)
 *     hosts?: ["web1", …], host?: 0 | [0, null, 1, …],      // dictionary + one index for all
 *     sources?: ["/var/log/…"], source?: 0 | [0, 0, null, …] //   records, or one per record
 *     fields?: [[index, {…}], …] }          // only records that carry fields, index ascending
 *
 * Absent columns mean no record has that attribute. Every column's length and index is checked
 * when decoding: a job whose columns disagree is rejected with the reason (never half-scored).
 */
import { z } from 'zod';
import type { LogRecord } from '../types.ts';

/** Largest batch one score job carries; ingest splits bigger bodies. */
export const MAX_EVENTS_PER_JOB = 2000;

/**
 * An array whose every element passes `ok`, checked in one loop: zod's per-element schemas cost
 * ~0.3 ms per 1,000-line job, more than JSON.parse of it.
 */
function arrayOf<T>(what: string, ok: (x: unknown) => boolean, max: number) {
  return z.custom<T[]>((v) => Array.isArray(v) && v.length <= max && v.every(ok), { message: `expected an array of at most ${max} ${what}` });
}
const isString = (x: unknown) => typeof x === 'string';
const isTime = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x));
const isIndex = (x: unknown) => x === null || (typeof x === 'number' && Number.isInteger(x) && x >= 0);

/** A dictionary reference: one index for every record, or one per record (null = absent). */
const refSchema = z
  .custom<number | (number | null)[]>(
    (v) => (v !== null && isIndex(v)) || (Array.isArray(v) && v.length <= MAX_EVENTS_PER_JOB && v.every(isIndex)),
    { message: `expected an index (integer ≥ 0) or an array of at most ${MAX_EVENTS_PER_JOB} indexes (integers ≥ 0 or null)` },
  )
  .optional();

export const scoreJobV2Schema = z.object({
  /** Payload version. */
  v: z.literal(2),
  /** Unique per batch; also the BullMQ job id, so a re-add of the same batch is a no-op. */
  batchId: z.string().min(1).max(128),
  /** When ingest accepted the batch, epoch ms (latency is measured from here). */
  receivedAt: z.number().finite(),
  /** Route tag (`POST /ingest/:tag`), used as source when records carry none. */
  tag: z.string().max(256).optional(),
  /** Event text per record (multi-line events joined by '\n'). */
  lines: arrayOf<string>('strings', isString, MAX_EVENTS_PER_JOB).refine((l) => l.length > 0, 'lines is empty'),
  /** Event time per record, epoch ms (or deltas, see `tsDelta`); null = none. */
  ts: arrayOf<number | null>('times (finite numbers or null)', isTime, MAX_EVENTS_PER_JOB).optional(),
  /** `ts` holds integer deltas: the first present time absolute, each next one minus the previous present one. */
  tsDelta: z.literal(true).optional(),
  /** Distinct host names; `host` points into it. */
  hosts: z.array(z.string()).max(MAX_EVENTS_PER_JOB).optional(),
  /** Index into `hosts` for all records (a number) or per record (null = no host). */
  host: refSchema,
  /** Distinct sources; `source` points into it. */
  sources: z.array(z.string()).max(MAX_EVENTS_PER_JOB).optional(),
  /** Index into `sources` for all records (a number) or per record (null = no source). */
  source: refSchema,
  /** Shipper fields of the records that have them: `[record index, fields]`, index ascending. */
  fields: z.array(z.tuple([z.number().int().min(0), z.record(z.string(), z.unknown())])).optional(),
});
export type ScoreJobV2 = z.infer<typeof scoreJobV2Schema>;

interface Batch {
  batchId: string;
  receivedAt: number;
  tag?: string | undefined;
  records: readonly LogRecord[];
}

/** Dictionary-encode one string attribute; undefined when no record has it. */
function dictionary(records: readonly LogRecord[], key: 'host' | 'source'): { dict: string[]; ref: number | (number | null)[] } | undefined {
  const index = new Map<string, number>();
  const dict: string[] = [];
  const refs: (number | null)[] = new Array(records.length);
  let present = 0;
  for (let i = 0; i < records.length; i++) {
    const value = (records[i] as LogRecord)[key];
    if (value === undefined) {
      refs[i] = null;
      continue;
    }
    present++;
    let n = index.get(value);
    if (n === undefined) {
      n = dict.length;
      index.set(value, n);
      dict.push(value);
    }
    refs[i] = n;
  }
  if (present === 0) return undefined;
  return { dict, ref: present === records.length && dict.length === 1 ? 0 : refs };
}

/** Times per record: integer deltas when that is exact, else absolute; undefined when none has one. */
function times(records: readonly LogRecord[]): { ts: (number | null)[]; delta: boolean } | undefined {
  const deltas: (number | null)[] = new Array(records.length);
  let present = 0;
  let prev: number | undefined;
  for (let i = 0; i < records.length; i++) {
    const t = (records[i] as LogRecord).ts;
    if (t === undefined) {
      deltas[i] = null;
      continue;
    }
    present++;
    const d = prev === undefined ? t : t - prev;
    if (!Number.isSafeInteger(t) || !Number.isSafeInteger(d)) return { ts: records.map((r) => r.ts ?? null), delta: false };
    deltas[i] = d;
    prev = t;
  }
  return present === 0 ? undefined : { ts: deltas, delta: true };
}

/** A batch in the v2 wire format. */
export function encodeScoreJobV2(batch: Batch): ScoreJobV2 {
  const { records } = batch;
  const lines: string[] = new Array(records.length);
  const fields: [number, Record<string, unknown>][] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as LogRecord;
    lines[i] = r.line;
    if (r.fields !== undefined) fields.push([i, r.fields]);
  }
  const t = times(records);
  const host = dictionary(records, 'host');
  const source = dictionary(records, 'source');
  return {
    v: 2,
    batchId: batch.batchId,
    receivedAt: batch.receivedAt,
    ...(batch.tag === undefined ? {} : { tag: batch.tag }),
    lines,
    ...(t ? (t.delta ? { ts: t.ts, tsDelta: true as const } : { ts: t.ts }) : {}),
    ...(host ? { hosts: host.dict, host: host.ref } : {}),
    ...(source ? { sources: source.dict, source: source.ref } : {}),
    ...(fields.length > 0 ? { fields } : {}),
  };
}

/** Check a dictionary reference against its dictionary; a reason when they disagree. */
function checkRef(name: string, dict: string[] | undefined, ref: number | (number | null)[] | undefined, n: number): string | undefined {
  if (ref === undefined) return dict === undefined ? undefined : `${name}s given without ${name}`;
  if (dict === undefined) return `${name} given without ${name}s`;
  if (typeof ref === 'number') return ref < dict.length ? undefined : `${name} ${ref} is outside ${name}s (${dict.length})`;
  if (ref.length !== n) return `${name} has ${ref.length} entries for ${n} lines`;
  for (let i = 0; i < n; i++) {
    const r = ref[i];
    if (r !== null && r !== undefined && r >= dict.length) return `${name}[${i}] = ${r} is outside ${name}s (${dict.length})`;
  }
  return undefined;
}

/** The records of a schema-valid v2 job, or the reason its columns disagree. */
export function decodeScoreJobV2(job: ScoreJobV2): { v: 2; batchId: string; receivedAt: number; tag?: string; records: LogRecord[] } | string {
  const { lines, ts, hosts, host, sources, source, fields } = job;
  const n = lines.length;
  if (ts !== undefined && ts.length !== n) return `ts has ${ts.length} entries for ${n} lines`;
  if (ts === undefined && job.tsDelta) return 'tsDelta given without ts';
  const bad = checkRef('host', hosts, host, n) ?? checkRef('source', sources, source, n);
  if (bad) return bad;
  if (fields) {
    let last = -1;
    for (const [i] of fields) {
      if (i >= n) return `fields index ${i} is outside the ${n} lines`;
      if (i <= last) return `fields indexes must ascend (${i} after ${last})`;
      last = i;
    }
  }
  const allHost = typeof host === 'number' ? (hosts as string[])[host] : undefined;
  const allSource = typeof source === 'number' ? (sources as string[])[source] : undefined;
  const hostRefs = Array.isArray(host) ? host : undefined;
  const sourceRefs = Array.isArray(source) ? source : undefined;
  const records: LogRecord[] = new Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    // One object shape for every record (absent = undefined), so the pipeline sees one hidden class.
    let t: number | undefined;
    const raw = ts?.[i];
    if (raw !== null && raw !== undefined) {
      t = job.tsDelta ? (prev += raw) : raw;
      if (!Number.isFinite(t)) return `ts[${i}] decodes to ${t}`;
    }
    const h = hostRefs ? hostRefs[i] : undefined;
    const s = sourceRefs ? sourceRefs[i] : undefined;
    records[i] = {
      line: lines[i] as string,
      ts: t,
      host: allHost ?? (h === null || h === undefined ? undefined : (hosts as string[])[h]),
      source: allSource ?? (s === null || s === undefined ? undefined : (sources as string[])[s]),
      fields: undefined,
    };
  }
  if (fields) for (const [i, f] of fields) (records[i] as LogRecord).fields = f;
  return { v: 2, batchId: job.batchId, receivedAt: job.receivedAt, ...(job.tag === undefined ? {} : { tag: job.tag }), records };
}
