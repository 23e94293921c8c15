/**
 * What reached Redis, read back after a scenario and set against what ingest acknowledged:
 * verdicts per request (the per-source counters: every request has its own tag), the totals
 * hash, batch-done markers, duplicates in the anomalies stream (entries sharing batchId+idx), and
 * the score queue's job counts (drained = nothing waiting, active or delayed).
 */
import { keys, QUEUES } from '@logforest/core';
import { Redis } from 'ioredis';
import type { Delivery } from './shipper.ts';
import { pollUntil, sleep } from './util.ts';

export interface Outcome {
  /** Verdicts counted per source (= request tag). */
  perTag: Map<string, number>;
  totals: { batches: number; records: number; events: number; anomalies: number };
  anomalies: number;
  /** Anomaly entries whose batchId+idx appeared before (a batch written twice). */
  duplicates: number;
  doneMarkers: number;
  failedJobs: number;
}

export function connect(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/**
 * Job counts of the score queue, read from BullMQ's state keys (`<prefix>:score:wait` and
 * `:active`/`:paused` are lists, the others sorted sets) — the root package does not depend on
 * bullmq, and these are the keys BullMQ 5's own getJobCounts reads.
 */
export async function jobCounts(redis: Redis, prefix: string): Promise<Record<string, number>> {
  const q = `${prefix}:${QUEUES.score}:`;
  const [wait, active, paused, delayed, prioritized, failed, completed] = await Promise.all([
    redis.llen(`${q}wait`),
    redis.llen(`${q}active`),
    redis.llen(`${q}paused`),
    redis.zcard(`${q}delayed`),
    redis.zcard(`${q}prioritized`),
    redis.zcard(`${q}failed`),
    redis.zcard(`${q}completed`),
  ]);
  return { waiting: wait, active, paused, delayed, prioritized, failed, completed };
}

/** Jobs not finished yet (waiting, active, delayed, prioritized, paused). */
export async function unfinished(redis: Redis, prefix: string): Promise<number> {
  const c = await jobCounts(redis, prefix);
  return (c['waiting'] ?? 0) + (c['active'] ?? 0) + (c['delayed'] ?? 0) + (c['prioritized'] ?? 0) + (c['paused'] ?? 0);
}

/** Wait until the score queue has held nothing unfinished for 300 ms; when it went idle (epoch ms), undefined on timeout. */
export async function waitDrained(redis: Redis, prefix: string, timeoutMs: number): Promise<number | undefined> {
  let idleSince: number | undefined;
  const ok = await pollUntil(
    async () => {
      const n = await unfinished(redis, prefix);
      if (n > 0) {
        idleSince = undefined;
        return undefined;
      }
      idleSince ??= Date.now();
      return Date.now() - idleSince >= 300 ? true : undefined;
    },
    timeoutMs,
    150,
  );
  return ok ? idleSince : undefined;
}

export async function readOutcome(redis: Redis, prefix: string): Promise<Outcome> {
  const k = keys(prefix);
  const perTag = new Map<string, number>();
  for (const [field, value] of Object.entries(await redis.hgetall(k.counts))) {
    if (!field.endsWith('|events')) continue;
    const parts = field.split('|');
    const source = parts[parts.length - 2] ?? '-';
    perTag.set(source, (perTag.get(source) ?? 0) + Number(value));
  }
  const t = await redis.hgetall(k.totals);
  const n = (f: string): number => Number(t[f] ?? 0);
  const seen = new Set<string>();
  let anomalies = 0;
  let duplicates = 0;
  let from = '-';
  for (;;) {
    const rows = await redis.xrange(k.anomalies, from, '+', 'COUNT', 5000);
    for (const [, fields] of rows) {
      anomalies++;
      const i = fields.indexOf('v');
      const doc = JSON.parse(fields[i + 1] ?? '{}') as { batchId?: string; idx?: number };
      const id = `${doc.batchId}#${doc.idx}`;
      if (seen.has(id)) duplicates++;
      else seen.add(id);
    }
    if (rows.length < 5000) break;
    from = `(${rows[rows.length - 1]?.[0]}`;
  }
  let doneMarkers = 0;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:batch:*:done`, 'COUNT', 2000);
    cursor = next;
    doneMarkers += found.length;
  } while (cursor !== '0');
  const counts = await jobCounts(redis, prefix);
  return {
    perTag,
    totals: { batches: n('batches'), records: n('records'), events: n('events'), anomalies: n('anomalies') },
    anomalies,
    duplicates,
    doneMarkers,
    failedJobs: counts['failed'] ?? 0,
  };
}

export interface Ledger {
  requests: number;
  /** Records in every request handed to the client. */
  sentEvents: number;
  ackedRequests: number;
  /** Σ `accepted` of the 2xx replies. */
  ackedEvents: number;
  /** Acked events whose request has all its verdicts. */
  verdictEvents: number;
  lostEvents: number;
  lostRequests: number;
  /** Acked requests scored more than once (an ambiguous failure retried: the events arrived twice). */
  twiceRequests: number;
  /** Requests never acknowledged (given up / rejected) that were scored anyway. */
  unackedScored: number;
  gaveUp: number;
  rejected: number;
  pending: number;
  /** Acked replies whose `accepted` differs from the records sent. */
  acceptedMismatch: number;
}

export function settle(deliveries: readonly Delivery[], out: Outcome): Ledger {
  const l: Ledger = {
    requests: deliveries.length, sentEvents: 0, ackedRequests: 0, ackedEvents: 0, verdictEvents: 0, lostEvents: 0, lostRequests: 0,
    twiceRequests: 0, unackedScored: 0, gaveUp: 0, rejected: 0, pending: 0, acceptedMismatch: 0,
  };
  for (const d of deliveries) {
    const got = out.perTag.get(d.req.tag) ?? 0;
    l.sentEvents += d.req.records;
    if (d.outcome !== 'acked') {
      if (d.outcome === 'gave_up') l.gaveUp++;
      else if (d.outcome === 'rejected') l.rejected++;
      else l.pending++;
      if (got > 0) l.unackedScored++;
      continue;
    }
    l.ackedRequests++;
    l.ackedEvents += d.accepted;
    if (d.accepted !== d.req.records) l.acceptedMismatch++;
    if (got >= d.req.events) l.verdictEvents += d.accepted;
    else {
      l.lostRequests++;
      l.lostEvents += d.accepted;
    }
    if (got > d.req.events) l.twiceRequests++;
  }
  return l;
}

/** Drain, then read and settle. `drainedAt` (epoch ms) undefined = the queue did not drain in time. */
export async function verifyAfterLoad(
  url: string,
  prefix: string,
  deliveries: readonly Delivery[],
  timeoutMs: number,
): Promise<{ drainedAt: number | undefined; outcome: Outcome; ledger: Ledger }> {
  const redis = connect(url);
  try {
    const drainedAt = await waitDrained(redis, prefix, timeoutMs);
    await sleep(200);
    const outcome = await readOutcome(redis, prefix);
    return { drainedAt, outcome, ledger: settle(deliveries, outcome) };
  } finally {
    redis.disconnect();
  }
}
