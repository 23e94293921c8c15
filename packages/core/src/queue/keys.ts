/**
 * Every Redis key and channel logforest uses, in one place.
 *
 * All keys share one hash-tag prefix (default `{logforest}`) so that every key of one
 * deployment lands in the same Redis Cluster slot: BullMQ's Lua scripts and our MULTI
 * blocks touch several keys at once, which Cluster only allows within one slot.
 */

/** Default key prefix. The braces make it a Redis Cluster hash tag. */
export const DEFAULT_PREFIX = '{logforest}';

/** BullMQ queue names. BullMQ itself builds `<prefix>:<queue>:…` keys with the same prefix. */
export const QUEUES = {
  /** One job per batch of events to score. */
  score: 'score',
  /** Training runs (scheduled, on request, bootstrap). */
  train: 'train',
} as const;

export interface Keys {
  prefix: string;
  /** Capped stream of anomaly verdicts (what GET /anomalies reads). */
  anomalies: string;
  /** Capped stream of sampled recent events the trainer learns from. */
  sample: string;
  /** Hash: counters (events, anomalies) per `host|source`. */
  counts: string;
  /** Hash: global counters (events, anomalies, batches). */
  totals: string;
  /** Marker that a batch's results were written (idempotent at-least-once delivery). */
  batchDone(batchId: string): string;
  /** Marker that a parked (cold-start) batch already fed the sample stream. */
  batchSampled(batchId: string): string;
  /** Model blob (encoded artifact) of one version. */
  model(version: string): string;
  /** Model metadata (JSON) of one version. */
  modelMeta(version: string): string;
  /** Sorted set of kept versions, scored by sequence number. */
  models: string;
  /** Counter giving the next version number. */
  modelSeq: string;
  /** The active version (string such as `v3`). */
  active: string;
  /** Pub/sub channel announcing an activation; message = version. */
  activated: string;
  /** Alert outbox stream: one entry per scored batch with alerts to send (written with its results). */
  alertOutbox: string;
  /** Hash: per alert key (`signature|host`) the end of its dedup window and the suppressed count. */
  alertDedup: string;
  /** Sorted set: alert keys by the time last seen (to prune {@link Keys.alertDedup}). */
  alertSeen: string;
  /** Hash: the current minute and alerts sent in it (ALERT_MAX_PER_MINUTE). */
  alertRate: string;
  /** Capped stream of alerts the receiver refused (4xx) or that expired undelivered. */
  alertDead: string;
}

export function keys(prefix: string = DEFAULT_PREFIX): Keys {
  const p = prefix;
  return {
    prefix: p,
    anomalies: `${p}:anomalies`,
    sample: `${p}:sample`,
    counts: `${p}:counts`,
    totals: `${p}:totals`,
    batchDone: (id) => `${p}:batch:${id}:done`,
    batchSampled: (id) => `${p}:batch:${id}:sampled`,
    model: (v) => `${p}:model:${v}`,
    modelMeta: (v) => `${p}:model:${v}:meta`,
    models: `${p}:models`,
    modelSeq: `${p}:model:seq`,
    active: `${p}:model:active`,
    activated: `${p}:model:activated`,
    alertOutbox: `${p}:alerts:outbox`,
    alertDedup: `${p}:alerts:dedup`,
    alertSeen: `${p}:alerts:seen`,
    alertRate: `${p}:alerts:rate`,
    alertDead: `${p}:alerts:dead`,
  };
}
