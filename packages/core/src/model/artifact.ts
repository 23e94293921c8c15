/**
 * The model artifact: everything a process needs to score events the way the trainer did.
 * Validated with zod on every load (see codec.ts for the byte container around it).
 */
import { z } from 'zod';

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
  /** Held-back events the check scored. */
  holdoutEvents: z.number().int(),
  candidate: scoreSummarySchema.optional(),
  /** The active model on the same held-back events, when there was one. */
  active: scoreSummarySchema.extend({ version: z.string() }).optional(),
  /** Two-sample Kolmogorov–Smirnov distance between the two score distributions. */
  ksDistance: z.number().optional(),
});
export type ValidationReport = z.infer<typeof validationSchema>;

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
  /** Forest arrays (IsolationForest.toArrays()); checked again by IsolationForest.fromArrays. */
  forest: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null(), typedArray])),
  training: z.object({
    events: z.number().int().nonnegative(),
    /** ISO time of the oldest and newest training event, when known. */
    from: z.string().optional(),
    to: z.string().optional(),
    fitMs: z.number().nonnegative(),
    templates: z.number().int().nonnegative(),
    scores: scoreSummarySchema,
  }),
  validation: validationSchema.optional(),
});

export type ModelArtifact = z.infer<typeof artifactSchema>;
