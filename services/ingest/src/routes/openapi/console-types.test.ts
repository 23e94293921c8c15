/**
 * The console's view of the answers (packages/ui/src/wire.ts) against the schemas the server
 * declares for `/openapi.json`: every answer the server may send must satisfy what the console
 * reads. The type assertions are checked by `pnpm typecheck` (tsc); the runtime part parses an
 * answer shaped like the console's with the server's schemas.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { AnomaliesPage, Anomaly, Model, ModelsAnswer, ThroughputAnswer, TrainStatus } from '../../../../../packages/ui/src/wire.ts';
import * as s from './schemas.ts';

describe("the console's answer types", () => {
  it('accept what the server declares it sends', () => {
    expectTypeOf<z.output<typeof s.anomalyItemSchema>>().toExtend<Anomaly>();
    expectTypeOf<z.output<typeof s.anomaliesPageSchema>>().toExtend<AnomaliesPage>();
    expectTypeOf<z.output<typeof s.modelSchema>>().toExtend<Model>();
    expectTypeOf<z.output<typeof s.modelsSchema>>().toExtend<ModelsAnswer>();
    expectTypeOf<z.output<typeof s.retrainStatusSchema>>().toExtend<TrainStatus>();
    expectTypeOf<z.output<typeof s.throughputSchema>>().toExtend<ThroughputAnswer>();
  });

  it('a throughput answer the console draws passes the server schema, and a renamed field does not', () => {
    const sample = { t: 1, interval_ms: 10_000, events_in: 5, scored: 5, anomalies: 0, queue_waiting: 0, queue_active: 1, batches: 1, latency_p50_ms: 3, latency_p99_ms: null };
    const answer: ThroughputAnswer = { interval_ms: 10_000, window_ms: 3_600_000, samples: [sample] };
    expect(s.throughputSchema.safeParse(answer).success).toBe(true);
    const { latency_p99_ms: _dropped, ...renamed } = sample;
    const bad = s.throughputSchema.safeParse({ ...answer, samples: [{ ...renamed, latency_p99: null }] });
    expect(bad.error?.issues[0]?.path).toEqual(['samples', 0, 'latency_p99_ms']);
  });
});
