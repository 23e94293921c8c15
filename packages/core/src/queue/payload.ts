/**
 * Job payloads crossing the queue. Producers build them; consumers parse them with zod
 * before touching the data (a malformed job fails without retry).
 */
import { z } from 'zod';

/** Largest batch one score job carries; ingest splits bigger bodies. */
export const MAX_EVENTS_PER_JOB = 2000;

export const logRecordSchema = z.object({
  /** Original event text (multi-line events joined by '\n'). */
  line: z.string(),
  /** Event time, epoch ms. */
  ts: z.number().finite().optional(),
  host: z.string().optional(),
  source: z.string().optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
});

export const scoreJobSchema = z.object({
  /** Payload version. */
  v: z.literal(1),
  /** Unique per batch; also the BullMQ job id, so a re-add of the same batch is a no-op. */
  batchId: z.string().min(1).max(128),
  /** When ingest accepted the batch, epoch ms (latency is measured from here). */
  receivedAt: z.number().finite(),
  /** Route tag (`POST /ingest/:tag`), used as source when records carry none. */
  tag: z.string().max(256).optional(),
  records: z.array(logRecordSchema).min(1).max(MAX_EVENTS_PER_JOB),
});
export type ScoreJob = z.infer<typeof scoreJobSchema>;

export const trainJobSchema = z.object({
  v: z.literal(1),
  /** Why this run happens. */
  reason: z.enum(['schedule', 'request', 'bootstrap']),
  /** Lines posted to /retrain; absent = use the recent sample stream. */
  lines: z.array(z.string()).max(1_000_000).optional(),
  /** Activate the candidate when it passes validation (default true). */
  activate: z.boolean().default(true),
  requestedAt: z.number().finite(),
});
export type TrainJob = z.infer<typeof trainJobSchema>;

/**
 * How to get a first model by hand, with the configured TRAIN_MIN_EVENTS: the one wording of
 * ingest's 503 `no_model` answer and of a training run skipped for too few events.
 */
export function retrainHint(minEvents: number): string {
  return `post at least ${minEvents} lines to /retrain (or lower TRAIN_MIN_EVENTS)`;
}
