/**
 * The result writer: everything one scored batch changes in Redis — anomalies stream, sample
 * stream, counters, the alert outbox (after dedup and the per-minute cap), the batch-done
 * marker — in ONE Lua script, guarded by the marker. A batch
 * delivered twice (retry after a crash, stalled job redone elsewhere) changes nothing the
 * second time: exactly-once effect under at-least-once delivery.
 */
import { keys as keyNames, type Keys, type LogRecord, type Verdict } from '@logforest/core';
import type { RedisClient } from '../../redis/connect.ts';
import { loadScript, type ScriptArg } from '../../registry/script.ts';
import { alertKey } from '../alerts/alert-key.ts';
import { dedupKeepMs, type OutboxOptions } from '../alerts/outbox.ts';
import { counterDeltas } from '../counters/counters.ts';
import { encodeAnomaly } from '../redis-stream/anomalies.ts';
import { sampleEntries, sampleVerdictEntries, type SampleOptions } from '../sample/sample.ts';

const writeScript = loadScript('./write-batch-10.lua', import.meta.url);
const sampleScript = loadScript('./sample-3.lua', import.meta.url);

/**
 * Marker that a batch's events went to the sample stream (cold start writes the sample before
 * the batch can be scored).
 */
export function batchSampledKey(k: Keys, batchId: string): string {
  return k.batchSampled(batchId);
}

export interface ResultWriterOptions {
  redis: RedisClient;
  /** Key prefix (hash tag). @defaultValue '{logforest}' */
  prefix?: string;
  /** Approximate cap of the anomalies stream (`XADD MAXLEN ~`). @defaultValue 20000 */
  anomalyMaxLen?: number;
  /** Approximate cap of the sample stream (`XADD MAXLEN ~`). @defaultValue 50000 */
  sampleMaxLen?: number;
  /** Which events of a batch go to the sample stream. @defaultValue { rate: 1, maxPerBatch: 2000 } */
  sample?: SampleOptions;
  /**
   * How long the batch markers live, seconds. A redelivery later than this would count again;
   * BullMQ redelivers within minutes, so days are plenty. @defaultValue 604800 (7 days)
   */
  markerTtlSeconds?: number;
  /** Clock for scoredAt. @defaultValue Date.now */
  now?: () => number;
  /** Put each batch's alerts in the outbox (dedup, cap). @defaultValue none: no alerts */
  alerts?: OutboxOptions;
}

export interface ScoredBatch {
  batchId: string;
  /** When ingest accepted the batch, epoch ms. */
  receivedAt: number;
  /** Records as received (before multi-line joining). */
  records: number;
  /** One verdict per event. */
  verdicts: readonly Verdict[];
}

export interface WriteResult {
  /** False when the batch had been written before (duplicate delivery): nothing changed. */
  written: boolean;
  /** Anomalies in the batch (written or not). */
  anomalies: Array<Verdict & { idx: number }>;
  scoredAt: number;
  /** Alerts put in the outbox, and suppressed by dedup / by the per-minute cap (0s when not written). */
  alerts: { queued: number; dedup: number; rate: number };
}

export interface ResultWriter {
  /** Write a scored batch once. */
  write(batch: ScoredBatch): Promise<WriteResult>;
  /**
   * Cold start: append the batch's raw records to the sample stream once, before it can be
   * scored; the later `write` then skips the sample. Answers the number of entries appended.
   */
  writeSampleOnly(batchId: string, records: readonly LogRecord[]): Promise<number>;
  /** Whether the batch's results were written already. */
  isDone(batchId: string): Promise<boolean>;
  /** Length of the sample stream. */
  sampleLength(): Promise<number>;
}

export function createResultWriter(opts: ResultWriterOptions): ResultWriter {
  const { redis } = opts;
  const k = keyNames(opts.prefix);
  const anomalyMaxLen = opts.anomalyMaxLen ?? 20_000;
  const sampleMaxLen = opts.sampleMaxLen ?? 50_000;
  const ttl = opts.markerTtlSeconds ?? 7 * 24 * 3600;
  const now = opts.now ?? Date.now;

  return {
    async write(batch) {
      const scoredAt = now();
      const anomalies: WriteResult['anomalies'] = [];
      const anomalyArgs: string[] = [];
      batch.verdicts.forEach((v, idx) => {
        if (!v.is_anomaly) return;
        anomalies.push({ ...v, idx });
        anomalyArgs.push(encodeAnomaly(v, { batchId: batch.batchId, idx, receivedAt: batch.receivedAt, scoredAt }));
      });
      const sample = sampleVerdictEntries(batch.verdicts, batch.batchId, opts.sample);
      const { counts, totals } = counterDeltas(batch.verdicts, batch.records);
      const al = opts.alerts;
      const alertKeys = al ? anomalies.map(alertKey) : [];
      const header = al ? JSON.stringify({ batchId: batch.batchId, receivedAt: batch.receivedAt, scoredAt, model_version: batch.verdicts[0]?.model_version ?? '' }) : '';
      const args: ScriptArg[] = [
        ttl, anomalyMaxLen, sampleMaxLen,
        anomalyArgs.length, sample.length, counts.length, totals.length,
        String(scoredAt),
        alertKeys.length, al?.dedupWindowMs ?? 0, al?.maxPerMinute ?? 0, al?.maxLen ?? 1, header, al ? dedupKeepMs(al) : 0,
        ...anomalyArgs, ...sample, ...counts.flat(), ...totals.flat(), ...alertKeys,
      ];
      const keys = [
        k.batchDone(batch.batchId), batchSampledKey(k, batch.batchId),
        k.anomalies, k.sample, k.counts, k.totals,
        k.alertOutbox, k.alertDedup, k.alertSeen, k.alertRate,
      ];
      const r = await writeScript.run(redis, keys, args);
      const [, queued = 0, dedup = 0, rate = 0] = Array.isArray(r) ? (r as number[]).map(Number) : [];
      return { written: Array.isArray(r), anomalies, scoredAt, alerts: { queued, dedup, rate } };
    },
    async writeSampleOnly(batchId, records) {
      const entries = sampleEntries(records, batchId, opts.sample);
      const r = await sampleScript.run(
        redis,
        [k.batchDone(batchId), batchSampledKey(k, batchId), k.sample],
        [ttl, sampleMaxLen, ...entries],
      );
      return Number(r);
    },
    async isDone(batchId) {
      return (await redis.exists(k.batchDone(batchId))) === 1;
    },
    sampleLength() {
      return redis.xlen(k.sample);
    },
  };
}
