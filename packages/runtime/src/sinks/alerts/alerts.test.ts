/**
 * The alert outbox end to end on a real Redis and a real HTTP receiver: the batch writer queues
 * alerts (dedup, per-minute cap) in the same script as the results, drainers deliver them in
 * each format, retry a failing receiver, never double-send between two drainers, and take over
 * what a dead drainer held.
 */
import { keys as keyNames } from '@logforest/core';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../../../../tests/setup/redis.ts';
import { createResultWriter, type ResultWriter } from '../batch-writer/writer.ts';
import { startAlertDrainer, type AlertDrainer, type AlertDrainerOptions } from './drain.ts';
import { OUTBOX_GROUP } from './outbox.ts';
import { anomalyVerdict, startReceiver, type Receiver } from './testing.ts';
import type { AlertVerdict } from './alert-key.ts';

const logger = pino({ level: 'silent' });

describe('alert outbox', () => {
  let redis: Redis;
  let prefix: string;
  let receiver: Receiver | undefined;
  const drainers: AlertDrainer[] = [];

  beforeEach(async () => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    prefix = uniquePrefix('alerts');
  });
  afterEach(async () => {
    await Promise.all(drainers.splice(0).map((d) => d.close()));
    await receiver?.close();
    receiver = undefined;
    await redis.quit();
  });

  const writer = (dedupWindowMs = 60_000, maxPerMinute = 0, now?: () => number): ResultWriter =>
    createResultWriter({ redis, prefix, alerts: { dedupWindowMs, maxPerMinute, maxLen: 1000 }, ...(now ? { now } : {}) });
  const write = (w: ResultWriter, batchId: string, verdicts: AlertVerdict[]) => w.write({ batchId, receivedAt: Date.now(), records: verdicts.length, verdicts });
  const drain = async (o: Partial<AlertDrainerOptions> & { url: string }): Promise<AlertDrainer> => {
    const d = await startAlertDrainer({ redis: redis.duplicate(), prefix, format: 'json', logger, retryBaseMs: 20, retryMaxMs: 100, blockMs: 100, ...o });
    drainers.push(d);
    return d;
  };
  const totals = async () => redis.hgetall(keyNames(prefix).totals);

  it('delivers each format: json (the webhook shape), alertmanager (/api/v2/alerts) and slack', async () => {
    receiver = await startReceiver();
    const w = writer();
    const verdict = anomalyVerdict({ signature: 'WFLYCTL0013', level: 'ERROR' });
    const bodies: Record<string, unknown> = {};
    for (const format of ['json', 'alertmanager', 'slack'] as const) {
      const res = await write(w, `b-${format}`, [{ ...verdict, host: `host-${format}` }, anomalyVerdict({ is_anomaly: false })]);
      expect(res.alerts).toEqual({ queued: 1, dedup: 0, rate: 0 });
      const d = await drain({ url: format === 'alertmanager' ? receiver.url : `${receiver.url}/hook/${format}`, format, consoleUrl: 'https://logs.example.com/' });
      const got = await receiver.waitAccepted(Object.keys(bodies).length + 1);
      bodies[format] = got.at(-1);
      await d.close();
      drainers.length = 0;
    }
    const json = bodies['json'] as { path: string; body: { batchId: string; model_version: string; anomalies: Array<Record<string, unknown>> } };
    expect(json.path).toBe('/hook/json');
    expect(json.body).toMatchObject({ batchId: 'b-json', model_version: 'v1' });
    expect(json.body.anomalies).toHaveLength(1);
    expect(json.body.anomalies[0]).toMatchObject({ host: 'host-json', log: verdict.log, anomaly_score: 0.71, suppressed: 0, batchId: 'b-json' });
    expect(String(json.body.anomalies[0]?.['console_url'])).toMatch(/^https:\/\/logs\.example\.com\/ui\/#\/anomalies\/\d+-\d+$/);

    const am = bodies['alertmanager'] as { path: string; body: Array<{ labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string }> };
    expect(am.path).toBe('/api/v2/alerts');
    expect(am.body).toHaveLength(1);
    expect(am.body[0]?.labels).toEqual({ alertname: 'LogforestAnomaly', host: 'host-alertmanager', source: 'jboss', signature: 'WFLYCTL0013', severity: 'error' });
    expect(am.body[0]?.annotations['description']).toBe(verdict.log);
    expect(am.body[0]?.annotations['console_url']).toMatch(/^https:\/\/logs\.example\.com\/ui\/#\/anomalies\//);
    expect(am.body[0]?.annotations['suppressed']).toBe('0');
    expect(Date.parse(am.body[0]!.endsAt)).toBeGreaterThan(Date.parse(am.body[0]!.startsAt));

    const slack = bodies['slack'] as { body: { text: string; blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }> } };
    expect(slack.body.text).toBe('logforest: unusual ERROR event on host-slack: WFLYCTL0013');
    expect(slack.body.blocks[0]?.type).toBe('section');
    expect(slack.body.blocks[0]?.text?.text).toContain('WFLYCTL0013: Operation ("add") failed');
    expect(slack.body.blocks[1]?.elements?.[0]?.text).toContain('|open in console>');
    expect(await redis.xlen(keyNames(prefix).alertOutbox)).toBe(0); // delivered entries are deleted
    expect((await totals())['alerts_delivered']).toBe('3');
  });

  it('falls back to the template id without signature/level, and reads the level from the line', async () => {
    receiver = await startReceiver();
    const w = writer();
    await write(w, 'b1', [anomalyVerdict({ log: '2024-05-06 10:15:02,123 FATAL [x.y] (main) boom' })]);
    await drain({ url: receiver.url, format: 'alertmanager' });
    const [got] = await receiver.waitAccepted(1);
    const alert = (got?.body as Array<{ labels: Record<string, string> }>)[0];
    expect(alert?.labels).toMatchObject({ signature: 'tpl:t42', severity: 'critical', host: 'app3' });
  });

  it('keeps retrying a receiver that answers 500 for a while, then delivers once', async () => {
    receiver = await startReceiver((n) => (n <= 4 ? 500 : 200));
    await write(writer(), 'b1', [anomalyVerdict()]);
    const d = await drain({ url: receiver.url });
    await receiver.waitAccepted(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.requests.map((q) => q.status)).toEqual([500, 500, 500, 500, 200]);
    expect(d.stats).toMatchObject({ delivered: 1, retries: 4, refused: 0 });
    expect(await redis.xlen(keyNames(prefix).alertOutbox)).toBe(0);
  });

  it('moves an alert the receiver refuses (4xx) to the dead-letter stream, without retrying', async () => {
    receiver = await startReceiver(() => 400);
    await write(writer(), 'b1', [anomalyVerdict()]);
    const d = await drain({ url: receiver.url });
    const k = keyNames(prefix);
    for (let i = 0; i < 200 && (await redis.xlen(k.alertDead)) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await redis.xlen(k.alertDead)).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    expect(d.stats.refused).toBe(1);
    expect((await totals())['alerts_failed']).toBe('1');
    expect(await redis.xlen(k.alertOutbox)).toBe(0);
  });

  it('dedups by signature and host within the window, caps per minute, and carries the suppressed count', async () => {
    let t = 1_000_000;
    const w = writer(10_000, 3, () => t);
    const same = anomalyVerdict({ signature: 'java.lang.NullPointerException' });
    // 1,000 identical errors in 10 batches of 100, one second apart: inside one 10 s window.
    for (let b = 0; b < 10; b++, t += 1000) {
      const r = await write(w, `burst-${b}`, Array.from({ length: 100 }, () => same));
      expect(r.alerts.queued + r.alerts.dedup + r.alerts.rate).toBe(100);
    }
    // Another host is another key; the window has passed for app3 at t + 10 s.
    t += 10_000;
    await write(w, 'after', [same, { ...same, host: 'app4' }]);
    receiver = await startReceiver();
    await drain({ url: receiver.url });
    const got = await receiver.waitAccepted(2);
    const alerts = got.flatMap((g) => (g.body as { anomalies: Array<{ host: string; suppressed: number; batchId: string }> }).anomalies);
    expect(alerts.map((a) => [a.batchId, a.host, a.suppressed])).toEqual([
      ['burst-0', 'app3', 0],
      ['after', 'app3', 999],
      ['after', 'app4', 0],
    ]);
    const tot = await totals();
    expect(tot).toMatchObject({ alerts_queued: '3', alerts_suppressed_dedup: '999', alerts_delivered: '3' });

    // Per-minute cap: 5 distinct keys in a fresh minute with a cap of 3 → 3 sent, 2 counted.
    t += 60_000;
    const capped = await write(w, 'many', ['a', 'b', 'c', 'd', 'e'].map((h) => ({ ...same, host: h })));
    expect(capped.alerts).toEqual({ queued: 3, dedup: 0, rate: 2 });
    // A redelivered batch changes nothing (same marker as the results).
    expect((await write(w, 'many', [same])).alerts).toEqual({ queued: 0, dedup: 0, rate: 0 });
  });

  it('two drainers share the outbox without sending any batch twice', async () => {
    receiver = await startReceiver();
    const w = writer(0);
    const N = 60;
    for (let b = 0; b < N; b++) await write(w, `b${b}`, [anomalyVerdict({ host: `h${b}` })]);
    const a = await drain({ url: receiver.url });
    const b = await drain({ url: receiver.url });
    await receiver.waitAccepted(N);
    await new Promise((r) => setTimeout(r, 300));
    const ids = receiver.accepted().map((q) => (q.body as { batchId: string }).batchId);
    expect(ids).toHaveLength(N);
    expect(new Set(ids).size).toBe(N);
    expect(a.stats.delivered + b.stats.delivered).toBe(N);
  });

  it('an entry retried for longer than the claim time is not taken over, nor are the ones after it', async () => {
    const started = Date.now();
    // b0 fails for 1.5 s (5x the claim time); the rest are accepted at once.
    receiver = await startReceiver((_n, body) => ((body as { batchId: string }).batchId === 'b0' && Date.now() - started < 1500 ? 503 : 200));
    const w = writer(0);
    for (let b = 0; b < 20; b++) await write(w, `b${b}`, [anomalyVerdict({ host: `h${b}` })]);
    const a = await drain({ url: receiver.url, claimIdleMs: 300 });
    const b = await drain({ url: receiver.url, claimIdleMs: 300 });
    await receiver.waitAccepted(20);
    await new Promise((r) => setTimeout(r, 700));
    const ids = receiver.accepted().map((q) => (q.body as { batchId: string }).batchId);
    expect(ids.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `b${i}`).sort());
    expect(a.stats.retries + b.stats.retries).toBeGreaterThan(2);
    expect(a.stats.claimed + b.stats.claimed).toBe(0);
  });

  it('takes over the alerts a dead drainer held once they have been idle for the claim time', async () => {
    const k = keyNames(prefix);
    await write(writer(), 'b1', [anomalyVerdict()]);
    // A drainer that read the entry and died before posting: it stays pending under its name.
    await redis.xgroup('CREATE', k.alertOutbox, OUTBOX_GROUP, '0', 'MKSTREAM');
    await redis.xreadgroup('GROUP', OUTBOX_GROUP, 'dead-worker', 'COUNT', 10, 'STREAMS', k.alertOutbox, '>');
    receiver = await startReceiver();
    const started = Date.now();
    const d = await drain({ url: receiver.url, claimIdleMs: 400 });
    await receiver.waitAccepted(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(d.stats.claimed).toBe(1);
    const pending = (await redis.xpending(k.alertOutbox, OUTBOX_GROUP)) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });
});
