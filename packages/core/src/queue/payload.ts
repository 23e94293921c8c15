/**
 * Job payloads crossing the queue. Producers build them; consumers parse them with zod
 * before touching the data (a malformed job fails without retry).
 *
 * Score jobs come in two wire formats, both accepted by {@link scoreJobSchema}:
 * - v1: one object per record (`records: [{line, ts, host, source, fields}]`). Still read so
 *   that jobs queued before an upgrade are scored; produced only on request (`SCORE_JOB_FORMAT`).
 * - v2 (default): columnar (score-job-v2.ts). The lines as one array of strings, times as
 *   integer deltas, host and source dictionary-encoded, fields only for the records that have
 *   them: ~20 % fewer bytes, and the worker builds its records directly instead of validating
 *   1,000 small objects.
 * Whatever the wire format, parsing yields the same {@link ScoreJob} (records as objects).
 */
import { z } from 'zod';
import { decodeScoreJobV2, encodeScoreJobV2, MAX_EVENTS_PER_JOB, scoreJobV2Schema, type ScoreJobV2 } from './score-job-v2.ts';

export { encodeScoreJobV2, MAX_EVENTS_PER_JOB, scoreJobV2Schema, type ScoreJobV2 } from './score-job-v2.ts';

export const logRecordSchema = z.object({
  /** Original event text (multi-line events joined by '\n'). */
  line: z.string(),
  /** Event time, epoch ms. */
  ts: z.number().finite().optional(),
  host: z.string().optional(),
  source: z.string().optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
});

/** v1 wire format: one object per record. */
export const scoreJobV1Schema = z.object({
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
export type ScoreJobV1 = z.infer<typeof scoreJobV1Schema>;

/** A score job as consumers see it, whichever wire format carried it. */
export interface ScoreJob {
  /** Wire format it came in. */
  v: 1 | 2;
  batchId: string;
  receivedAt: number;
  tag?: string | undefined;
  records: z.infer<typeof logRecordSchema>[];
}

/** Either wire format → {@link ScoreJob}. A v2 job whose columns disagree fails with the reason. */
export const scoreJobSchema: z.ZodType<ScoreJob, unknown> = z
  .discriminatedUnion('v', [scoreJobV1Schema, scoreJobV2Schema])
  .transform((job, ctx): ScoreJob => {
    if (job.v === 1) return job;
    const decoded = decodeScoreJobV2(job);
    if (typeof decoded === 'string') {
      ctx.addIssue({ code: 'custom', message: decoded, input: job });
      return z.NEVER;
    }
    return decoded;
  });

/** Score-job wire formats a producer can write. */
export const SCORE_JOB_FORMATS = ['v1', 'v2'] as const;
export type ScoreJobFormat = (typeof SCORE_JOB_FORMATS)[number];
export type ScoreJobWire = ScoreJobV1 | ScoreJobV2;

/** Build the wire payload of one batch in the given format (v2 unless asked otherwise). */
export function encodeScoreJob(job: Omit<ScoreJob, 'v'>, format: ScoreJobFormat = 'v2'): ScoreJobWire {
  if (format === 'v1') {
    return { v: 1, batchId: job.batchId, receivedAt: job.receivedAt, ...(job.tag === undefined ? {} : { tag: job.tag }), records: job.records };
  }
  return encodeScoreJobV2(job);
}

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
