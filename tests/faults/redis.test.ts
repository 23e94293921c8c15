/**
 * Fast subset of the Redis-restart fault scenario (tools/faults/scenarios/redis.ts): a redis-server
 * of its own with AOF and appendfsync always, ingest, a worker and the trainer as real processes,
 * load, then redis-server SIGKILLed mid-load and restarted on the same port and directory.
 * Ingest must answer 503 while Redis is away and recover by itself, the worker and the trainer
 * must reconnect by themselves, and no acknowledged event may be lost.
 */
import { describe, expect, it } from 'vitest';
import { runRedisRestart } from '../../tools/faults/lib/redis-restart.ts';

describe('fault: redis-server SIGKILLed and restarted (appendfsync always)', () => {
  it('loses no acknowledged event; ingest 503s during the outage and everything recovers by itself', async () => {
    const r = await runRedisRestart({
      fsync: 'always',
      signal: 'SIGKILL',
      synthetic: true,
      loadMs: 8000,
      killAtMs: 3000,
      outageMs: 1500,
      ratePerSec: 8,
      linesPerRequest: 250,
      workers: 1,
      trainer: true,
    });
    expect(r.outageMs).toBeGreaterThanOrEqual(1500);
    // While Redis was away, ingest refused with 503 (and nothing else).
    expect(r.duringOutage.total).toBeGreaterThan(0);
    expect(r.duringOutage.s503).toBe(r.duringOutage.total);
    // It acknowledges again, and the worker scores again, without a restart of either.
    expect(r.firstAckMs).toBeDefined();
    expect(r.firstAckMs as number).toBeLessThan(15_000);
    expect(r.firstScoredMs).toBeDefined();
    expect(r.readyAfterMs).toBeDefined();
    // The trainer's connection came back too: a training run requested after the restart completed.
    expect(r.trainedMs).toBeDefined();
    // Durability: every acknowledged event has its verdicts; none given up by the client.
    expect(r.ledger.ackedEvents).toBe(r.ledger.sentEvents);
    expect(r.ledger.lostEvents).toBe(0);
    expect(r.ledger.verdictEvents).toBe(r.ledger.ackedEvents);
    expect(r.outcome.duplicates).toBe(0);
    expect(r.outcome.failedJobs).toBe(0);
    expect(r.drainMs).toBeDefined();
  }, 120_000);
});
