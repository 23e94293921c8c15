/**
 * The anomalies stream: one entry per anomalous event, field `v` = JSON of the verdict plus where
 * it came from. Capped with `MAXLEN ~` (see the batch writer). GET /anomalies reads it.
 */
import type { RedisClient } from '../../redis/connect.ts';
import { z } from 'zod';
import { verdictSchema, type Verdict } from '@logforest/core';

/** Stream entry field holding the JSON document. */
export const ANOMALY_FIELD = 'v';

export interface AnomalyContext {
  batchId: string;
  /** Position of the verdict in its batch (events after multi-line joining). */
  idx: number;
  /** When ingest accepted the batch, epoch ms. */
  receivedAt: number;
  /** When the worker scored it, epoch ms. */
  scoredAt: number;
}

export type AnomalyDocument = Verdict & AnomalyContext;

/** A verdict (core's {@link verdictSchema}) plus where it came from ({@link AnomalyContext}). */
export const anomalyDocumentSchema = verdictSchema.extend({
  batchId: z.string(),
  idx: z.number().int(),
  receivedAt: z.number(),
  scoredAt: z.number(),
});

export function encodeAnomaly(v: Verdict, ctx: AnomalyContext): string {
  return JSON.stringify({ ...v, ...ctx });
}

/** One stream entry: its id (the cursor) and the document. */
export interface AnomalyEntry {
  id: string;
  anomaly: AnomalyDocument;
}

export interface ReadAnomaliesOptions {
  /** Entries strictly older than this stream id (paging backwards). @defaultValue newest */
  before?: string;
  /** Most entries to return. @defaultValue 100 */
  count?: number;
}

/** Newest first. Entries whose JSON does not parse are skipped. */
export async function readAnomalies(redis: RedisClient, stream: string, opts: ReadAnomaliesOptions = {}): Promise<AnomalyEntry[]> {
  const end = opts.before ? `(${opts.before}` : '+';
  const rows = await redis.xrevrange(stream, end, '-', 'COUNT', opts.count ?? 100);
  const out: AnomalyEntry[] = [];
  for (const [id, fields] of rows) {
    const i = fields.indexOf(ANOMALY_FIELD);
    if (i < 0 || i % 2 !== 0) continue;
    try {
      const doc = anomalyDocumentSchema.safeParse(JSON.parse(fields[i + 1] ?? ''));
      if (doc.success) out.push({ id, anomaly: doc.data as AnomalyDocument });
    } catch {
      // not JSON: skip
    }
  }
  return out;
}
