/**
 * `GET /stats/throughput` — the last hour of throughput samples (see sampler.ts): events in,
 * scored, anomalies, queue depth and the p50/p99 ingest→verdict time, one sample every
 * THROUGHPUT_SAMPLE_MS. The console's Throughput page draws it.
 *
 * Answers `{interval_ms, window_ms, samples: [{t, interval_ms, events_in, scored, anomalies,
 * queue_waiting, queue_active, batches, latency_p50_ms, latency_p99_ms}]}`, oldest first.
 */
import type { RequestHandler } from 'express';
import type { ThroughputSampler } from './sampler.ts';

export function statsRoutes(sampler: ThroughputSampler): { 'stats.throughput': RequestHandler } {
  const throughput: RequestHandler = (_req, res) => {
    res.json({ interval_ms: sampler.intervalMs, window_ms: sampler.windowMs, samples: sampler.samples() });
  };
  return { 'stats.throughput': throughput };
}
