/**
 * The wire shape of `GET /stats/throughput` (see sampler.ts for what each figure counts): the
 * sampler's types come from here, `/openapi.json` describes it, the console reads it.
 */
import { z } from 'zod';

export const throughputSampleSchema = z.object({
  t: z.number().meta({ description: 'End of the interval, epoch ms.' }),
  interval_ms: z.number().meta({ description: 'Interval length, ms (the first sample after start covers the time since start).' }),
  events_in: z.number().meta({ description: 'Events this ingest process acknowledged in the interval.' }),
  scored: z.number().meta({ description: 'Records the workers scored in the interval (all workers).' }),
  anomalies: z.number().meta({ description: 'Anomalies the workers found in the interval.' }),
  queue_waiting: z.number().meta({ description: 'Score jobs waiting at the end of the interval.' }),
  queue_active: z.number().meta({ description: 'Score jobs being scored at the end of the interval.' }),
  batches: z.number().meta({ description: 'Completed score jobs the latency figures are taken from.' }),
  latency_p50_ms: z.number().nullable().meta({ description: 'p50 of ingest acceptance → verdict written, per batch; null without batches.' }),
  latency_p99_ms: z.number().nullable().meta({ description: 'p99 of ingest acceptance → verdict written, per batch.' }),
});
export type ThroughputSample = z.infer<typeof throughputSampleSchema>;

export const throughputAnswerSchema = z.object({
  interval_ms: z.number().int().meta({ description: 'THROUGHPUT_SAMPLE_MS.' }),
  window_ms: z.number().int().meta({ description: 'History kept, ms.' }),
  samples: z.array(throughputSampleSchema),
});
export type ThroughputAnswer = z.infer<typeof throughputAnswerSchema>;
