/**
 * One training run (one `train` job): read the events (the posted lines, or the newest sampled
 * events), hold back the newest slice, fit a candidate on the rest, validate it against the
 * active model on the held-back slice, store it, and — last, so a run that fails or is killed
 * leaves the active model untouched — activate it or mark it rejected.
 *
 * With no active model at all (cold start), a candidate that misses the gates is activated all
 * the same (its reasons stay in its metadata): parked batches need some model, and the next
 * scheduled run is validated against this one.
 */
import {
  decodeModel,
  encodeModel,
  joinRecords,
  retrainHint,
  trainJobSchema,
  trainModel,
  zoneOffsetMs,
  TrainingError,
  validateCandidate,
  type LogRecord,
  type ModelArtifact,
  type ParseContext,
  type ValidationReport,
} from '@logforest/core';
import { artifactMeta, type ModelRegistry, type ModelStatus, type TrainerMetrics } from '@logforest/runtime';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';

export interface TrainProcessorDeps {
  registry: ModelRegistry;
  /** The newest `max` sampled events, oldest first. */
  readSample(max: number): Promise<LogRecord[]>;
  logger: Logger;
  metrics?: TrainerMetrics;
  /** Fewest records (posted lines, or sampled events) to train on; fewer = the run is skipped. @defaultValue 1000 */
  minEvents?: number;
  /** Most sampled events read. @defaultValue 50000 */
  maxEvents?: number;
  /** Share of the events held back for validation (every 1/fraction-th event, not the tail). @defaultValue 0.2 */
  holdoutFraction?: number;
  /** @defaultValue 0.01 */
  contamination?: number | 'auto';
  /** @defaultValue 'default' */
  featureSet?: 'default' | 'seed';
  /** SOURCE_TZ: zone of the clocks writing time-only lines (dates posted lines). @defaultValue `UTC` */
  sourceTimeZone?: string;
}

/** The job's return value (shown by ingest's GET /retrain/:id). */
export interface TrainResult {
  /** Version stored; absent when the run was skipped. */
  version?: string;
  status: ModelStatus | 'skipped';
  validation?: ValidationReport;
  /**
   * Events the forest was fitted on (= the artifact's `training.events`, the registry's
   * `trainedOn.events`) and events held back to validate it (= `validation.holdoutEvents`).
   * Events: a stack trace's lines are one event. trained + heldOut = the run's events.
   */
  trained: number;
  heldOut: number;
  /** Why the run was skipped or the candidate not activated. */
  reasons?: string[];
}

type Stage = 'reading' | 'training' | 'validating' | 'storing' | 'activating' | 'done';

