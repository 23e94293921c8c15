import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../../../tests/setup/redis.ts';
import { keys } from '@logforest/core';
import { createMetricsRegistry, ingestMetrics, registerFlowMetrics, registerModelGauge, registerQueueDepth, trainerMetrics, workerMetrics } from './index.ts';

describe('metrics', () => {
  it('registers the named metrics on a private registry, labelled by service', async () => {
    const registry = createMetricsRegistry({ service: 'ingest', processMetrics: false });
    const m = ingestMetrics(registry);
    workerMetrics(registry);
    trainerMetrics(registry);
    m.eventsEnqueued.inc({ surface: 'ingest' }, 3);
    const text = await registry.metrics();
    expect(text).toContain('logforest_ingest_events_enqueued_total{surface="ingest",service="ingest"} 3');
    expect(text).toContain('logforest_worker_verdicts_total');
    expect(text).toContain('logforest_trainer_runs_total');
    // A second registry in the same process does not collide.
    ingestMetrics(createMetricsRegistry({ service: 'ingest', processMetrics: false }));
  });

  it('reads queue depth from a real BullMQ queue at scrape time', async () => {
    const connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const queue = new Queue('score', { connection, prefix: uniquePrefix('metrics') });
    await queue.addBulk([{ name: 'b', data: { n: 1 } }, { name: 'b', data: { n: 2 } }]);
    const registry = createMetricsRegistry({ service: 'ingest', processMetrics: false });
    registerQueueDepth(registry, [queue]);
    expect(await registry.metrics()).toContain('logforest_queue_jobs{queue="score",state="waiting",service="ingest"} 2');
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
  });
});

describe('metric names', () => {
  it('follow Prometheus conventions on every service, prom-client defaults included', async () => {
    const types = new Map<string, string>();
    for (const service of ['ingest', 'worker', 'trainer']) {
      const registry = createMetricsRegistry({ service });
      ingestMetrics(registry);
      workerMetrics(registry);
      trainerMetrics(registry);
      registerFlowMetrics(registry, { redis: { hmget: async () => [], xlen: async () => 0 } as never });
      registerModelGauge(registry, () => 'v1');
      for (const m of (await registry.metrics()).matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(m[1] as string, m[2] as string);
    }
    expect(types.size).toBeGreaterThan(40);
    for (const [name, type] of types) {
      expect(name, name).toMatch(/^logforest_[a-z0-9_]+$/);
      if (type === 'counter') expect(name, `counter ${name}`).toMatch(/_total$/);
      else expect(name, `${type} ${name}`).not.toMatch(/_total$/);
      if (/duration|latency|delay|lag|_time/.test(name)) expect(name, `${name}: unit`).toMatch(/_seconds(_total)?$/);
      if (/memory|heap|size/.test(name)) expect(name, `${name}: unit`).toMatch(/_bytes$/);
    }
    expect(types.get('logforest_nodejs_active_handles')).toBe('gauge'); // the per-type gauges stay
  });

  it('exports the whole flow from the Redis counters the workers write', async () => {
    const redis = new Redis(testRedisUrl());
    const prefix = uniquePrefix('flow');
    const k = keys(prefix);
    await redis.hset(k.totals, { batches: 3, records: 120, events: 100, anomalies: 7, alerts_queued: 2, alerts_suppressed_dedup: 5, alerts_delivered: 1 });
    await redis.xadd(k.alertOutbox, '*', 'h', '{}');
    const registry = createMetricsRegistry({ service: 'ingest', processMetrics: false });
    registerFlowMetrics(registry, { redis, prefix, cacheMs: 0 });
    let text = await registry.metrics();
    expect(text).toContain('logforest_scored_batches_total{service="ingest"} 3');
    expect(text).toContain('logforest_scored_events_total{service="ingest"} 100');
    expect(text).toContain('logforest_anomalies_total{service="ingest"} 7');
    expect(text).toContain('logforest_alerts_suppressed_total{reason="dedup",service="ingest"} 5');
    expect(text).toContain('logforest_alerts_delivered_total{service="ingest"} 1');
    expect(text).toContain('logforest_alert_outbox_entries{service="ingest"} 1');
    await redis.hincrby(k.totals, 'anomalies', 2);
    text = await registry.metrics();
    expect(text).toContain('logforest_anomalies_total{service="ingest"} 9');
    // Redis away: the last values stay, the scrape still answers.
    redis.disconnect();
    expect(await registry.metrics()).toContain('logforest_anomalies_total{service="ingest"} 9');
  });
});
