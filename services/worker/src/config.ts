/**
 * Worker configuration: environment variables (and `.env`), validated at start-up.
 * Every variable is documented here, with its default.
 */
import { ALERT_FORMATS, commonEnv, durationVar, enumVar, fractionVar, intVar, urlVar } from '@logforest/runtime';
import { z } from 'zod';

export const workerEnvSchema = z.object({
  /** REDIS_URL, LOGFOREST_PREFIX (default `{logforest}`), LOG_LEVEL (default `info`). */
  ...commonEnv,
  /** Score jobs one process works on at once. @defaultValue 2 */
  WORKER_CONCURRENCY: intVar(2, { min: 1, max: 256 }),
  /**
   * Lock a worker holds on a job, renewed every half of it while the job runs; a worker that
   * dies (SIGKILL, OOM, lost host) stops renewing and its job is redone by another. ms.
   * @defaultValue 30000
   */
  WORKER_LOCK_DURATION_MS: intVar(30_000, { min: 1000 }),
  /** How often each worker looks for jobs whose lock expired (stalled), ms. @defaultValue 30000 */
  WORKER_STALLED_INTERVAL_MS: intVar(30_000, { min: 500 }),
  /** Times a job may stall before it is failed instead of redone. @defaultValue 2 */
  WORKER_MAX_STALLED_COUNT: intVar(2, { min: 0, max: 100 }),
  /**
   * Approximate cap of the anomalies stream (`XADD MAXLEN ~`). An entry is ~6 KiB on JBoss
   * events with stack traces, so 20,000 is ~120 MiB of Redis. @defaultValue 20000
   */
  ANOMALY_STREAM_MAXLEN: intVar(20_000, { min: 1 }),
  /** Approximate cap of the sample stream the trainer learns from. @defaultValue 50000 */
  SAMPLE_STREAM_MAXLEN: intVar(50_000, { min: 1 }),
  /** Share of scored events copied to the sample stream, 0…1. @defaultValue 1 */
  SAMPLE_RATE: fractionVar(1),
  /** Most events one batch adds to the sample stream. @defaultValue 2000 */
  SAMPLE_MAX_PER_BATCH: intVar(2000, { min: 0 }),
  /** Lifetime of the per-batch "written" markers that make redelivery harmless, s. @defaultValue 604800 */
  BATCH_MARKER_TTL_S: intVar(7 * 24 * 3600, { min: 60 }),
  /**
   * Where alerts go; unset = no alerts. With ALERT_FORMAT=json any endpoint, with `alertmanager`
   * the Alertmanager base URL (e.g. `http://alertmanager:9093`; `/api/v2/alerts` is added), with
   * `slack` the incoming-webhook URL. May carry a token or `user:password@`: never logged.
   */
  ALERT_WEBHOOK_URL: urlVar('', ['http:', 'https:']).optional(),
  /**
   * Body of the alert POSTs: `json` (one document per batch: `{batchId, receivedAt, scoredAt,
   * model_version, anomalies}`), `alertmanager` (Alertmanager API v2, labels alertname, host,
   * source, signature, severity) or `slack` (incoming-webhook message). @defaultValue `json`
   */
  ALERT_FORMAT: enumVar(ALERT_FORMATS, 'json'),
  /**
   * Alerts of one signature on one host within this window are sent once; the next one sent
   * carries how many were suppressed (`30s`, `5m`, `1h`, or ms; 0 = no dedup). @defaultValue `5m`
   */
  ALERT_DEDUP_WINDOW: durationVar(5 * 60_000),
  /** Most alerts sent per minute, all workers together; the rest are counted as suppressed (0 = no cap). @defaultValue 30 */
  ALERT_MAX_PER_MINUTE: intVar(30, { min: 0 }),
  /** Public base URL of the web console (e.g. `https://logforest.example.com`); alerts link to the anomaly there. Unset = no link. */
  CONSOLE_URL: urlVar('', ['http:', 'https:']).optional(),
  /** Timeout of one alert POST, ms. @defaultValue 2000 */
  ALERT_WEBHOOK_TIMEOUT_MS: intVar(2000, { min: 1 }),
  /** First retry delay of a failed alert POST (network error, 408, 429, 5xx); doubles per attempt. @defaultValue `1s` */
  ALERT_RETRY_BASE: durationVar(1000, { min: 1 }),
  /** Longest delay between two retries of an alert POST. @defaultValue `1m` */
  ALERT_RETRY_MAX: durationVar(60_000, { min: 1 }),
  /** Give up on alerts still undelivered this long after scoring (kept in the dead-letter stream). @defaultValue `24h` */
  ALERT_GIVE_UP_AFTER: durationVar(24 * 3_600_000, { min: 1000 }),
  /**
   * Alerts a worker held this long without a sign of life (it died) are taken over by another
   * worker, or by the same one restarted. Must exceed the longest pause of a worker. @defaultValue `1m`
   */
  ALERT_CLAIM_IDLE: durationVar(60_000, { min: 100 }),
  /** Approximate cap of the alert outbox, in batches of alerts (undelivered beyond it are dropped, oldest first). @defaultValue 100000 */
  ALERT_OUTBOX_MAXLEN: intVar(100_000, { min: 1 }),
  /** Re-read the active model pointer this often even without a pub/sub message, ms. @defaultValue 5000 */
  MODEL_POLL_INTERVAL_MS: intVar(5000, { min: 0 }),
  /** Cold start: sampled events needed before the worker asks for the first (bootstrap) model. @defaultValue 1000 */
  TRAIN_MIN_EVENTS: intVar(1000, { min: 1 }),
  /** Cold start: how long a batch waits (delayed) before it is tried again, ms. @defaultValue 5000 */
  COLD_START_RETRY_MS: intVar(5000, { min: 10 }),
  /**
   * V8's heap growing factor, as percent above the live heap (`--heap-growing-percent`, set at
   * start): the next full GC comes once the heap is this much larger than what survived the last
   * one. Nearly all a worker allocates is per-batch garbage (job JSON, records, verdicts, result
   * strings), which V8's own heuristic lets pile up to several times the live heap: peak RSS
   * ~178 MiB vs ~133 MiB with 50 (v1 features), 135 – 137 MiB with 25 vs 141 – 143 with 50 when
   * the worker runs at 70k – 85k lines/s (`default` v3): at most ~9 % more worker CPU
   * (`pnpm bench:worker-memory`, BENCHMARKS.md).
   * With v2 score jobs a lower value no longer lowers the peak (135 MiB at 25, 15 and 10): what
   * remains is the young generation, which only node's command line sets —
   * `NODE_OPTIONS=--max-semi-space-size=8` takes ~17 MB off the peak for ~10 – 20 % worker CPU.
   * 0 = V8's own heuristic. @defaultValue 25
   */
  WORKER_HEAP_GROWING_PERCENT: intVar(25, { min: 0, max: 1000 }),
  /** Port of the Prometheus `/metrics` endpoint; unset = none. */
  METRICS_PORT: intVar(0, { min: 1, max: 65535 }).optional(),
});

export type WorkerConfig = z.output<typeof workerEnvSchema>;
