/**
 * Alerts through real workers on a real Redis, received by a real HTTP receiver:
 * - a worker SIGKILLed after it scored a batch but before its alert got through still delivers
 *   the alert once a worker is back (the outbox entry is taken over);
 * - a burst of 1,000 identical errors gives a handful of alerts, and the suppressed ones are
 *   all accounted for in the `suppressed` counts the sent alerts carry.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { encodeModel, keys, QUEUES, trainModel, type ScoreJob } from '@logforest/core';
import { artifactMeta, createModelRegistry, loadConfig } from '@logforest/runtime';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anomalousEvents, normalLines } from '../../../packages/runtime/src/model-cache/testing/lines.ts';
import { startReceiver, type Receiver } from '../../../packages/runtime/src/sinks/alerts/testing.ts';
import { testRedisUrl, uniquePrefix } from '../../../tests/setup/redis.ts';
import { workerEnvSchema } from './config.ts';
import { startWorkerService, type WorkerService } from './service.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ERROR_EVENT = anomalousEvents()[0] as string; // MSC000001 … BindException, with its trace

async function until<T>(what: string, cond: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('alerts from real workers', () => {
  let redis: Redis;
  let queue: Queue;
  let prefix: string;
  let receiver: Receiver;
  const children: ChildProcess[] = [];
  let service: WorkerService | undefined;

  beforeEach(async () => {
    prefix = uniquePrefix('walerts');
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    queue = new Queue(QUEUES.score, { connection: redis, prefix });
    const model = trainModel(normalLines(600, 3).map((line) => ({ line })), { version: 'v1' });
    const registry = createModelRegistry({ redis, prefix });
    await registry.store('v1', encodeModel(model), artifactMeta(model));
    await registry.activate('v1');
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await service?.close();
    service = undefined;
    await receiver?.close();
    await queue.close();
    await redis.quit();
  });

  const job = (batchId: string, lines: string[], host = 'app3'): { name: string; data: ScoreJob; opts: { jobId: string } } => ({
    name: 'score',
    data: { v: 1, batchId, receivedAt: Date.now(), tag: 'jboss', records: lines.map((line) => ({ line, host })) },
    opts: { jobId: batchId },
  });

  function startWorkerProcess(): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/worker/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        REDIS_URL: testRedisUrl(),
        LOGFOREST_PREFIX: prefix,
        LOG_LEVEL: 'error',
        MODEL_POLL_INTERVAL_MS: '0',
        ALERT_WEBHOOK_URL: receiver.url,
        ALERT_FORMAT: 'alertmanager',
        CONSOLE_URL: 'http://console.example:5000',
        ALERT_RETRY_BASE: '100ms',
        ALERT_RETRY_MAX: '200ms',
        ALERT_CLAIM_IDLE: '1s',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  }

  it('a worker SIGKILLed between scoring and delivery: the alert arrives once a worker is back', async () => {
    let up = false;
    receiver = await startReceiver(() => (up ? 200 : 503));
    const first = startWorkerProcess();
    await queue.addBulk([job('kill-1', [...normalLines(200, 7, Date.UTC(2024, 4, 7, 10)), ERROR_EVENT])]);
    const k = keys(prefix);
    // Scored and written (the batch marker), its alert in the outbox, the receiver refusing it.
    await until('two refused attempts', async () => receiver.requests.length >= 2);
    expect(await redis.exists(k.batchDone('kill-1'))).toBe(1);
    expect(await redis.xlen(k.alertOutbox)).toBe(1);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const refused = receiver.requests.length;

    up = true;
    startWorkerProcess();
    const [got] = await receiver.waitAccepted(1, 20_000);
    await new Promise((r) => setTimeout(r, 1500)); // room for a duplicate to show up
    expect(receiver.accepted()).toHaveLength(1);
    const alerts = got?.body as Array<{ labels: Record<string, string>; annotations: Record<string, string> }>;
    expect(got?.path).toBe('/api/v2/alerts');
    expect(alerts.some((a) => a.labels['host'] === 'app3' && a.annotations['description']?.includes('BindException'))).toBe(true);
    expect(alerts[0]?.annotations['console_url']).toMatch(/^http:\/\/console\.example:5000\/ui\/#\/anomalies\//);
    expect(await redis.xlen(k.alertOutbox)).toBe(0);
    expect(Number(await redis.hget(k.totals, 'alerts_delivered'))).toBe(alerts.length);
    console.log(`[alerts sigkill] ${refused} POSTs refused (503) before the SIGKILL, delivered once after the restart (${alerts.length} alerts)`);
  }, 60_000);

  it('a burst of 1,000 identical errors: a handful of alerts carrying every suppressed one', async () => {
    receiver = await startReceiver();
    const config = loadConfig(workerEnvSchema, {
      REDIS_URL: testRedisUrl(),
      LOGFOREST_PREFIX: prefix,
      MODEL_POLL_INTERVAL_MS: '0',
      ALERT_WEBHOOK_URL: `${receiver.url}/hook`,
      ALERT_FORMAT: 'json',
      ALERT_DEDUP_WINDOW: '1s',
    });
    service = await startWorkerService({ config, redis, logger: pino({ level: 'silent' }) });
    // 1,000 copies of one error from one host, 100 per batch, over ~2.5 s; then one more after the window.
    for (let b = 0; b < 10; b++) {
      await queue.addBulk([job(`burst-${b}`, Array.from({ length: 100 }, () => ERROR_EVENT))]);
      await new Promise((r) => setTimeout(r, 250));
    }
    await until('burst scored', async () => (await queue.getCompletedCount()) === 10);
    await new Promise((r) => setTimeout(r, 1100));
    await queue.addBulk([job('after', [ERROR_EVENT])]);
    await until('all scored', async () => (await queue.getCompletedCount()) === 11);
    const k = keys(prefix);
    await until('outbox drained', async () => (await redis.xlen(k.alertOutbox)) === 0 && receiver.accepted().length > 0);

    const alerts = receiver.accepted().flatMap((q) => (q.body as { anomalies: Array<{ host: string; suppressed: number; log: string }> }).anomalies);
    const suppressed = alerts.reduce((s, a) => s + a.suppressed, 0);
    const totals = await redis.hgetall(k.totals);
    console.log(`[alerts burst] 1,001 identical errors → ${alerts.length} alerts sent, ${suppressed} suppressed (carried on them); dedup ${totals['alerts_suppressed_dedup']}, rate cap ${totals['alerts_suppressed_rate']}`);
    expect(totals['anomalies']).toBe('1001'); // every copy was an anomaly
    expect(alerts.length).toBeGreaterThanOrEqual(2);
    expect(alerts.length).toBeLessThanOrEqual(8);
    expect(alerts.every((a) => a.host === 'app3' && a.log === ERROR_EVENT)).toBe(true);
    expect(alerts.at(-1)?.suppressed).toBeGreaterThan(0); // the last one carries what came after the previous
    expect(alerts.length + suppressed).toBe(1001); // nothing unaccounted for
    expect(Number(totals['alerts_suppressed_dedup']) + Number(totals['alerts_suppressed_rate'])).toBe(suppressed);
  }, 60_000);
});
