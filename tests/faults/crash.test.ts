/**
 * Fast subset of the worker-crash fault scenario (tools/faults/scenarios/crash.ts): ingest and two
 * workers as real processes on the test Redis, 10 s of NDJSON load, two workers SIGKILLed (each
 * replaced) while batches are in flight. Every acknowledged event must get its verdicts, and no
 * batch may be counted twice.
 */
import { describe, expect, it } from 'vitest';
import { runCrash } from '../../tools/faults/lib/crash.ts';
import { testRedisUrl } from '../setup/redis.ts';

describe('fault: workers SIGKILLed under load', () => {
  it('loses no acknowledged event and counts none twice', async () => {
    const r = await runCrash({
      redisUrl: testRedisUrl(),
      synthetic: true,
      durationMs: 10_000,
      workers: 2,
      killEveryMs: [2500, 3500],
      maxKills: 2,
      linesPerRequest: 250,
      ratePerSec: 8,
      drainTimeoutMs: 40_000,
    });
    expect(r.kills).toBe(2);
    expect(r.ledger.ackedRequests).toBe(r.ledger.requests);
    expect(r.ledger.ackedEvents).toBe(r.ledger.sentEvents);
    expect(r.ledger.lostEvents).toBe(0);
    expect(r.ledger.verdictEvents).toBe(r.ledger.ackedEvents);
    // Nothing was refused, so nothing could arrive twice: the counters match the acks exactly.
    expect(r.outcome.totals.records).toBe(r.ledger.ackedEvents);
    expect(r.outcome.totals.batches).toBe(r.ledger.ackedRequests);
    expect(r.outcome.doneMarkers).toBe(r.ledger.ackedRequests);
    expect(r.outcome.duplicates).toBe(0);
    expect(r.outcome.anomalies).toBe(r.outcome.totals.anomalies);
    expect(r.outcome.failedJobs).toBe(0);
    expect(r.drainMs).toBeDefined();
  }, 120_000);
});
