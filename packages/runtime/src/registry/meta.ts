/**
 * Model metadata kept beside every stored blob (`model:<version>:meta`, JSON).
 * Parsed with zod on every read: a foreign or hand-edited entry is reported, not trusted.
 */
import { z } from 'zod';

/**
 * Life cycle of a stored version:
 * - `candidate`: stored by the trainer, not (yet) active;
 * - `active`: the version the `active` pointer names (exactly one at a time);
 * - `inactive`: was active, replaced by another activation (can be activated again: rollback);
 * - `rejected`: failed its validation gates; kept with the reasons, still activatable by hand.
 */
export const modelStatusSchema = z.enum(['candidate', 'active', 'inactive', 'rejected']);
export type ModelStatus = z.infer<typeof modelStatusSchema>;

/** Versions the registry hands out: `v1`, `v2`, … (see `nextVersion`). */
export const modelVersionSchema = z.string().regex(/^v[1-9]\d{0,15}$/, 'model version must look like v<N>');

/**
 * Validation report of a candidate (core's `validateCandidate` output: score summaries of the
 * candidate and the then-active model on the hold-out slice, KS distance, …). Only the gate
 * outcome is required here; the other fields are kept as they come.
 */
export const validationReportSchema = z.looseObject({
  passed: z.boolean(),
  reasons: z.array(z.string()),
  /** Held-back events the check scored (artifact.ts defines it; the trainer's `heldOut`). */
  holdoutEvents: z.number().int().nonnegative().optional(),
});
export type ValidationSummary = z.infer<typeof validationReportSchema>;

export const modelMetaSchema = z.object({
  version: modelVersionSchema,
  /** ISO-8601 time the artifact was built. */
  createdAt: z.string(),
  status: modelStatusSchema,
  /**
   * What the forest was fitted on: a copy of the artifact's `training` figures (artifactMeta),
   * defined there — events after stack-trace joining, held-back events excluded; from/to the
   * earliest/latest of their own times.
   */
  trainedOn: z.object({
    /** Events fitted on (the trainer's `trained`). */
    events: z.number().int().nonnegative(),
    /** ISO-8601 time of the earliest training event, when one has a time. */
    from: z.string().optional(),
    /** ISO-8601 time of the latest training event, when one has a time. */
    to: z.string().optional(),
  }),
  featureSet: z.object({ name: z.string(), version: z.number().int() }),
  /** Score above which an event is an anomaly. */
  threshold: z.number(),
  /** Validation report against the hold-out slice and the then-active model. */
  validation: validationReportSchema.optional(),
  /** Why a version was rejected (or any note the trainer wants kept). */
  reasons: z.array(z.string()).optional(),
  /** ISO-8601 time of the latest activation of this version. */
  activatedAt: z.string().optional(),
  /** Why the training run happened (`schedule`, `request`, `bootstrap`). */
  trigger: z.string().optional(),
  /** Size of the encoded blob in bytes (set by `store`). */
  bytes: z.number().int().nonnegative().optional(),
});
export type ModelMeta = z.infer<typeof modelMetaSchema>;

/** Parse stored JSON; throws a message naming the version on a malformed entry. */
export function parseMeta(version: string, json: string): ModelMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(`model ${version}: metadata is not JSON`);
  }
  const parsed = modelMetaSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`model ${version}: bad metadata: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Numeric part of `v<N>` (the sorted-set score). */
export function versionNumber(version: string): number {
  return Number(modelVersionSchema.parse(version).slice(1));
}
