/**
 * POST /analyze scores with the model in service, in the seed's shape and every ingest format.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, storeModel, type Harness } from '../../test-support/harness.ts';
import { ERROR_EVENT, jbossLines } from '../../test-support/lines.ts';

const [NORMAL] = jbossLines(1) as [string];

let h: Harness;
beforeAll(async () => {
  h = await startIngest({ ANALYZE_MAX_LINES: '1000', TRAIN_MIN_EVENTS: '250' });
});
afterAll(async () => {
  await h?.close();
});

const analyze = (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }, query = '') =>
  fetch(`${h.url}/analyze${query}`, { method: 'POST', body, headers });

describe('POST /analyze', () => {
  it('answers 503 no_model with Retry-After before any model is active', async () => {
    const res = await analyze(JSON.stringify({ logs: [NORMAL] }));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const { error } = (await res.json()) as any;
    expect(error).toMatchObject({ code: 'no_model', message: expect.stringContaining('no model is active') });
    // The way that works, with the configured TRAIN_MIN_EVENTS (the trainer skips fewer lines).
    expect(error.message).toContain('post at least 250 lines to /retrain (or lower TRAIN_MIN_EVENTS)');
  });

  it('scores {"logs": [...]} into the seed verdict array; the stack-trace event scores higher', async () => {
    h.models.scorer = await storeModel(h.registry, 'v1');
    const res = await analyze(JSON.stringify({ logs: [NORMAL, ERROR_EVENT] }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-model-version')).toBe('v1');
    const verdicts = (await res.json()) as any[];
    expect(verdicts).toHaveLength(2);
    for (const v of verdicts) {
      expect(v).toMatchObject({ timestamp: expect.any(String), log: expect.any(String), anomaly_score: expect.any(Number), is_anomaly: expect.any(Boolean), threshold: expect.any(Number), model_version: 'v1' });
      expect(v.anomaly_score).toBeGreaterThan(0);
      expect(v.anomaly_score).toBeLessThanOrEqual(1);
    }
    expect(verdicts[0].log).toBe(NORMAL);
    expect(verdicts[1].log).toBe(ERROR_EVENT);
    expect(verdicts[1].anomaly_score).toBeGreaterThan(verdicts[0].anomaly_score);
  });

  it('accepts {"log": "..."}, NDJSON, plain text and gzip; envelope=true and explain=all', async () => {
    const one = (await (await analyze(JSON.stringify({ log: NORMAL }))).json()) as any[];
    expect(one.map((v) => v.log)).toEqual([NORMAL]);
    const nd = await analyze(`{"message":${JSON.stringify(NORMAL)}}\n{"message":${JSON.stringify(NORMAL)}}\n`, { 'content-type': 'application/x-ndjson' });
    expect(((await nd.json()) as any[]).length).toBe(2);
    const text = await analyze(gzipSync(`${NORMAL}\n${NORMAL}\n`), { 'content-type': 'text/plain', 'content-encoding': 'gzip' }, '?envelope=true&explain=all');
    const env = (await text.json()) as any;
    expect(env.model_version).toBe('v1');
    expect(env.verdicts).toHaveLength(2);
    expect(Array.isArray(env.verdicts[0].explanation)).toBe(true);
  });

  it('text/plain: two plain lines are two verdicts; a stack trace joins the event before it', async () => {
    const two = await analyze('first plain line\nsecond plain line\n', { 'content-type': 'text/plain' });
    expect(two.status).toBe(200);
    expect(((await two.json()) as any[]).map((v) => v.log)).toEqual(['first plain line', 'second plain line']);
    // A line after a timestamped event is part of it (JBoss messages run on over several lines).
    const jboss = await analyze(`${NORMAL}\nplain after a header\n${ERROR_EVENT}\n`, { 'content-type': 'text/plain' });
    expect(((await jboss.json()) as any[]).map((v) => v.log)).toEqual([`${NORMAL}\nplain after a header`, ERROR_EVENT]);
    const plain = await analyze('orphan line\n\tat a.B.c(B.java:1)\nlast line\n', { 'content-type': 'text/plain' });
    expect(((await plain.json()) as any[]).map((v) => v.log)).toEqual(['orphan line\n\tat a.B.c(B.java:1)', 'last line']);
  });

  it('refuses bad input with 4xx JSON', async () => {
    const bad = await analyze('{"logs": [1, 2]}');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe('invalid_request');
    expect((await analyze('{"logs": [')).status).toBe(400);
    const tooMany = await analyze(JSON.stringify({ logs: jbossLines(1001) }));
    expect(tooMany.status).toBe(413);
    expect((await analyze('{}', { 'content-type': 'application/json' }, '?explain=maybe')).status).toBe(400);
  });

  it('answers 200 one-line requests in a row, each with one verdict (speed lives in pnpm bench:compare-analyze)', async () => {
    const body = JSON.stringify({ log: NORMAL });
    for (let i = 0; i < 200; i++) {
      const res = await analyze(body);
      expect(res.status).toBe(200);
      const verdicts = (await res.json()) as unknown[];
      expect(verdicts).toHaveLength(1);
    }
  });
});

describe('POST /analyze: time-only JBoss lines', () => {
  // Received 2026-12-03 07:10 UTC. 17:59 cannot have been written yet that day: the day before.
  // With SOURCE_TZ=Asia/Tokyo the servers' clock reads 16:10, so 16:00 is today there.
  const now = () => Date.UTC(2026, 11, 3, 7, 10);
  const body = (times: string[]) => times.map((t) => `${t} INFO  [org.jboss.as.server] (Controller Boot Thread) WFLYSRV0025: started`).join('\n');
  for (const [tz, want] of [
    ['UTC', ['2026-12-02T17:59:02.123Z', '2026-12-03T07:09:00.000Z', '2026-12-02T16:00:00.000Z']],
    ['Asia/Tokyo', ['2026-12-02T17:59:02.123Z', '2026-12-03T07:09:00.000Z', '2026-12-03T16:00:00.000Z']],
  ] as const) {
    it(`SOURCE_TZ=${tz}: a time of day ahead of the servers' clock at receipt is dated the day before`, async () => {
      const t = await startIngest({ SOURCE_TZ: tz }, { overrides: { now } });
      try {
        t.models.scorer = await storeModel(t.registry, 'v1');
        const res = await fetch(`${t.url}/analyze`, { method: 'POST', body: body(['17:59:02,123', '07:09:00,000', '16:00:00,000']), headers: { 'content-type': 'text/plain' } });
        expect(res.status).toBe(200);
        expect(((await res.json()) as any[]).map((v) => v.timestamp)).toEqual(want);
      } finally {
        await t.close();
      }
    });
  }
});
