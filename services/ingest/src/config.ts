/**
 * Ingest configuration: environment variables, validated at start-up (see `loadConfig`).
 * Each variable is documented here, where its schema declares it.
 */
import { z } from 'zod';
import { MAX_EVENTS_PER_JOB, SCORE_JOB_FORMATS } from '@logforest/core';
import { bytesVar, commonEnv, enumVar, intVar, listVar, stringVar } from '@logforest/runtime';
import { checkForwardEnv, forwardEnv } from './forward/config.ts';

const MiB = 1024 * 1024;

export const ingestEnvSchema = z
  .object({
    ...commonEnv,
    /** TCP port the HTTP server listens on. @defaultValue 5000 */
    PORT: intVar(5000, { min: 0, max: 65535 }),
    /** Interface to bind. @defaultValue `0.0.0.0` */
    HOST: stringVar('0.0.0.0'),
    /**
     * Comma-separated tokens accepted on ingest routes (`/ingest`, the Elasticsearch surface,
     * `/analyze`, reads). Sent as Bearer, Basic password, `ApiKey` or `X-Api-Key`.
     * When neither this nor ADMIN_TOKEN is set, every route is open (a warning is logged).
     * @defaultValue none
     */
    INGEST_TOKENS: listVar(),
    /**
     * Token for admin routes (`/retrain`, model activation); also valid on ingest routes.
     * When INGEST_TOKENS is set but this is not, admin routes refuse every caller.
     * @defaultValue none
     */
    ADMIN_TOKEN: stringVar(undefined),
    /** Largest request body as received (before decompression), in bytes; larger → 413. @defaultValue 16 MiB */
    MAX_BODY_BYTES: bytesVar(16 * MiB),
    /** Largest body after decompression, in bytes (gzip bombs stop here); larger → 413. @defaultValue 128 MiB */
    MAX_DECOMPRESSED_BYTES: bytesVar(128 * MiB),
    /** Events per score job; bigger bodies are split into several jobs. @defaultValue 2000 (the job schema's maximum) */
    BATCH_MAX_EVENTS: intVar(MAX_EVENTS_PER_JOB, { min: 1, max: MAX_EVENTS_PER_JOB }),
    /**
     * Wire format of the score jobs: `v2` (columnar: ~18 % fewer bytes, cheaper for workers to read)
     * or `v1` (one object per record). Workers read both; workers older than v2 read only v1 and
     * fail v2 jobs, so upgrade the workers first (or keep `v1` until they are). @defaultValue `v2`
     */
    SCORE_JOB_FORMAT: enumVar(SCORE_JOB_FORMATS, 'v2'),
    /**
     * The trainer's TRAIN_MIN_EVENTS (set the same value for both): ingest names it in the 503
     * `no_model` answer of `/analyze`, as the number of lines to post to `/retrain`. @defaultValue 1000
     */
    TRAIN_MIN_EVENTS: intVar(1000, { min: 2 }),
    /** Most events one request may carry (any route); more → 413. @defaultValue 1000000 */
    MAX_EVENTS_PER_REQUEST: intVar(1_000_000, { min: 1 }),
    /**
     * Backpressure threshold: when this many score jobs wait in the queue, ingest answers 503
     * (429 on the Elasticsearch surface) with Retry-After instead of adding more.
     * @defaultValue 2000 jobs (up to 4 M events at 2,000 events per job)
     */
    QUEUE_MAX_WAITING: intVar(2000, { min: 1 }),
    /** How long a read of the waiting depth is reused, in ms (saves a Redis round trip per request). @defaultValue 200 */
    QUEUE_DEPTH_CACHE_MS: intVar(200, { min: 0, max: 10_000 }),
    /** Retry-After sent with 503/429 answers, in seconds. @defaultValue 5 */
    RETRY_AFTER_SECONDS: intVar(5, { min: 1, max: 3600 }),
    /** Give up on a Redis call after this many ms and answer 503/429 (Redis stalled). @defaultValue 5000 */
    REDIS_TIMEOUT_MS: intVar(5000, { min: 100, max: 120_000 }),
    /**
     * Replicas that must hold a batch before ingest acknowledges it (Redis `WAIT` after the
     * job-add). 1 with one replica per master: an acknowledged event survives a master's crash
     * and its replica's promotion. 0 = acknowledge once the master has it. @defaultValue 0
     */
    REDIS_WAIT_REPLICAS: intVar(0, { min: 0, max: 16 }),
    /** Longest wait for REDIS_WAIT_REPLICAS, ms; fewer replicas by then → 503 `not_replicated`. @defaultValue 1000 */
    REDIS_WAIT_TIMEOUT_MS: intVar(1000, { min: 1, max: 60_000 }),
    /** Attempts per score job before it is kept as failed. @defaultValue 5 */
    JOB_ATTEMPTS: intVar(5, { min: 1, max: 100 }),
    /** First retry delay of a failed score job, in ms (doubles each attempt). @defaultValue 1000 */
    JOB_BACKOFF_MS: intVar(1000, { min: 0 }),
    /**
     * Completed score jobs kept in Redis (for inspection). Each keeps its payload (~350 KiB for
     * 2,000 JBoss events), so this bounds Redis memory. @defaultValue 100
     */
    KEEP_COMPLETED_JOBS: intVar(100, { min: 0 }),
    /** Failed score jobs kept in Redis (payload included, as above). @defaultValue 1000 */
    KEEP_FAILED_JOBS: intVar(1000, { min: 0 }),
    /**
     * Elasticsearch version reported by `GET /`. A newer Filebeat (from its
     * `User-Agent: Elastic-filebeat/<ver>`) is answered with its own version so its version check passes.
     * @defaultValue `8.17.0`
     */
    ES_VERSION: stringVar('8.17.0', { pattern: /^\d+\.\d+\.\d+$/, rule: 'must be a version like 8.17.0' }),
    /**
     * Path under which the Elasticsearch-compatible API is served, e.g. `/es`
     * (Filebeat `hosts: ["http://ingest:5000/es"]`). Unset: served at the root.
     * @defaultValue none (root)
     */
    ES_PATH_PREFIX: stringVar(undefined, {
      pattern: /^\/$|^(\/[A-Za-z0-9._~-]+)+\/?$/,
      rule: 'must be a path such as /es or /api/elastic (letters, digits, . _ ~ -)',
    }),
    /** Most events one `POST /analyze` scores; more → 413 (use /ingest for bulk). @defaultValue 10000 */
    ANALYZE_MAX_LINES: intVar(10_000, { min: 1, max: 1_000_000 }),
    /**
     * How often ingest samples its throughput counters for `GET /stats/throughput` (the console's
     * Throughput page; one hour of samples is kept in memory), in ms. @defaultValue 10000
     */
    THROUGHPUT_SAMPLE_MS: intVar(10_000, { min: 100, max: 600_000 }),
    /** Grace period for in-flight requests on SIGTERM, in ms. @defaultValue 10000 */
    SHUTDOWN_TIMEOUT_MS: intVar(10_000, { min: 0 }),
    ...forwardEnv,
  })
  .superRefine(checkForwardEnv)
  .transform((c) => ({ ...c, ES_PATH_PREFIX: c.ES_PATH_PREFIX?.replace(/\/+$/, '') || undefined }));

export type IngestConfig = z.output<typeof ingestEnvSchema>;
