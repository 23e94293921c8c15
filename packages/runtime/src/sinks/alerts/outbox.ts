/**
 * The alert outbox: a Redis stream under the deployment's prefix. The batch writer's script adds
 * ONE entry per scored batch that has alerts left after dedup and the per-minute cap, in the same
 * script that writes the batch's results, so a worker killed after scoring loses no alert. The
 * entry's fields (all strings):
 *
 *   h  header JSON `{batchId, receivedAt, scoredAt, model_version}`
 *   a  JSON array of the anomaly documents (as in the anomalies stream)
 *   s  comma-separated suppressed counts, one per alert (alerts of the same key not sent before it)
 *   i  comma-separated anomalies-stream ids, one per alert (for the console link)
 *
 * Drainers read it through one consumer group (XREADGROUP), delete an entry once its receiver
 * accepted it, and take over entries a dead drainer held (XAUTOCLAIM); see drain.ts.
 */
import { z } from 'zod';
import { anomalyDocumentSchema, type AnomalyDocument } from '../redis-stream/anomalies.ts';

/** Consumer group every drainer reads the outbox through. */
export const OUTBOX_GROUP = 'alerts';

export const outboxHeaderSchema = z.object({
  batchId: z.string(),
  receivedAt: z.number(),
  scoredAt: z.number(),
  model_version: z.string(),
});
export type OutboxHeader = z.infer<typeof outboxHeaderSchema>;

export interface OutboxAlert {
  anomaly: AnomalyDocument;
  /** Id of the anomaly in the anomalies stream ('' when unknown). */
  anomalyId: string;
  /** Alerts of the same signature and host suppressed since the last one sent. */
  suppressed: number;
}

export interface OutboxEntry {
  /** Stream id of the outbox entry. */
  id: string;
  header: OutboxHeader;
  alerts: OutboxAlert[];
}

/** Field/value list of an XREADGROUP/XAUTOCLAIM entry → decoded entry; throws on a bad one. */
export function decodeOutboxEntry(id: string, fields: readonly string[]): OutboxEntry {
  const f = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i] as string, fields[i + 1] as string);
  const header = outboxHeaderSchema.parse(JSON.parse(f.get('h') ?? 'null'));
  const docs = z.array(anomalyDocumentSchema).parse(JSON.parse(f.get('a') ?? 'null'));
  const suppressed = (f.get('s') ?? '').split(',');
  const ids = (f.get('i') ?? '').split(',');
  return {
    id,
    header,
    alerts: docs.map((doc, j) => ({
      anomaly: doc as AnomalyDocument,
      anomalyId: ids[j] ?? '',
      suppressed: Math.max(0, Number(suppressed[j] ?? 0) || 0),
    })),
  };
}

/** What the batch writer needs to put a batch's alerts in the outbox. */
export interface OutboxOptions {
  /** Same signature and host within this long → one alert, ms (0 = no dedup). */
  dedupWindowMs: number;
  /** Most alerts queued per minute across all workers (0 = no cap). */
  maxPerMinute: number;
  /** Approximate cap of the outbox stream, entries (batches). */
  maxLen: number;
}

/** Dedup state of a key unseen for this long is dropped (its suppressed count with it), ms. */
export function dedupKeepMs(o: OutboxOptions): number {
  return Math.max(2 * o.dedupWindowMs, 24 * 3600_000);
}
