/**
 * Cold start: a batch arrives before any model is active. Its events must not be lost and the
 * first model must come without anyone acting, so the worker
 *   1. appends the batch's raw records to the sample stream (once per batch, idempotent);
 *   2. once the sample holds TRAIN_MIN_EVENTS, adds ONE `bootstrap` train job (fixed job id:
 *      however many workers ask, one job waits; a completed one is kept 60 s so that batches
 *      parked before the new model reaches this worker do not train a second one; a failed
 *      bootstrap is removed at once and asked for again by later batches);
 *   3. parks the job: moves it to delayed for COLD_START_RETRY_MS and throws DelayedError
 *      (no attempt is used up). When it comes back and a model is active, it is scored.
 */
import type { TrainJob } from '@logforest/core';
import type { ResultWriter } from '@logforest/runtime';
import { DelayedError, type Job, type Queue } from 'bullmq';
import type { Logger } from 'pino';

/** Job id of the bootstrap train job (one at a time across all workers). */
export const BOOTSTRAP_JOB_ID = 'bootstrap';

export interface ColdStartOptions {
  writer: Pick<ResultWriter, 'writeSampleOnly' | 'sampleLength'>;
  /** The `train` queue. */
  trainQueue: Pick<Queue, 'add'>;
  logger: Logger;
  /** Sampled events needed before a bootstrap train job is added. @defaultValue 1000 */
  minEvents?: number;
  /** Delay before a parked batch is tried again, ms. @defaultValue 5000 */
  retryMs?: number;
  /** Clock. @defaultValue Date.now */
  now?: () => number;
}

export interface ColdStart {
  /** Sample the batch, maybe ask for a bootstrap model, then park the job. Always throws DelayedError. */
  park(job: Job, token: string | undefined, batchId: string, records: ScoreRecords): Promise<never>;
}

type ScoreRecords = Parameters<ResultWriter['writeSampleOnly']>[1];

export function createColdStart(opts: ColdStartOptions): ColdStart {
  const minEvents = opts.minEvents ?? 1000;
  const retryMs = opts.retryMs ?? 5000;
  const now = opts.now ?? Date.now;
  const log = opts.logger.child({ component: 'cold-start' });
  let lastAsk = -Infinity;

  async function maybeBootstrap(): Promise<void> {
    const t = now();
    if (t - lastAsk < retryMs) return; // one ask per process per retry period is plenty
    const sampled = await opts.writer.sampleLength();
    if (sampled < minEvents) {
      log.info({ sampled, needed: minEvents }, 'no model yet; collecting events for the first one');
      return;
    }
    lastAsk = t;
    const data: TrainJob = { v: 1, reason: 'bootstrap', activate: true, requestedAt: t };
    await opts.trainQueue.add('bootstrap', data, { jobId: BOOTSTRAP_JOB_ID, removeOnComplete: { age: 60 }, removeOnFail: true });
    log.info({ sampled }, 'no model yet; asked for a bootstrap model');
  }

  return {
    async park(job, token, batchId, records) {
      const added = await opts.writer.writeSampleOnly(batchId, records);
      try {
        await maybeBootstrap();
      } catch (err) {
        log.warn({ err }, 'could not ask for a bootstrap model; a later batch will');
      }
      await job.moveToDelayed(now() + retryMs, token);
      log.debug({ batchId, sampled: added, retryInMs: retryMs }, 'batch parked until a model is active');
      throw new DelayedError(`no active model: batch ${batchId} parked`);
    },
  };
}
