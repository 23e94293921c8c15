/**
 * Turns decoded records into score jobs on the BullMQ queue — the one place ingest writes events.
 *
 * - Records are split into jobs of at most `maxEventsPerJob`, written in the `format` wire format
 *   (v2, columnar, unless asked for v1); each job is validated against the queue's job schema
 *   before it leaves (nothing malformed reaches the queue).
 * - All jobs of a request go to Redis in ONE round trip (`addBulk` pipelines them), each with a
 *   random unique `jobId` = `batchId`, retry attempts with exponential back-off and bounded
 *   retention of completed/failed jobs.
 * - `enqueue` resolves only once Redis has accepted every job; the caller answers 2xx only then.
 * - Backpressure: the waiting depth is read at most every `depthCacheMs` (concurrent requests share
 *   one read) and grown locally by what we add in between; at or over `maxWaiting` → HttpError 503
 *   `queue_full`. A Redis error or a call slower than `timeoutMs` → 503 `redis_unavailable`.
 *   Either way nothing was acknowledged; a partial write is possible when Redis fails mid-pipeline,
 *   so a retry can deliver some events twice (delivery is at least once, never lost).
 * - Replication (optional `replicate`): after the jobs are added, wait until that many replicas
 *   of the queue's master hold them (`WAIT`), so an acknowledged batch survives the master's
 *   death and its replica's promotion. Fewer replicas within the timeout → 503 `not_replicated`
 *   (the jobs are on the master; a retry may duplicate them, never lose them).
 */
import { randomBytes } from 'node:crypto';
import type { JobsOptions, Queue } from 'bullmq';
import { encodeScoreJob, scoreJobSchema, type LogRecord, type ScoreJobFormat, type ScoreJobWire } from '@logforest/core';
import { backpressure, notReplicated, redisUnavailable } from '../http/errors.ts';

/** The part of a BullMQ Queue the enqueuer uses. */
export type ScoreQueue = Pick<Queue, 'addBulk' | 'getWaitingCount'>;

export interface EnqueuerOptions {
  queue: ScoreQueue;
  /** Events per job (≤ the job schema's maximum). */
  maxEventsPerJob: number;
  /** Wire format of the score jobs (SCORE_JOB_FORMAT). @defaultValue `v2` */
  format?: ScoreJobFormat;
  /** Waiting jobs at which new work is refused. */
  maxWaiting: number;
  /** Reuse of a depth read, in ms. @defaultValue 200 */
  depthCacheMs?: number;
  /** Longest wait for Redis, in ms. @defaultValue 5000 */
  timeoutMs?: number;
  /** Retry-After for 503 answers, in seconds. */
  retryAfterSeconds: number;
  /** Attempts per job. @defaultValue 5 */
  attempts?: number;
  /** First retry delay, in ms (exponential). @defaultValue 1000 */
  backoffMs?: number;
  /** Completed jobs kept. @defaultValue 1000 */
  keepCompleted?: number;
  /** Failed jobs kept. @defaultValue 10000 */
  keepFailed?: number;
  /** Clock, epoch ms. @defaultValue Date.now */
  now?: () => number;
  /**
   * Wait for replicas after each add: `wait(replicas, timeoutMs)` answers how many replicas hold
   * the writes (Redis `WAIT` on the queue's connection, see runtime's `waitForReplicas`).
   */
  replicate?: { replicas: number; timeoutMs: number; wait: (replicas: number, timeoutMs: number) => Promise<number> };
}

export interface EnqueueResult {
  accepted: number;
  batches: number;
  batchIds: string[];
}

export interface Enqueuer {
  /**
   * Add `records` as score jobs. Resolves after Redis accepted all of them.
   * @throws HttpError 503 `queue_full` / `redis_unavailable`
   */
  enqueue(records: readonly LogRecord[], meta: { receivedAt: number; tag?: string | undefined }): Promise<EnqueueResult>;
  /** Throws the backpressure/unavailable HttpError when new work would be refused now. */
  admit(): Promise<void>;
  /** Current (cached) waiting depth. */
  depth(): Promise<number>;
}

/** A job id BullMQ accepts (not an integer, no ':'), unique per batch. */
export function newBatchId(now: number): string {
  return `b-${now.toString(36)}-${randomBytes(9).toString('base64url')}`;
}

/** Reject after `ms` (the work may still complete: that is a duplicate at worst, never a loss). */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createEnqueuer(o: EnqueuerOptions): Enqueuer {
  const now = o.now ?? Date.now;
  const cacheMs = o.depthCacheMs ?? 200;
  const timeoutMs = o.timeoutMs ?? 5000;
  const jobOptions: JobsOptions = {
    attempts: o.attempts ?? 5,
    backoff: { type: 'exponential', delay: o.backoffMs ?? 1000 },
    removeOnComplete: { count: o.keepCompleted ?? 1000 },
    removeOnFail: { count: o.keepFailed ?? 10_000 },
  };
  let cached = { value: 0, at: Number.NEGATIVE_INFINITY };
  let reading: Promise<number> | undefined;

  async function depth(): Promise<number> {
    if (now() - cached.at < cacheMs) return cached.value;
    reading ??= withTimeout(o.queue.getWaitingCount(), timeoutMs)
      .then((value) => {
        cached = { value, at: now() };
        return value;
      })
      .finally(() => {
        reading = undefined;
      });
    try {
      return await reading;
    } catch (err) {
      throw redisUnavailable(o.retryAfterSeconds, 'reading queue depth', err);
    }
  }

  async function admit(): Promise<void> {
    const waiting = await depth();
    if (waiting >= o.maxWaiting) throw backpressure(o.retryAfterSeconds, waiting, o.maxWaiting);
  }

  async function enqueue(records: readonly LogRecord[], meta: { receivedAt: number; tag?: string | undefined }): Promise<EnqueueResult> {
    if (records.length === 0) return { accepted: 0, batches: 0, batchIds: [] };
    await admit();
    const jobs: { name: string; data: ScoreJobWire; opts: JobsOptions }[] = [];
    for (let i = 0; i < records.length; i += o.maxEventsPerJob) {
      const batchId = newBatchId(meta.receivedAt);
      const data = encodeScoreJob(
        { batchId, receivedAt: meta.receivedAt, tag: meta.tag, records: records.slice(i, i + o.maxEventsPerJob) },
        o.format ?? 'v2',
      );
      // Validated as the worker will read it (columns agree, sizes within bounds); the wire form is sent.
      const checked = scoreJobSchema.safeParse(data);
      if (!checked.success) throw new Error(`score job would be invalid: ${checked.error.message}`);
      jobs.push({ name: 'score', data, opts: { ...jobOptions, jobId: batchId } });
    }
    try {
      await withTimeout(o.queue.addBulk(jobs), timeoutMs);
    } catch (err) {
      throw redisUnavailable(o.retryAfterSeconds, 'adding jobs', err);
    }
    if (o.replicate && o.replicate.replicas > 0) {
      const { replicas, timeoutMs: waitMs, wait } = o.replicate;
      let acked: number;
      try {
        acked = await withTimeout(wait(replicas, waitMs), waitMs + timeoutMs);
      } catch (err) {
        throw redisUnavailable(o.retryAfterSeconds, 'waiting for replicas', err);
      }
      if (acked < replicas) throw notReplicated(o.retryAfterSeconds, acked, replicas, waitMs);
    }
    cached = { value: cached.value + jobs.length, at: cached.at };
    return { accepted: records.length, batches: jobs.length, batchIds: jobs.map((j) => j.data.batchId) };
  }

  return { enqueue, admit, depth };
}
