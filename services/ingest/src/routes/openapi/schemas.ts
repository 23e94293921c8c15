/**
 * zod schemas of the answers that no route parses itself (the routes build them from typed
 * values), declared once here so `/openapi.json` can describe them. Request-side schemas are the
 * ones the routes validate with, imported where they live.
 */
import { z } from 'zod';
import { familiaritySchema as coreFamiliaritySchema, verdictSchema as coreVerdictSchema } from '@logforest/core';
import { anomalyDocumentSchema, modelMetaSchema } from '@logforest/runtime';
import { throughputAnswerSchema } from '../stats/schema.ts';

export const errorSchema = z.object({
  error: z.object({
    code: z.string().meta({ description: 'Stable machine-readable reason, e.g. `queue_full`.' }),
    message: z.string(),
  }),
}).meta({ id: 'Error' });

export const acceptedSchema = z.object({
  accepted: z.number().int().meta({ description: 'Events Redis accepted.' }),
  batches: z.number().int().meta({ description: 'Score jobs they were split into.' }),
}).meta({ id: 'Accepted' });

export const familiaritySchema = coreFamiliaritySchema.meta({ id: 'Familiarity' });

export const verdictSchema = coreVerdictSchema.extend({ familiarity: familiaritySchema.optional() }).meta({ id: 'Verdict' });

export const anomalyItemSchema = z.looseObject({ id: z.string().meta({ description: 'Stream id; the cursor.' }), ...anomalyDocumentSchema.shape })
  .meta({ id: 'Anomaly' });

export const anomaliesPageSchema = z.object({
  items: z.array(anomalyItemSchema),
  next_cursor: z.string().nullable(),
}).meta({ id: 'AnomaliesPage' });

export const modelSchema = modelMetaSchema.extend({ active: z.boolean() }).meta({ id: 'Model' });

export const modelsSchema = z.object({ active: z.string().nullable(), models: z.array(modelSchema) }).meta({ id: 'Models' });

export const activatedSchema = z.object({ activated: z.string(), previous: z.string().nullable(), model: modelSchema });

export const retrainAcceptedSchema = z.object({ job_id: z.string(), status_url: z.string() });

export const trainResultSchema = z.looseObject({
  version: z.string().optional(),
  status: z.enum(['candidate', 'active', 'inactive', 'rejected', 'skipped']),
  validation: z.looseObject({ passed: z.boolean(), reasons: z.array(z.string()) }).optional(),
  trained: z.number().int(),
  heldOut: z.number().int(),
  reasons: z.array(z.string()).optional(),
});

export const retrainStatusSchema = z.object({
  id: z.string(),
  state: z.string().meta({ description: 'BullMQ job state: waiting, active, completed, failed, …' }),
  progress: z.looseObject({ stage: z.string().optional() }).optional().meta({ description: 'The stage the trainer reached (reading, training, validating, storing, activating, done).' }),
  result: trainResultSchema.optional(),
  failedReason: z.string().optional(),
});

export const throughputSchema = throughputAnswerSchema.meta({ id: 'Throughput' });

export const healthSchema = z.object({ status: z.literal('ok'), uptime_seconds: z.number() });

export const readySchema = z.looseObject({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ redis: z.string(), model: z.string().nullable() }),
  reasons: z.array(z.string()).optional(),
});

export const acknowledgedSchema = z.object({ acknowledged: z.literal(true) });

export const bulkResponseSchema = z.object({
  took: z.number(),
  errors: z.boolean(),
  items: z.array(z.record(z.string(), z.looseObject({ status: z.number().int() }))),
});
