/**
 * The named metrics of each service. Names follow Prometheus conventions: `_total` for counters,
 * base units (`_seconds`, `_bytes`) in the name.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

/** Latency buckets in seconds, 0.5 ms … 60 s. */
export const LATENCY_BUCKETS_SECONDS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Why ingest refused events (label `reason` of the rejected counter). */
export type RejectReason = 'bad_request' | 'too_large' | 'unsupported' | 'unauthorized' | 'backpressure' | 'unavailable' | 'invalid_item';

export interface IngestMetrics {
  /** Events decoded from accepted bodies, by surface (`ingest`, `bulk`, `analyze`, `retrain`). */
  eventsReceived: Counter<'surface'>;
  /** Events Redis accepted in score jobs (acknowledged to the client). */
  eventsEnqueued: Counter<'surface'>;
  /** Score jobs (batches) Redis accepted. */
  batchesEnqueued: Counter<'surface'>;
  /** Requests refused, by surface and reason (events inside them are not counted: unknown). */
  requestsRejected: Counter<'surface' | 'reason'>;
  /** Events refused individually (bulk items with an error status). */
  eventsRejected: Counter<'surface' | 'reason'>;
  /** HTTP request duration by route name (from the route table), method and status. */
  requestDuration: Histogram<'route' | 'method' | 'status'>;
  /** Events scored synchronously by POST /analyze. */
  analyzedEvents: Counter;
}

export function ingestMetrics(registry: Registry): IngestMetrics {
  const registers = [registry];
  return {
    eventsReceived: new Counter({ name: 'logforest_ingest_events_received_total', help: 'Events decoded from request bodies.', labelNames: ['surface'], registers }),
    eventsEnqueued: new Counter({ name: 'logforest_ingest_events_enqueued_total', help: 'Events accepted by Redis in score jobs and acknowledged.', labelNames: ['surface'], registers }),
    batchesEnqueued: new Counter({ name: 'logforest_ingest_batches_enqueued_total', help: 'Score jobs accepted by Redis.', labelNames: ['surface'], registers }),
    requestsRejected: new Counter({ name: 'logforest_ingest_requests_rejected_total', help: 'Requests refused, by reason.', labelNames: ['surface', 'reason'], registers }),
    eventsRejected: new Counter({ name: 'logforest_ingest_events_rejected_total', help: 'Individual events refused (bulk items), by reason.', labelNames: ['surface', 'reason'], registers }),
    requestDuration: new Histogram({
      name: 'logforest_http_request_duration_seconds',
      help: 'HTTP request duration by route, method and status.',
      labelNames: ['route', 'method', 'status'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    analyzedEvents: new Counter({ name: 'logforest_analyze_events_total', help: 'Events scored synchronously by /analyze.', registers }),
  };
}

export interface WorkerMetrics {
  /** Score jobs processed, by outcome (`ok`, `duplicate`, `invalid`, `error`). */
  batches: Counter<'outcome'>;
  /** Verdicts produced, by model version. */
  verdicts: Counter<'model_version'>;
  /** Verdicts with is_anomaly, by model version. */
  anomalies: Counter<'model_version'>;
  /** Time to score one batch (parse, features, forest, explain). */
  batchDuration: Histogram;
  /** Ingest acceptance → verdict written, per batch (scoredAt − receivedAt). */
  endToEndLatency: Histogram;
  /** Model hot-swaps, by outcome (`ok`, `refused`). */
  modelSwaps: Counter<'outcome'>;
  /** Alert POSTs, by format and outcome (`ok`, `retry`, `refused`, `expired`). */
  alertPosts: Counter<'format' | 'outcome'>;
  /** Verdict scored → receiver accepted its alert (retries included). */
  alertDelay: Histogram;
}

export function workerMetrics(registry: Registry): WorkerMetrics {
  const registers = [registry];
  return {
    batches: new Counter({ name: 'logforest_worker_batches_total', help: 'Score jobs processed, by outcome.', labelNames: ['outcome'], registers }),
    verdicts: new Counter({ name: 'logforest_worker_verdicts_total', help: 'Verdicts produced.', labelNames: ['model_version'], registers }),
    anomalies: new Counter({ name: 'logforest_worker_anomalies_total', help: 'Verdicts flagged as anomalies.', labelNames: ['model_version'], registers }),
    batchDuration: new Histogram({ name: 'logforest_worker_batch_duration_seconds', help: 'Time to score one batch.', buckets: LATENCY_BUCKETS_SECONDS, registers }),
    endToEndLatency: new Histogram({
      name: 'logforest_worker_end_to_end_latency_seconds',
      help: 'Ingest acceptance to verdict written, per batch.',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    modelSwaps: new Counter({ name: 'logforest_worker_model_swaps_total', help: 'Model hot-swaps, by outcome.', labelNames: ['outcome'], registers }),
    alertPosts: new Counter({
      name: 'logforest_worker_alert_posts_total',
      help: 'Alert POSTs by format and outcome (ok, retry = failed and retried later, refused = 4xx, expired = given up).',
      labelNames: ['format', 'outcome'],
      registers,
    }),
    alertDelay: new Histogram({
      name: 'logforest_worker_alert_delay_seconds',
      help: 'Batch scored to its alert accepted by the receiver (retries included).',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    }),
  };
}

export interface TrainerMetrics {
  /** Training runs, by trigger and outcome (`activated`, `stored`, `rejected`, `failed`). */
  runs: Counter<'trigger' | 'outcome'>;
  /** Duration of one training run (sample read, fit, validate, store). */
  runDuration: Histogram<'trigger'>;
}

export function trainerMetrics(registry: Registry): TrainerMetrics {
  const registers = [registry];
  return {
    runs: new Counter({ name: 'logforest_trainer_runs_total', help: 'Training runs, by trigger and outcome.', labelNames: ['trigger', 'outcome'], registers }),
    runDuration: new Histogram({
      name: 'logforest_trainer_run_duration_seconds',
      help: 'Duration of one training run.',
      labelNames: ['trigger'],
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      registers,
    }),
  };
}
