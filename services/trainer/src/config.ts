/**
 * Trainer configuration: environment variables (and `.env`), validated at start-up.
 * Every variable is documented here, with its default.
 */
import { commonEnv, enumVar, fractionVar, intVar, stringVar } from '@logforest/runtime';
import { z } from 'zod';

/** CONTAMINATION: a share in (0, 0.5] or `auto`. */
function contaminationVar(defaultValue: number | 'auto') {
  return z
    .string()
    .optional()
    .transform((raw, ctx): number | 'auto' => {
      if (raw === undefined) return defaultValue;
      if (raw.trim().toLowerCase() === 'auto') return 'auto';
      const n = Number(raw.trim());
      if (!Number.isFinite(n) || n <= 0 || n > 0.5) {
        ctx.addIssue({ code: 'custom', message: 'must be a number in (0, 0.5] or auto' });
        return z.NEVER;
      }
      return n;
    });
}

export const trainerEnvSchema = z.object({
  /** REDIS_URL, LOGFOREST_PREFIX (default `{logforest}`), LOG_LEVEL (default `info`). */
  ...commonEnv,
  /** Retrain every this many ms (BullMQ job scheduler); 0 = no schedule. Ignored when TRAIN_CRON is set. @defaultValue 3600000 (hourly) */
  TRAIN_INTERVAL_MS: intVar(3_600_000, { min: 0 }),
  /** Cron pattern of scheduled retraining (e.g. `0 * * * *`); overrides TRAIN_INTERVAL_MS. Unset = use the interval. */
  TRAIN_CRON: stringVar(undefined, { pattern: /^\S+(\s+\S+){4,5}$/, rule: 'must be a cron pattern with 5 or 6 fields' }),
  /**
   * Fewest records a run trains on: lines posted to /retrain, else sampled events (counted before
   * stack-trace lines join their event); fewer = run skipped, its reason saying how to get a model. @defaultValue 1000
   */
  TRAIN_MIN_EVENTS: intVar(1000, { min: 2 }),
  /** Most (newest) sampled events a run reads. @defaultValue 50000 */
  TRAIN_MAX_EVENTS: intVar(50_000, { min: 2 }),
  /** Share of the events held back to validate the candidate, taken as a systematic sample (every 1/fraction-th event), not the newest. @defaultValue 0.2 */
  TRAIN_HOLDOUT_FRACTION: fractionVar(0.2, 'exclusive'),
  /** Model versions kept in the registry (the active one is always kept too). @defaultValue 10 */
  MODEL_RETAIN: intVar(10, { min: 1, max: 1000 }),
  /** Expected share of anomalies: sets the model threshold. @defaultValue 0.01 */
  CONTAMINATION: contaminationVar(0.01),
  /** Feature set of new models. @defaultValue `default` */
  FEATURE_SET: enumVar(['default', 'seed'] as const, 'default'),
  /**
   * Lock on a training job, ms. Fitting blocks the event loop (the lock cannot be renewed while
   * it runs), so this must exceed the longest fit, or a second trainer would redo the job.
   * A killed trainer's job is redone after about this long. @defaultValue 600000
   */
  TRAINER_LOCK_DURATION_MS: intVar(600_000, { min: 1000 }),
  /** How often a trainer looks for training jobs whose lock expired, ms. @defaultValue 30000 */
  TRAINER_STALLED_INTERVAL_MS: intVar(30_000, { min: 500 }),
  /** Port of the Prometheus `/metrics` endpoint; unset = none. */
  METRICS_PORT: intVar(0, { min: 1, max: 65535 }).optional(),
});

export type TrainerConfig = z.output<typeof trainerEnvSchema>;
