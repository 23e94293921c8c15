/**
 * The score-job processor: one BullMQ job = one batch. Parse the payload (zod; a malformed job
 * fails at once, without retries), score the whole batch with the Scorer in service (taken once,
 * so a model swap lands between batches), and write the results once (idempotent script). The
 * same script puts the batch's alerts in the outbox (after dedup and the per-minute cap), which
 * the alert drainer delivers: nothing about alerts happens here after the write.
 */
import { parseEvent, scoreJobSchema, zoneOffsetMs, type LogRecord, type ParseContext, type ScoreJob } from '@logforest/core';
import type { ModelCache, ResultWriter, WorkerMetrics } from '@logforest/runtime';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ColdStart } from './cold-start.ts';

export interface ScoreProcessorDeps {
  cache: Pick<ModelCache, 'current'>;
  writer: Pick<ResultWriter, 'write'>;
  coldStart: ColdStart;
  logger: Logger;
  metrics?: WorkerMetrics;
  /** SOURCE_TZ: zone of the clocks writing time-only lines (places them on their day). @defaultValue `UTC` */
  sourceTimeZone?: string;
}

/** The job's return value (BullMQ keeps it with the completed job). */
export interface ScoreResult {
  batchId: string;
  /** Records received. */
  records: number;
  /** Events scored (records after multi-line joining). */
  events: number;
  anomalies: number;
  model: string;
  /** True when this delivery found the batch already written (nothing changed). */
  duplicate: boolean;
  /** Alerts put in the outbox / suppressed (dedup, per-minute cap) by this batch. */
  alerts: { queued: number; dedup: number; rate: number };
}

/**
 * Cold start: records stamped with the time their verdict will carry (the time read from the
 * line, else the record's, else receipt), as the sample stream holds it for scored events: the
 * bootstrap model's events are then dated like every later model's.
 */
function withEventTimes(records: LogRecord[], ctx: ParseContext & { receivedAt: number }): LogRecord[] {
  return records.map((r) => {
    const ts = parseEvent(r, ctx).ts;
    return { ...r, ts: Number.isFinite(ts) ? ts : (r.ts ?? ctx.receivedAt) };
  });
}

/**
 * Records with the route tag as source when they carry none. Set in place: the records are the
 * job schema's own output (zod builds new objects), so no copy of a batch is needed.
 */
function withTag(job: ScoreJob): LogRecord[] {
  const tag = job.tag;
  if (tag !== undefined) for (const r of job.records) if (r.source === undefined) r.source = tag;
  return job.records;
}

export function createScoreProcessor(deps: ScoreProcessorDeps) {
  const { metrics } = deps;
  return async function processScoreJob(job: Job, token?: string): Promise<ScoreResult> {
    const parsed = scoreJobSchema.safeParse(job.data);
    if (!parsed.success) {
      metrics?.batches.inc({ outcome: 'invalid' });
      deps.logger.error({ jobId: job.id, problems: z.prettifyError(parsed.error) }, 'invalid score job; failed without retry');
      throw new UnrecoverableError(`invalid score job: ${z.prettifyError(parsed.error)}`);
    }
    const batch = parsed.data;
    const records = withTag(batch);
    const parse = { receivedAt: batch.receivedAt, clockOffsetMs: zoneOffsetMs(deps.sourceTimeZone ?? 'UTC', batch.receivedAt) };
    const scorer = deps.cache.current();
    if (!scorer) return deps.coldStart.park(job, token, batch.batchId, withEventTimes(records, parse));

    const started = performance.now();
    const verdicts = scorer.score(records, { receivedAt: batch.receivedAt, explain: 'anomalies', parse });
    metrics?.batchDuration.observe((performance.now() - started) / 1000);
    const res = await deps.writer.write({
      batchId: batch.batchId,
      receivedAt: batch.receivedAt,
      records: records.length,
      verdicts,
    });
    const result: ScoreResult = {
      batchId: batch.batchId,
      records: records.length,
      events: verdicts.length,
      anomalies: res.anomalies.length,
      model: scorer.version,
      duplicate: !res.written,
      alerts: res.alerts,
    };
    if (!res.written) {
      metrics?.batches.inc({ outcome: 'duplicate' });
      deps.logger.info({ batchId: batch.batchId, jobId: job.id }, 'batch already written; redelivery ignored');
      return result;
    }
    metrics?.batches.inc({ outcome: 'ok' });
    metrics?.verdicts.inc({ model_version: scorer.version }, verdicts.length);
    metrics?.anomalies.inc({ model_version: scorer.version }, res.anomalies.length);
    metrics?.endToEndLatency.observe(Math.max(0, res.scoredAt - batch.receivedAt) / 1000);
    deps.logger.debug(result, 'batch scored');
    return result;
  };
}
