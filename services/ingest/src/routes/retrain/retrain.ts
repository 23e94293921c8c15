/**
 * `POST /retrain` (admin) — queue a training run; `GET /retrain/:id` (admin) — its state.
 *
 * Body: new lines in any ingest format or `{"logs": [...]}`; an empty body trains on the recent
 * sample of ingested events. Query `activate=false` stores the candidate without activating it.
 * Answers 202 `{job_id, status_url}` (and `Location`) once Redis accepted the job.
 */
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { trainJobSchema } from '@logforest/core';
import type { RouteContext } from '../../context.ts';
import { HttpError, redisUnavailable } from '../../http/errors.ts';
import { withTimeout } from '../../enqueue/enqueuer.ts';
import { decodeRecords, requestBody } from '../decode.ts';

export const retrainQuerySchema = z.object({
  /** Activate the candidate when it passes validation. @defaultValue true */
  activate: z.enum(['true', 'false', '1', '0']).default('true').transform((v) => v === 'true' || v === '1'),
});

/** Train job ids we hand out: `r-<time>-<random>`. */
export const trainJobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'job ids hold letters, digits, _ and -');

/** Training runs posted lines may carry (the job schema's cap). */
const MAX_TRAIN_LINES = 1_000_000;

export function retrainRoutes(ctx: RouteContext): { retrain: RequestHandler; 'retrain.status': RequestHandler } {
  const statusUrl = (id: string) => `/retrain/${id}`;

  const retrain: RequestHandler = async (req, res) => {
    const requestedAt = ctx.now();
    const query = retrainQuerySchema.parse(req.query);
    const body = requestBody(req, ctx);
    let lines: string[] | undefined;
    if (body.length > 0) {
      const maxEvents = Math.min(MAX_TRAIN_LINES, ctx.config.MAX_EVENTS_PER_REQUEST);
      lines = decodeRecords(body, req, { receivedAt: requestedAt, maxEvents, seedShape: true }).map((r) => r.line);
      if (lines.length === 0) throw new HttpError(400, 'empty_body', 'the body holds no log lines; send none to train on the recent sample');
      ctx.metrics.eventsReceived.inc({ surface: 'retrain' }, lines.length);
    }
    const data = trainJobSchema.parse({ v: 1, reason: 'request', activate: query.activate, requestedAt, ...(lines ? { lines } : {}) });
    const jobId = `r-${requestedAt.toString(36)}-${randomBytes(6).toString('base64url')}`;
    try {
      await withTimeout(
        ctx.trainQueue.add('train', data, { jobId, attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } }),
        ctx.config.REDIS_TIMEOUT_MS,
      );
    } catch (err) {
      throw redisUnavailable(ctx.config.RETRY_AFTER_SECONDS, 'adding the train job', err);
    }
    ctx.logger.info({ jobId, lines: lines?.length ?? 'sample', activate: query.activate }, 'training requested');
    res.status(202).location(statusUrl(jobId)).json({ job_id: jobId, status_url: statusUrl(jobId) });
  };

  const status: RequestHandler = async (req, res) => {
    const id = trainJobIdSchema.safeParse(req.params['id']);
    // State first, then the job: read the other way round, a job finishing in between reads
    // "completed" without its result (a poller stops there and never sees it).
    const state = id.success ? await ctx.trainQueue.getJobState(id.data) : 'unknown';
    const job = state !== 'unknown' && id.success ? await ctx.trainQueue.getJob(id.data) : undefined;
    if (!job?.id) throw new HttpError(404, 'not_found', `no training job ${String(req.params['id']).slice(0, 130)}`);
    res.json({
      id: job.id,
      state,
      ...(job.progress !== undefined && job.progress !== null && job.progress !== 0 ? { progress: job.progress } : {}),
      ...(job.returnvalue != null ? { result: job.returnvalue } : {}),
      ...(job.failedReason ? { failedReason: job.failedReason } : {}),
    });
  };

  return { retrain, 'retrain.status': status };
}
