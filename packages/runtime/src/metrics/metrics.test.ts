import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../../../tests/setup/redis.ts';
import { createMetricsRegistry, ingestMetrics, registerQueueDepth, trainerMetrics, workerMetrics } from './index.ts';

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
