/**
 * Backpressure and Redis outages, against real Redis servers: over QUEUE_MAX_WAITING ingest
 * answers 503 + Retry-After (429 on _bulk); a retrying client gets every event in once the queue
 * drains; with Redis down the answer is a quick 503 and service resumes by itself.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { QUEUES, scoreJobSchema } from '@logforest/core';
import { startRedisServer, type RedisHandle } from '../../../../tests/setup/redis-server.ts';
import { startIngest, type Harness } from '../test-support/harness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function bulkBody(lines: string[]): string {
  return lines.map((l) => `{"create":{"_index":"fb"}}\n${JSON.stringify({ message: l })}\n`).join('');
}

/**
 * Stop a redis-server and wait for it to exit. (RedisHandle.stop() can miss the exit: its stdout
 * listener drops every 'exit' listener whenever more output arrives after "Ready to accept".)
 */
async function stopRedis(handle: RedisHandle): Promise<void> {
  if (handle.proc.exitCode === null && handle.proc.signalCode === null) handle.proc.kill('SIGTERM');
  for (let i = 0; i < 100 && handle.proc.exitCode === null && handle.proc.signalCode === null; i++) await sleep(50);
  await handle.stop();
}

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe('backpressure', () => {
  it('503 + Retry-After on /ingest and 429 on /_bulk past QUEUE_MAX_WAITING; a retrying client loses nothing', async () => {
    const h: Harness = await startIngest({ QUEUE_MAX_WAITING: '3', QUEUE_DEPTH_CACHE_MS: '0', BATCH_MAX_EVENTS: '10', RETRY_AFTER_SECONDS: '2' });
    cleanup.push(() => h.close());
    const post = (body: string, path = '/ingest') =>
      fetch(`${h.url}${path}`, { method: 'POST', body, headers: { 'content-type': path === '/ingest' ? 'text/plain' : 'application/x-ndjson' } });

    const sent: string[] = [];
    for (let i = 0; i < 3; i++) {
      const lines = Array.from({ length: 5 }, (_, k) => `fill ${i}-${k}`);
      expect((await post(lines.join('\n'))).status).toBe(202);
      sent.push(...lines);
    }
    const full = await post('one more');
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('2');
    expect(((await full.json()) as any).error.code).toBe('queue_full');
    const bulk = await post(bulkBody(['one more']), '/_bulk');
    expect(bulk.status).toBe(429);
    expect(bulk.headers.get('retry-after')).toBe('2');
    expect(bulk.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(((await bulk.json()) as any)).toMatchObject({ status: 429, error: { type: 'es_rejected_execution_exception', code: 'queue_full' } });
    expect((await h.scoreJobs()).length).toBe(3);

    // Drain with a real BullMQ worker while 24 clients push, retrying like Fluent Bit (exponential back-off with jitter).
    const received: string[] = [];
    const connection = new Redis(h.config.REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker(
      QUEUES.score,
      async (job) => {
        await sleep(5);
        received.push(...scoreJobSchema.parse(job.data).records.map((r) => r.line));
      },
      { connection, prefix: h.prefix, concurrency: 2 },
    );
    cleanup.push(async () => {
      await worker.close();
      await connection.quit();
    });

    let refusals = 0;
    const client = async (c: number) => {
      for (let n = 0; n < 4; n++) {
        const lines = Array.from({ length: 7 }, (_, k) => `client ${c} req ${n} line ${k}`);
        const viaBulk = c % 3 === 0;
        for (let attempt = 0; ; attempt++) {
          const res = await post(viaBulk ? bulkBody(lines) : lines.join('\n'), viaBulk ? '/_bulk' : '/ingest');
          if (res.status === 202 || res.status === 200) break;
          expect([503, 429]).toContain(res.status);
          expect(res.headers.get('retry-after')).toBe('2');
          refusals++;
          await sleep(Math.min(10 * 2 ** attempt, 200) * (0.5 + Math.random()));
        }
        sent.push(...lines);
      }
    };
    await Promise.all(Array.from({ length: 24 }, (_, c) => client(c)));
    expect(refusals).toBeGreaterThan(0);
    for (let i = 0; i < 200 && received.length < sent.length; i++) await sleep(50);
    expect(received.length).toBe(sent.length);
    expect(new Set(received)).toEqual(new Set(sent));
  });
});

describe('Redis outage', () => {
  it('answers 503/429 quickly while Redis is down and recovers by itself', async () => {
    let redis: RedisHandle = await startRedisServer();
    cleanup.push(() => stopRedis(redis));
    const h = await startIngest({ REDIS_TIMEOUT_MS: '1000', QUEUE_DEPTH_CACHE_MS: '0' }, { redisUrl: redis.url });
    cleanup.push(() => h.close());
    const post = () => fetch(`${h.url}/ingest`, { method: 'POST', body: 'a line', headers: { 'content-type': 'text/plain' } });

    expect((await post()).status).toBe(202);
    await stopRedis(redis);

    const started = performance.now();
    const down = await post();
    const elapsed = performance.now() - started;
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(((await down.json()) as any).error.code).toBe('redis_unavailable');
    expect(elapsed).toBeLessThan(1500);
    const bulk = await fetch(`${h.url}/_bulk`, { method: 'POST', body: bulkBody(['x']), headers: { 'content-type': 'application/x-ndjson' } });
    expect(bulk.status).toBe(429);
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as any).checks.redis).toBe('unavailable');
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);

    redis = await startRedisServer({ port: redis.port });
    let status = 0;
    for (let i = 0; i < 100 && status !== 202; i++) {
      status = (await post()).status;
      if (status !== 202) await sleep(100);
    }
    expect(status).toBe(202);
    expect((await h.records()).map((r) => r.line)).toEqual(['a line']);
  });
});
