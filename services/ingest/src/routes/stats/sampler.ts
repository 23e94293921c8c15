/**
 * Throughput samples for the console: every THROUGHPUT_SAMPLE_MS, what the service's own counters
 * say, kept in this process's memory for the last hour (at 10 s, 360 samples of a few numbers;
 * nothing is written to Redis, so the hot path and Redis memory are untouched).
 *
 * Per sample, as deltas since the previous one:
 * - `events_in`: events this ingest process acknowledged (its `logforest_ingest_events_enqueued_total`);
 * - `scored`, `anomalies`: records scored and anomalies found by all workers (the `totals` hash the
 *   workers' result script increments, so it covers every worker and every ingest);
 * and as levels: `queue_waiting`, `queue_active` (score queue job counts), and the p50/p99 time from
 * ingest accepting a batch to its verdicts being written (`finishedOn − timestamp` of the score
 * jobs completed in the interval, read from the BullMQ job hashes; KEEP_COMPLETED_JOBS bounds how
 * many are still there to read, so under very high rates this is a sample of the batches).
 *
 * A restarted ingest starts an empty history; behind a load balancer each ingest answers its own
 * samples, whose Redis-derived figures agree and whose `events_in` is that process's share.
 */
import type { Queue } from 'bullmq';
import type { RedisClient } from '@logforest/runtime';
import type { Counter } from 'prom-client';
import type { ThroughputSample } from './schema.ts';

export type { ThroughputSample } from './schema.ts';

export interface SamplerOptions {
  redis: RedisClient;
  scoreQueue: Pick<Queue, 'getJobCounts' | 'keys' | 'toKey'>;
  totalsKey: string;
  enqueued: Counter<'surface'>;
  intervalMs: number;
  /** History kept, ms. @defaultValue 3600000 */
  windowMs?: number;
  now?: () => number;
  onError?: (err: Error) => void;
}

export interface ThroughputSampler {
  readonly intervalMs: number;
  readonly windowMs: number;
  /** Samples in the window, oldest first. */
  samples(): ThroughputSample[];
  /** Take one sample now (the timer calls this). */
  tick(): Promise<void>;
  stop(): void;
}

/** Most completed jobs read per sample. */
const MAX_JOBS_PER_SAMPLE = 1000;

export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? null;
}

async function counterTotal(c: Counter<'surface'>): Promise<number> {
  const { values } = await c.get();
  return values.reduce((s, v) => s + v.value, 0);
}

export function createThroughputSampler(o: SamplerOptions): ThroughputSampler {
  const now = o.now ?? Date.now;
  const windowMs = o.windowMs ?? 3_600_000;
  const history: ThroughputSample[] = [];
  let prev: { t: number; inTotal: number; records: number; anomalies: number } | undefined;
  let running: Promise<void> | undefined;

  async function read(): Promise<void> {
    const t = now();
    const [totals, counts, inTotal] = await Promise.all([
      o.redis.hmget(o.totalsKey, 'records', 'anomalies'),
      o.scoreQueue.getJobCounts('waiting', 'active', 'prioritized'),
      counterTotal(o.enqueued),
    ]);
    const records = Number(totals[0] ?? 0);
    const anomalies = Number(totals[1] ?? 0);
    const since = prev?.t ?? t - o.intervalMs;
    const ids = await o.redis.zrangebyscore(o.scoreQueue.keys['completed'] as string, `(${since}`, t, 'LIMIT', 0, MAX_JOBS_PER_SAMPLE);
    const latencies: number[] = [];
    if (ids.length > 0) {
      const pipe = o.redis.pipeline();
      for (const id of ids) pipe.hmget(o.scoreQueue.toKey(id), 'timestamp', 'finishedOn');
      for (const [err, row] of (await pipe.exec()) ?? []) {
        if (err) continue;
        const [added, finished] = (row as [string | null, string | null]).map(Number);
        if (Number.isFinite(added) && Number.isFinite(finished) && (finished as number) >= (added as number)) latencies.push((finished as number) - (added as number));
      }
    }
    latencies.sort((a, b) => a - b);
    if (prev) {
      history.push({
        t,
        interval_ms: t - prev.t,
        events_in: Math.max(0, inTotal - prev.inTotal),
        scored: Math.max(0, records - prev.records),
        anomalies: Math.max(0, anomalies - prev.anomalies),
        queue_waiting: (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0),
        queue_active: counts['active'] ?? 0,
        batches: latencies.length,
        latency_p50_ms: quantile(latencies, 0.5),
        latency_p99_ms: quantile(latencies, 0.99),
      });
    }
    prev = { t, inTotal, records, anomalies };
    while (history.length > 0 && (history[0] as ThroughputSample).t <= t - windowMs) history.shift();
  }

  const tick = (): Promise<void> => {
    running ??= read()
      .catch((err: unknown) => o.onError?.(err as Error))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  void tick(); // the baseline
  const timer = setInterval(() => void tick(), o.intervalMs);
  timer.unref();

  return {
    intervalMs: o.intervalMs,
    windowMs,
    samples: () => history.filter((s) => s.t > now() - windowMs),
    tick,
    stop: () => clearInterval(timer),
  };
}
