/**
 * The verdict's wire shape as a zod schema: the one declaration that the anomalies stream's
 * reader (packages/runtime), `/openapi.json` (services/ingest) and the console's types are held
 * to. It must describe exactly the {@link Verdict} interface; `verdict-schema.test.ts` checks both
 * directions at type level and parses real verdicts from a scorer.
 *
 * Loose objects: a reader keeps fields a newer writer added.
 */
import { z } from 'zod';

export const contributionSchema = z.object({
  feature: z.string(),
  value: z.number(),
  contribution: z.number().meta({ description: 'Share of the isolation attributed to this feature, 0..1.' }),
});

export const familiaritySchema = z.object({
  signature: z.string().meta({ description: "The event's signature (same as the verdict's `signature`)." }),
  seen_in_training: z.boolean(),
  template_count: z.number().meta({ description: "Training events with the event's template (count-min estimate)." }),
  signature_count: z.number().meta({ description: "Training events with the event's signature (count-min estimate)." }),
  entity: z.string().optional().meta({ description: 'The entity where the event is rarest, e.g. `host=app3`.' }),
}).meta({ description: 'How often the template and signature were seen in the training history.' });

export const verdictSchema = z.looseObject({
  timestamp: z.string().meta({ description: 'ISO-8601 time of the event (or of its receipt when the event carries none).' }),
  log: z.string().meta({ description: 'The original event text (stack trace included).' }),
  anomaly_score: z.number().meta({ description: 'Liu et al. score 2^(-E[h(x)]/c(ψ)) in (0, 1]; higher is more anomalous.' }),
  is_anomaly: z.boolean().meta({ description: 'anomaly_score > threshold.' }),
  threshold: z.number(),
  model_version: z.string(),
  host: z.string().optional(),
  source: z.string().optional(),
  template: z.string().optional(),
  template_id: z.string().optional(),
  level: z.string().nullable().optional().meta({ description: 'Upper-case level (ERROR, WARN, …); null when the line carries none.' }),
  signature: z.string().optional().meta({ description: "Message code, else exception class (+ root cause), else `tpl:<template id>`; '' when none applies." }),
  familiarity: familiaritySchema.optional(),
  explanation: z.array(contributionSchema).optional(),
});
