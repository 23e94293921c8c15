/**
 * The model artifact: everything a process needs to score events the way the trainer did.
 * Validated with zod on every load (see codec.ts for the byte container around it).
 */
import { z } from 'zod';
import { MAX_SKETCH_DEPTH, MAX_SKETCH_WIDTH } from '../history/sketch.ts';

const typedArray = z.custom<ArrayBufferView>((v) => ArrayBuffer.isView(v), 'expected a typed array');

export const scoreSummarySchema = z.object({
  /** Quantiles of anomaly_score over the scored rows. */
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  max: z.number(),
  mean: z.number(),
  /** Share of rows with anomaly_score > threshold. */
  flagRate: z.number(),
});
export type ScoreSummary = z.infer<typeof scoreSummarySchema>;

export const validationSchema = z.object({
  passed: z.boolean(),
  /** Why the candidate failed (empty when it passed). */
  reasons: z.array(z.string()),
  /**
   * Held-back events the check scored: the newest share of the run's events, never trained on
   * (the trainer's `heldOut`). Events as in `training.events`.
   */
  holdoutEvents: z.number().int(),
  candidate: scoreSummarySchema.optional(),
  /** Share of held-back events the candidate's forest alone flags (its score above -offset_): the gated rate. */
  forestFlagRate: z.number().optional(),
  /** Share of held-back events that are novel (break a training-constant column; scored in the novelty band). Reported, not gated. */
  noveltyShare: z.number().optional(),
  /** The active model on the same held-back events, when there was one. */
  active: scoreSummarySchema.extend({ version: z.string() }).optional(),
  /** Two-sample Kolmogorov–Smirnov distance between the two score distributions. */
  ksDistance: z.number().optional(),
});
export type ValidationReport = z.infer<typeof validationSchema>;

export const historySchema = z
  .object({
    kind: z.literal('count-min'),
    /** Counters per row: a power of two, 16 … 2^22. */
    width: z.number().int().min(16).max(MAX_SKETCH_WIDTH).refine((w) => (w & (w - 1)) === 0, 'width must be a power of two'),
    /** Rows (independent hashes), 1 … 8. */
    depth: z.number().int().min(1).max(MAX_SKETCH_DEPTH),
    /** Training events counted. */
    total: z.number().int().nonnegative(),
    table: z.custom<Uint32Array>((v) => v instanceof Uint32Array, "expected a Uint32Array"),
  })
  .refine((h) => h.table.length === h.width * h.depth, { message: 'history table length must be width × depth', path: ['table'] });
export type HistoryState = z.infer<typeof historySchema>;

export const artifactSchema = z.object({
  format: z.literal('logforest-model'),
  /** Version label, e.g. "v3" (assigned by the registry) or "local" (CLI). */
  version: z.string().min(1).max(64),
  createdAt: z.string(),
  featureSet: z.object({ name: z.string(), version: z.number().int(), columns: z.array(z.string()) }),
  contamination: z.union([z.number().gt(0).max(0.5), z.literal('auto')]),
  /** anomaly_score threshold: is_anomaly = anomaly_score > threshold (= -offset_). */
  threshold: z.number(),
  /** Template miner state (TemplateMiner.toJSON()); null when the feature set uses no templates. */
  miner: z.unknown().nullable(),
  vocabulary: z.object({
    total: z.number().int().nonnegative(),
    templates: z.array(z.tuple([z.string(), z.number().int().nonnegative()])),
    components: z.array(z.tuple([z.string(), z.number().int().nonnegative()])),
  }),
  /**
   * Novelty guard (pipeline/novelty.ts): feature columns constant in training, with their value.
   * Absent or empty = no guard (imported scikit-learn models).
   */
  novelty: z.object({ constant: z.array(z.tuple([z.number().int().nonnegative(), z.number()])) }).optional(),
  /**
   * Familiarity history (history/): one count-min sketch of the training events' templates and
   * signatures, overall and per host / source / category. Absent = no history (seed-set models
   * score as the forest alone; imported scikit-learn models).
   */
  history: historySchema.optional(),
  /** Forest arrays (IsolationForest.toArrays()); checked again by IsolationForest.fromArrays. */
  forest: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null(), typedArray])),
  training: z.object({
    /**
     * Events the forest was fitted on, after stack-trace lines joined their event (one verdict
     * each); held-back events are not among them. The registry's `trainedOn.events`.
     */
    events: z.number().int().nonnegative(),
    /**
     * ISO times of the earliest and latest of those events, as read from the events (their line,
     * else their record's time); events dated only by the receive-time fallback do not count.
     * Absent when no event has a time. The registry's `trainedOn.from`/`to`.
     */
    from: z.string().optional(),
    to: z.string().optional(),
    fitMs: z.number().nonnegative(),
    templates: z.number().int().nonnegative(),
    scores: scoreSummarySchema,
  }),
  validation: validationSchema.optional(),
});

export type ModelArtifact = z.infer<typeof artifactSchema>;
