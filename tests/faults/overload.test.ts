/**
 * Fast subset of the overload fault scenario (tools/faults/scenarios/overload.ts): ingest with a
 * tiny QUEUE_MAX_WAITING and one worker as real processes, a short burst far above what one
 * worker scores, sent by a client that retries like Fluent Bit. Backpressure must answer 503 and
 * keep the queue bounded; once the retries are done, every event sent must be acknowledged and
 * have its verdicts.
 */
import { describe, expect, it } from 'vitest';
import { runOverload } from '../../tools/faults/lib/overload.ts';
import { testRedisUrl } from '../setup/redis.ts';

describe('fault: overload burst against a small queue limit', () => {
  it('answers 503, stays bounded, and gets everything in after retries', async () => {
    const maxWaiting = 2;
    const concurrency = 4;
    const r = await runOverload({
      redisUrl: testRedisUrl(),
      synthetic: true,
      overloadMs: 5000,
      capacity: 20_000, // offered: 60,000 events/s, far above one worker on any machine
      factor: 3,
      rampStepMs: 0,
      workers: 1,
      linesPerRequest: 500,
      maxWaiting,
      concurrency,
      bufferMax: 8,
      retryWindowMs: 45_000,
    });
    expect(r.answers.s503).toBeGreaterThan(0);
    expect(r.answers.other).toBe(0);
    expect(r.max.waiting ?? 0).toBeLessThanOrEqual(maxWaiting + concurrency);
    expect(r.ledger.gaveUp + r.ledger.rejected + r.ledger.pending).toBe(0);
    expect(r.ledger.ackedEvents).toBe(r.ledger.sentEvents);
    expect(r.ledger.lostEvents).toBe(0);
    expect(r.ledger.verdictEvents).toBe(r.ledger.ackedEvents);
    expect(r.outcome.duplicates).toBe(0);
    expect(r.drainMs).toBeDefined();
  }, 120_000);
});
