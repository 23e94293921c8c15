/**
 * The whole deployment's flow, read from Redis at scrape time, so that ONE scrape of ingest
 * shows what every worker did: the totals the batch writer's script increments (batches,
 * records, events, anomalies) and the alert outbox's counts (queued, suppressed, delivered,
 * failed, waiting). They are counters: they only grow, and Prometheus' rate()/increase() treat
 * a reset (a flushed Redis) as a counter restart. Every ingest replica reports the same values:
 * aggregate them with max(), not sum().
 *
 * When Redis does not answer, the metrics keep their last values (a scrape never fails).
 */
import { keys as keyNames } from '@logforest/core';
import type { RedisClient } from '../redis/connect.ts';
import { Counter, Gauge, type Registry } from 'prom-client';

/** Totals-hash fields → counter names (all incremented inside Redis scripts). */
export const FLOW_COUNTERS = {
  batches: ['logforest_scored_batches_total', 'Batches scored by all workers (from the Redis totals).'],
  records: ['logforest_scored_records_total', 'Records scored by all workers, as received (before multi-line joining).'],
  events: ['logforest_scored_events_total', 'Events scored by all workers (one verdict each).'],
  anomalies: ['logforest_anomalies_total', 'Events flagged as anomalies by all workers.'],
  alerts_queued: ['logforest_alerts_queued_total', 'Alerts put in the outbox (after dedup and the per-minute cap).'],
  alerts_delivered: ['logforest_alerts_delivered_total', 'Alerts the receiver accepted.'],
  alerts_failed: ['logforest_alerts_failed_total', 'Alerts given up on (refused with a 4xx, or undelivered past ALERT_GIVE_UP_AFTER).'],
} as const;

/** Totals-hash fields of suppressed alerts, by reason. */
export const SUPPRESSED_FIELDS = { dedup: 'alerts_suppressed_dedup', rate: 'alerts_suppressed_rate' } as const;

export interface FlowMetricsOptions {
  redis: Pick<RedisClient, 'hmget' | 'xlen'>;
  /** Key prefix (hash tag). @defaultValue '{logforest}' */
  prefix?: string;
  /** Reuse one Redis read for this long, ms (the metrics of one scrape share it). @defaultValue 1000 */
  cacheMs?: number;
}

type Totals = Record<string, number>;

export function registerFlowMetrics(registry: Registry, opts: FlowMetricsOptions): void {
  const k = keyNames(opts.prefix);
  const cacheMs = opts.cacheMs ?? 1000;
  const fields = [...Object.keys(FLOW_COUNTERS), ...Object.values(SUPPRESSED_FIELDS)];
  let last: { at: number; read: Promise<{ totals: Totals; outbox: number } | undefined> } | undefined;

  const read = (): Promise<{ totals: Totals; outbox: number } | undefined> => {
    const now = Date.now();
    if (last && now - last.at < cacheMs) return last.read;
    const p = Promise.all([opts.redis.hmget(k.totals, ...fields), opts.redis.xlen(k.alertOutbox)]).then(
      ([values, outbox]) => ({ totals: Object.fromEntries(fields.map((f, i) => [f, Number(values[i] ?? 0) || 0])), outbox }),
      () => undefined, // Redis away: keep the previous values
    );
    last = { at: now, read: p };
    return p;
  };

  const registers = [registry];
  for (const [field, [name, help]] of Object.entries(FLOW_COUNTERS)) {
    new Counter({
      name,
      help,
      registers,
      async collect() {
        const r = await read();
        if (!r) return;
        this.reset();
        this.inc(r.totals[field] ?? 0);
      },
    });
  }
  new Counter({
    name: 'logforest_alerts_suppressed_total',
    help: 'Alerts not sent, by reason: dedup (same signature and host within ALERT_DEDUP_WINDOW) or rate (ALERT_MAX_PER_MINUTE).',
    labelNames: ['reason'],
    registers,
    async collect() {
      const r = await read();
      if (!r) return;
      this.reset();
      for (const [reason, field] of Object.entries(SUPPRESSED_FIELDS)) this.inc({ reason }, r.totals[field] ?? 0);
    },
  });
  new Gauge({
    name: 'logforest_alert_outbox_entries',
    help: 'Batches of alerts waiting in the outbox (written, not yet delivered).',
    registers,
    async collect() {
      const r = await read();
      if (r) this.set(r.outbox);
    },
  });
}

/**
 * `logforest_model_active` (1 when a model is in service, else 0) and
 * `logforest_model_info{version}` (1 for the version in service). `version` may read Redis (the
 * trainer asks the registry); when it throws, the last values stay.
 */
export function registerModelGauge(registry: Registry, version: () => string | undefined | Promise<string | undefined>): void {
  const registers = [registry];
  let last: { v: string | undefined } | undefined;
  const read = async (): Promise<{ v: string | undefined } | undefined> => {
    try {
      last = { v: await version() };
    } catch {
      // Redis away: keep the previous sample
    }
    return last;
  };
  new Gauge({
    name: 'logforest_model_active',
    help: '1 when this process has (the trainer: the registry has) an active model, 0 before the first activation.',
    registers,
    async collect() {
      const r = await read();
      if (r) this.set(r.v === undefined ? 0 : 1);
    },
  });
  new Gauge({
    name: 'logforest_model_info',
    help: 'The model version in service (value 1).',
    labelNames: ['version'],
    registers,
    async collect() {
      const r = await read();
      this.reset();
      if (r?.v !== undefined) this.set({ version: r.v }, 1);
    },
  });
}