export function createTrainProcessor(deps: TrainProcessorDeps) {
  const minEvents = deps.minEvents ?? 1000;
  const maxEvents = deps.maxEvents ?? 50_000;
  const holdoutFraction = deps.holdoutFraction ?? 0.2;
  const contamination = deps.contamination ?? 0.01;
  const { registry, metrics } = deps;

  async function activeArtifact(log: Logger): Promise<ModelArtifact | undefined> {
    const version = await registry.activeVersion();
    if (!version) return undefined;
    const blob = await registry.getBlob(version);
    if (!blob) return undefined;
    try {
      return decodeModel(blob);
    } catch (err) {
      log.warn({ version, err: (err as Error).message }, 'active model unreadable; validating without it');
      return undefined;
    }
  }

  async function run(job: Job, log: Logger): Promise<TrainResult> {
    const parsed = trainJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid train job: ${z.prettifyError(parsed.error)}`);
    const req = parsed.data;
    const stage = (s: Stage): Promise<void> => job.updateProgress({ stage: s });

    await stage('reading');
    const records: LogRecord[] = req.lines ? req.lines.map((line) => ({ line })) : await deps.readSample(maxEvents);
    if (records.length < minEvents) {
      const what = req.lines ? `${records.length} lines were posted` : `the sample holds ${records.length} events`;
      const reasons = [`${what}, fewer than TRAIN_MIN_EVENTS=${minEvents}: ${retrainHint(minEvents)}`];
      return { status: 'skipped', trained: 0, heldOut: 0, reasons };
    }
    // Events, not lines: stack-trace lines join their event first, so the split never cuts an
    // event in two and every count below is of the same thing. Posted lines carry no time of
    // their own: the request time, on the SOURCE_TZ clock, dates their time-only lines. Sampled
    // events carry the time their verdict had (already on its day): no offset on top of it.
    const events = joinRecords(records);
    const parse: ParseContext = req.lines
      ? { receivedAt: req.requestedAt, clockOffsetMs: zoneOffsetMs(deps.sourceTimeZone ?? 'UTC', req.requestedAt) }
      : { receivedAt: req.requestedAt };
    // Held back: a systematic sample (every 1/fraction-th event, floor(n × fraction) in all), not
    // the tail. A tail holdout is whatever arrived last — one new host, one deploy — so the flag
    // rate gate rejected exactly the retrain an operator runs after a change (the cluster start test
    // saw a 37% forest flag rate on a tail made of its second host's events). Drift between the
    // two is still reported (validation.ksDistance), not gated.
    const train: typeof events = [];
    const holdout: typeof events = [];
    for (let i = 0; i < events.length; i++) {
      (Math.floor((i + 1) * holdoutFraction) > Math.floor(i * holdoutFraction) ? holdout : train).push(events[i]!);
    }

    await stage('training');
    const version = await registry.nextVersion();
    let candidate: ModelArtifact;
    try {
      candidate = trainModel(train, { version, featureSet: deps.featureSet ?? 'default', contamination, parse, join: false });
    } catch (err) {
      if (err instanceof TrainingError) throw new UnrecoverableError(err.message);
      throw err;
    }

    await stage('validating');
    const active = await activeArtifact(log);
    const gates = { receivedAt: req.requestedAt, parse, join: false, ...(contamination === 'auto' ? {} : { contamination }) };
    const validation = validateCandidate(candidate, active, holdout, gates);
    const artifact: ModelArtifact = { ...candidate, validation };

    await stage('storing');
    await registry.store(version, encodeModel(artifact), artifactMeta(artifact, { trigger: req.reason }));

    // Read off the artifact, where each figure is defined and written once (artifact.ts).
    const result: TrainResult = { version, status: 'candidate', validation, trained: artifact.training.events, heldOut: validation.holdoutEvents };
    const firstModel = active === undefined && (await registry.activeVersion()) === undefined;
    if (req.activate && (validation.passed || firstModel)) {
      await stage('activating');
      await registry.activate(version);
      result.status = 'active';
      if (!validation.passed) {
        result.reasons = validation.reasons;
        log.warn({ version, reasons: validation.reasons }, 'no model was active: activated a candidate that missed its gates');
      }
    } else if (!validation.passed) {
      await registry.reject(version, validation.reasons);
      result.status = 'rejected';
      result.reasons = validation.reasons;
    } else {
      result.reasons = ['activate=false: stored as a candidate'];
    }
    await stage('done');
    return result;
  }

  return async function processTrainJob(job: Job): Promise<TrainResult> {
    const log = deps.logger.child({ jobId: job.id, trigger: (job.data as { reason?: unknown })?.reason });
    const trigger = String((job.data as { reason?: unknown })?.reason ?? 'unknown');
    const end = metrics?.runDuration.startTimer({ trigger });
    try {
      const result = await run(job, log);
      const outcome = result.status === 'active' ? 'activated' : result.status === 'candidate' ? 'stored' : result.status;
      metrics?.runs.inc({ trigger, outcome });
      log.info({ version: result.version, status: result.status, trained: result.trained, heldOut: result.heldOut, reasons: result.reasons }, 'training run done');
      return result;
    } catch (err) {
      metrics?.runs.inc({ trigger, outcome: 'failed' });
      log.error({ err }, 'training run failed; active model unchanged');
      throw err;
    } finally {
      end?.();
    }
  };
}
