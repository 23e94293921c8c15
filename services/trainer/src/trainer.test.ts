import { decodeModel, QUEUES, type TrainJob } from '@logforest/core';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalLines } from '../../../packages/runtime/src/model-cache/testing/lines.ts';
import { testRedisUrl, uniquePrefix } from '../../../tests/setup/redis.ts';
import { startTrainerService, type TrainerService } from './service.ts';
import { seedActiveModel, seedSample, trainerConfig, until } from './testing.ts';
import type { TrainResult } from './train-run.ts';

const logger = pino({ level: 'silent' });
const request = (lines?: string[], activate = true): TrainJob => ({ v: 1, reason: 'request', activate, requestedAt: Date.now(), ...(lines ? { lines } : {}) });

describe('trainer', () => {
  let prefix: string;
  let conns: Redis[];
  let services: TrainerService[];
  let queue: Queue;
  let events: QueueEvents;

  const conn = (): Redis => {
    const r = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    conns.push(r);
    return r;
  };
  async function start(env: Record<string, string> = {}): Promise<TrainerService> {
    const s = await startTrainerService({ config: trainerConfig(testRedisUrl(), prefix, env), redis: conn(), logger });
    services.push(s);
    return s;
  }

  beforeEach(async () => {
    prefix = uniquePrefix('trainer');
    conns = [];
    services = [];
    queue = new Queue(QUEUES.train, { connection: conn(), prefix });
    const u = new URL(testRedisUrl());
    events = new QueueEvents(QUEUES.train, { connection: { host: u.hostname, port: Number(u.port) }, prefix });
    await events.waitUntilReady();
  });
  afterEach(async () => {
    for (const s of services) await s.close();
    await Promise.all([queue.close(), events.close()]);
    await Promise.all(conns.map((c) => c.quit()));
  });

  it('trains on the sample, validates against the active model, stores and activates v2', async () => {
    const redis = conn();
    await seedActiveModel(redis, prefix);
    await seedSample(redis, prefix, 1500);
    const s = await start();
    const job = await queue.add('retrain', request());
    const r = (await job.waitUntilFinished(events, 20_000)) as TrainResult;
    expect(r).toMatchObject({ version: 'v2', status: 'active', trained: 1200, heldOut: 300, validation: { passed: true } });
    expect(r.validation?.active?.version).toBe('v1');
    expect(await s.registry.activeVersion()).toBe('v2');
    expect(await s.registry.getMeta('v2')).toMatchObject({ status: 'active', trigger: 'request', validation: { passed: true } });
    expect((await s.registry.getMeta('v1'))?.status).toBe('inactive');
  });

  it('rejects a candidate that misses its gates and keeps v1 active; skips a thin sample', async () => {
    const redis = conn();
    await seedActiveModel(redis, prefix);
    const s = await start({ TRAIN_MIN_EVENTS: '1000' });
    // One line 1,250 times: the forest cannot split anything and scores every held-back event alike.
    const same = Array.from({ length: 1250 }, () => '2024-05-07 10:00:00,000 INFO  [com.example.batch.Job] (worker-1) heartbeat');
    const job = await queue.add('retrain', request(same));
    const r = (await job.waitUntilFinished(events, 20_000)) as TrainResult;
    expect(r.status).toBe('rejected');
    expect(r.reasons?.join(' ')).toMatch(/degenerate/);
    expect(await s.registry.activeVersion()).toBe('v1');
    expect(await s.registry.getMeta(r.version!)).toMatchObject({ status: 'rejected', reasons: r.reasons });

    const thin = await queue.add('retrain', request());
    expect(await thin.waitUntilFinished(events, 20_000)).toMatchObject({ status: 'skipped' });
  });

  it('skips too few records, sample or posted lines, saying how many lines to post (the 503 hint of /analyze)', async () => {
    const redis = conn();
    await seedSample(redis, prefix, 40);
    const s = await start({ TRAIN_MIN_EVENTS: '120' });
    const hint = 'fewer than TRAIN_MIN_EVENTS=120: post at least 120 lines to /retrain (or lower TRAIN_MIN_EVENTS)';
    const thinSample = (await (await queue.add('retrain', request())).waitUntilFinished(events, 20_000)) as TrainResult;
    expect(thinSample).toEqual({ status: 'skipped', trained: 0, heldOut: 0, reasons: [`the sample holds 40 events, ${hint}`] });
    const thinPost = (await (await queue.add('retrain', request(normalLines(119, 5)))).waitUntilFinished(events, 20_000)) as TrainResult;
    expect(thinPost).toEqual({ status: 'skipped', trained: 0, heldOut: 0, reasons: [`119 lines were posted, ${hint}`] });
    expect(await s.registry.list()).toEqual([]);
    // The number the hint names is enough.
    const enough = (await (await queue.add('retrain', request(normalLines(120, 5)))).waitUntilFinished(events, 20_000)) as TrainResult;
    expect(enough.status).toBe('active');
  });

  it('metadata agrees with itself: trained / heldOut / trainedOn / holdoutEvents count the same events; from/to are the first/last trained event times', async () => {
    const s = await start();
    // 400 events one second apart from T0, every 10th an ERROR with a 3-line stack trace: 520 lines.
    const T0 = Date.UTC(2024, 4, 6, 9, 0, 0);
    const iso = (ms: number) => new Date(ms).toISOString();
    const stamp = (ms: number) => iso(ms).replace('T', ' ').replace('.', ',').slice(0, 23);
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      const t = stamp(T0 + i * 1000);
      if (i % 10 === 9) {
        lines.push(`${t} ERROR [com.example.shop.OrderService] (default task-${i % 7}) Order ${i} failed: java.lang.IllegalStateException: stock ${i % 5} missing`);
        lines.push('\tat com.example.shop.OrderService.place(OrderService.java:42)', '\tat com.example.shop.OrderResource.post(OrderResource.java:17)', '\t... 12 more');
      } else lines.push(`${t} INFO  [io.undertow.request] (default task-${i % 7}) GET /api/orders/${1000 + ((i * 37) % 500)} completed in ${5 + (i % 40)} ms`);
    }
    expect(lines).toHaveLength(520);
    const r = (await (await queue.add('retrain', request(lines))).waitUntilFinished(events, 30_000)) as TrainResult;
    // 20 % held back as every 5th event (4, 9, …, 399); the forest fits the other 320, 0..398.
    expect(r).toMatchObject({ trained: 320, heldOut: 80, validation: { holdoutEvents: 80 } });
    const meta = await s.registry.getMeta(r.version!);
    expect(meta?.trainedOn).toEqual({ events: 320, from: iso(T0), to: iso(T0 + 398_000) });
    expect(meta?.validation?.holdoutEvents).toBe(80);
    const artifact = decodeModel((await s.registry.getBlob(r.version!))!);
    expect(artifact.training).toMatchObject({ events: 320, from: iso(T0), to: iso(T0 + 398_000) });

    // Time-only lines posted at a known request time are dated by it (07:10 → 01:00..06:00 today);
    // a first line with no time of its own does not set `from`. Another model, other times.
    const requestedAt = Date.UTC(2026, 11, 3, 7, 10);
    const clock = (k: number) => new Date(Date.UTC(2026, 11, 3, 1) + k * 60_000).toISOString().slice(11, 23).replace('.', ',');
    const console = ['heartbeat without a time', ...Array.from({ length: 299 }, (_, k) => `${clock(k)} INFO  [org.jboss.as.server] (ServerService Thread Pool -- ${k % 9}) WFLYSRV0010: Deployed "shop-${k % 13}.war"`)];
    const job = { ...request(console), requestedAt };
    const r2 = (await (await queue.add('retrain', job)).waitUntilFinished(events, 30_000)) as TrainResult;
    expect(r2).toMatchObject({ trained: 240, heldOut: 60, validation: { holdoutEvents: 60 } });
    // Event k+1 is timed line k; every 5th event (4, 9, …, 299) is held back, so the last trained is event 298 = line 297.
    expect((await s.registry.getMeta(r2.version!))?.trainedOn).toEqual({ events: 240, from: '2026-12-03T01:00:00.000Z', to: iso(Date.UTC(2026, 11, 3, 1) + 297 * 60_000) });
  });

  it('dates posted time-only lines on the SOURCE_TZ clock at the request time', async () => {
    const requestedAt = Date.UTC(2026, 11, 3, 7, 10); // 16:10 in Tokyo
    const clock = (k: number) => new Date(Date.UTC(2026, 11, 3, 9) + k * 60_000).toISOString().slice(11, 23).replace('.', ',');
    const lines = Array.from({ length: 200 }, (_, k) => `${clock(k)} INFO  [org.jboss.as.server] (ServerService Thread Pool -- ${k % 9}) WFLYSRV0010: Deployed "shop-${k % 13}.war"`);
    const last = new Date(Date.UTC(2026, 11, 3, 9) + 198 * 60_000).toISOString().slice(11);
    for (const [tz, day] of [['Asia/Tokyo', '2026-12-03'], ['UTC', '2026-12-02']] as const) {
      const s = await start({ SOURCE_TZ: tz });
      const r = (await (await queue.add('retrain', { ...request(lines), requestedAt })).waitUntilFinished(events, 30_000)) as TrainResult;
      expect((await s.registry.getMeta(r.version!))?.trainedOn, tz).toEqual({ events: 160, from: `${day}T09:00:00.000Z`, to: `${day}T${last}` });
      await s.close();
      services.splice(services.indexOf(s), 1);
    }
  });

  it('runs on its schedule', async () => {
    const redis = conn();
    await seedSample(redis, prefix, 400);
    const s = await start({ TRAIN_INTERVAL_MS: '300' });
    await until(async () => (await s.registry.activeVersion()) !== undefined, 10_000);
    await until(async () => (await queue.getCompleted()).filter((j) => j.name === 'retrain').length >= 2, 10_000);
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((x) => [x.key, x.every])).toEqual([['retrain', 300]]);
  });

  it('two trainers never run the same job twice', async () => {
    const a = await start();
    const b = await start();
    const ran = new Map<string, string[]>();
    for (const [name, s] of [['a', a], ['b', b]] as const) {
      s.worker.on('active', (job) => ran.set(job.id!, [...(ran.get(job.id!) ?? []), name]));
    }
    const jobs = await queue.addBulk(Array.from({ length: 6 }, (_, i) => ({ name: 'retrain', data: request(normalLines(300, 50 + i)) })));
    const results = (await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 30_000)))) as TrainResult[];
    expect(ran.size).toBe(6);
    expect([...ran.values()].every((who) => who.length === 1)).toBe(true);
    expect(new Set(results.map((r) => r.version)).size).toBe(6);
    expect((await a.registry.list()).length).toBe(6);
  });
});
