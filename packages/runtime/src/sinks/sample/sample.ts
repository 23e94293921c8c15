/**
 * The sample stream: recent events the trainer learns from. Field `r` = JSON of a LogRecord.
 * Capped with `MAXLEN ~` by the batch writer, which appends a batch's sample at most once.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from '../../redis/connect.ts';
import { logRecordSchema, type LogRecord, type Verdict } from '@logforest/core';

/** Stream entry field holding the record JSON. */
export const SAMPLE_FIELD = 'r';

export interface SampleOptions {
  /** Share of events kept, 0..1 (deterministic per batch id). @defaultValue 1 */
  rate?: number;
  /** Most events one batch adds to the sample. @defaultValue 2000 */
  maxPerBatch?: number;
}

/** Small seeded PRNG (mulberry32), seeded from the batch id so a batch always samples alike. */
function prng(seedText: string): () => number {
  let a = createHash('sha1').update(seedText).digest().readUInt32BE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Indices of `n` items to keep, in order: Bernoulli(rate), then a uniform cut to `maxPerBatch`. */
export function sampleIndices(n: number, batchId: string, opts: SampleOptions = {}): number[] {
  const rate = opts.rate ?? 1;
  const cap = opts.maxPerBatch ?? 2000;
  if (rate <= 0 || cap <= 0 || n === 0) return [];
  const rnd = prng(batchId);
  let idx = Array.from({ length: n }, (_, i) => i);
  if (rate < 1) idx = idx.filter(() => rnd() < rate);
  if (idx.length > cap) {
    for (let i = 0; i < cap; i++) {
      const j = i + Math.floor(rnd() * (idx.length - i));
      [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
    }
    idx = idx.slice(0, cap).sort((a, b) => a - b);
  }
  return idx;
}

/**
 * Compact JSON of a record (only the fields training uses, in this order), written directly:
 * the same text as JSON.stringify of `{line, ts?, host?, source?}` without that object per event.
 */
export function encodeSampleRecord(r: LogRecord): string {
  let s = `{"line":${JSON.stringify(r.line)}`;
  if (r.ts !== undefined && Number.isFinite(r.ts)) s += `,"ts":${JSON.stringify(r.ts)}`;
  if (r.host !== undefined) s += `,"host":${JSON.stringify(r.host)}`;
  if (r.source !== undefined) s += `,"source":${JSON.stringify(r.source)}`;
  return `${s}}`;
}

/** Sample entries (encoded) of a scored batch, straight from its verdicts: only the sampled ones are converted. */
export function sampleVerdictEntries(verdicts: readonly Verdict[], batchId: string, opts: SampleOptions = {}): string[] {
  return sampleIndices(verdicts.length, batchId, opts).map((i) => encodeSampleRecord(verdictToRecord(verdicts[i] as Verdict)));
}

/** A scored event as a record: the joined text, its time, host and source. */
export function verdictToRecord(v: Verdict): LogRecord {
  const r: LogRecord = { line: v.log };
  const ts = Date.parse(v.timestamp);
  if (Number.isFinite(ts)) r.ts = ts;
  if (v.host !== undefined) r.host = v.host;
  if (v.source !== undefined) r.source = v.source;
  return r;
}

/** Sample entries (encoded) for a batch. */
export function sampleEntries(items: readonly LogRecord[], batchId: string, opts: SampleOptions = {}): string[] {
  return sampleIndices(items.length, batchId, opts).map((i) => encodeSampleRecord(items[i] as LogRecord));
}

/**
 * The newest `max` sampled records, oldest first (the order training wants).
 * Entries that do not parse as records are skipped.
 */
export async function readSample(redis: RedisClient, stream: string, max: number): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  const page = 10_000;
  let end = '+';
  while (out.length < max) {
    const rows = await redis.xrevrange(stream, end, '-', 'COUNT', Math.min(page, max - out.length));
    if (rows.length === 0) break;
    for (const [, fields] of rows) {
      const i = fields.indexOf(SAMPLE_FIELD);
      if (i < 0 || i % 2 !== 0) continue;
      try {
        const r = logRecordSchema.safeParse(JSON.parse(fields[i + 1] ?? ''));
        if (r.success) out.push(r.data);
      } catch {
        // not JSON: skip
      }
    }
    end = `(${rows[rows.length - 1]![0]}`;
  }
  return out.reverse();
}
