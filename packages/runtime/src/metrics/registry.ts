/**
 * Prometheus registry factory. Each service gets its own registry (never prom-client's global
 * one), so tests can build many apps in one process without "metric already registered".
 */
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Prefix of every logforest metric, prom-client's default ones included. */
export const METRIC_PREFIX = 'logforest_';

export interface MetricsRegistryOptions {
  /** Service name, added as the `service` label to every metric. */
  service: string;
  /** Collect Node process metrics (CPU, RSS, event-loop lag, GC). @defaultValue true */
  processMetrics?: boolean;
}

/** A fresh registry labelled with the service name. */
export function createMetricsRegistry(options: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
    // prom-client also exports `nodejs_active_{handles,requests,resources}_total` as gauges: a
    // `_total` suffix promises a counter (rate() of them is meaningless). The same numbers stay
    // available per type in `nodejs_active_handles{type}` etc. (sum() them), so drop the misnamed.
    for (const metric of registry.getMetricsAsArray()) {
      const name = (metric as unknown as { name: string }).name;
      if (metric instanceof Gauge && name.endsWith('_total')) registry.removeSingleMetric(name);
    }
  }
  return registry;
}

/** What the queue-depth gauge reads (a BullMQ `Queue` satisfies it). */
export interface CountableQueue {
  readonly name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}

/** Job states reported by {@link registerQueueDepth}. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/**
 * `logforest_queue_jobs{queue,state}`: jobs per BullMQ state, read from Redis at scrape time.
 * When Redis does not answer the gauge keeps its last values (a scrape never fails because of it).
 */
export function registerQueueDepth(registry: Registry, queues: readonly CountableQueue[]): Gauge<'queue' | 'state'> {
  return new Gauge({
    name: 'logforest_queue_jobs',
    help: 'Jobs per BullMQ queue and state, read at scrape time.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      await Promise.all(
        queues.map(async (q) => {
          try {
            const counts = await q.getJobCounts(...QUEUE_STATES);
            for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
          } catch {
            // Redis unavailable: keep the previous sample; readiness reports the outage.
          }
        }),
      );
    },
  });
}
