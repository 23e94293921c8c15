/**
 * Fuzzing the ingest edge (fast subset of tools/faults/scenarios/fuzz.ts): 2,000 generated requests
 * over HTTP to the real app on the test Redis, and 20,000 more through the same route handlers and
 * error middleware in-process. No answer ≥ 500, every refusal a JSON error with a code and a
 * message, /healthz still up, and every job that reached the queue parses with scoreJobSchema.
 * FUZZ_SEED picks another reproducible sample.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCases, type FuzzCase } from '../../tools/faults/fuzz/cases.ts';
import { createSender, newTally, record } from '../../tools/faults/fuzz/client.ts';
import { TOKEN, createInProcess, startTarget, type Target } from '../../tools/faults/fuzz/target.ts';
import { testRedisUrl } from '../setup/redis.ts';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_240_501);
let target: Target;

beforeAll(async () => {
  target = await startTarget(testRedisUrl());
});
afterAll(async () => {
  await target?.stop();
});

describe('fuzzed requests', () => {
  it('2,000 over HTTP: no 5xx, JSON refusals, healthy after, only well-formed jobs queued', async () => {
    const sender = createSender(target.h.url, TOKEN, 4);
    const tally = newTally();
    try {
      for (let b = 0; b < 4; b++) {
        const cases = sampleCases(500, SEED + b);
        let next = 0;
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            while (next < cases.length) {
              const c = cases[next++] as FuzzCase;
              record(tally, c, await sender.send(c).catch((e: Error) => e));
            }
          }),
        );
      }
    } finally {
      sender.close();
    }
    expect(tally.sent).toBe(2000);
    expect(tally.examples).toEqual([]);
    expect(tally.classes['5xx'] ?? 0).toBe(0);
    expect(tally.classes['4xx']).toBeGreaterThan(300);
    expect(tally.classes['2xx']).toBeGreaterThan(300);
    expect((await fetch(`${target.h.url}/healthz`)).status).toBe(200);
    await target.drain();
    expect(target.audit.jobs).toBeGreaterThan(100);
    expect(target.audit).toMatchObject({ malformed: 0, examples: [] });
    expect(await target.h.scoreJobs()).toEqual([]);
  }, 60_000);

  it('20,000 through the same handlers in-process', async () => {
    const ip = createInProcess(target.h.models.scorer!);
    const tally = newTally();
    for (let b = 0; b < 40; b++) {
      for (const c of sampleCases(500, SEED + 1000 + b)) {
        const r = await ip.handle(c).catch((e: Error) => e);
        record(tally, c, r instanceof Error ? r : { status: r.status, contentType: r.contentType, body: r.body });
      }
    }
    expect(tally.sent).toBe(20_000);
    expect(tally.examples).toEqual([]);
    expect(tally.classes['5xx'] ?? 0).toBe(0);
    expect(ip.audit.jobs).toBeGreaterThan(1000);
    expect(ip.audit.malformed).toBe(0);
  }, 60_000);
});
