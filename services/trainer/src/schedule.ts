/**
 * The retraining schedule: one BullMQ job scheduler (`retrain`) on the `train` queue. Upserting
 * is idempotent, so every trainer replica may do it at start; the last configuration wins.
 */
import type { TrainJob } from '@logforest/core';
import type { Queue } from 'bullmq';

/** Id of the job scheduler. */
export const RETRAIN_SCHEDULER_ID = 'retrain';

export interface ScheduleOptions {
  /** Cron pattern; wins over `everyMs`. */
  cron?: string | undefined;
  /** Interval, ms; 0 with no cron removes the schedule. */
  everyMs: number;
}

/** Create, update or remove the schedule. Answers what is in force (`undefined` = none). */
export async function applySchedule(queue: Queue, opts: ScheduleOptions): Promise<{ pattern: string } | { every: number } | undefined> {
  const repeat = opts.cron ? { pattern: opts.cron } : opts.everyMs > 0 ? { every: opts.everyMs } : undefined;
  if (!repeat) {
    await queue.removeJobScheduler(RETRAIN_SCHEDULER_ID);
    return undefined;
  }
  const data: TrainJob = { v: 1, reason: 'schedule', activate: true, requestedAt: Date.now() };
  await queue.upsertJobScheduler(RETRAIN_SCHEDULER_ID, repeat, {
    name: 'retrain',
    data,
    opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
  return repeat;
}
