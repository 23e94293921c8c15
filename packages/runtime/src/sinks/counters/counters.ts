/**
 * Counters: a hash of events / anomalies per `host|source`, and a hash of totals
 * (`batches`, `records` as received, `events` after multi-line joining, `anomalies`).
 * Incremented inside the batch writer's script, so a retried batch never counts twice.
 */
import type { RedisClient } from '../../redis/connect.ts';
import type { Verdict } from '@logforest/core';

/** Stands in for a missing host or source in counter fields. */
export const UNKNOWN = '-';

export type CounterKind = 'events' | 'anomalies';

/** Field of the per-host/source hash: `<host>|<source>|<kind>`. */
export function countField(host: string | undefined, source: string | undefined, kind: CounterKind): string {
  return `${host || UNKNOWN}|${source || UNKNOWN}|${kind}`;
}

export interface CounterDeltas {
  /** `[field, increment]` for the per-host/source hash. */
  counts: Array<[string, number]>;
  /** `[field, increment]` for the totals hash. */
  totals: Array<[string, number]>;
}

/** What one scored batch adds to the counters. */
export function counterDeltas(verdicts: readonly Verdict[], records: number): CounterDeltas {
  // Per host, per source: [events, anomalies] (no field string per verdict; a batch has few pairs).
  const pairs = new Map<string, Map<string, [number, number]>>();
  let anomalies = 0;
  for (const v of verdicts) {
    const host = v.host || UNKNOWN;
    const source = v.source || UNKNOWN;
    let bySource = pairs.get(host);
    if (bySource === undefined) pairs.set(host, (bySource = new Map()));
    let c = bySource.get(source);
    if (c === undefined) bySource.set(source, (c = [0, 0]));
    c[0]++;
    if (v.is_anomaly) {
      anomalies++;
      c[1]++;
    }
  }
  const counts = new Map<string, number>();
  for (const [host, bySource] of pairs) {
    for (const [source, [events, anoms]] of bySource) {
      counts.set(countField(host, source, 'events'), events);
      if (anoms > 0) counts.set(countField(host, source, 'anomalies'), anoms);
    }
  }
  return {
    counts: [...counts],
    totals: [
      ['batches', 1],
      ['records', records],
      ['events', verdicts.length],
      ['anomalies', anomalies],
    ],
  };
}

export interface Counters {
  totals: { batches: number; records: number; events: number; anomalies: number };
  byHostSource: Array<{ host: string; source: string; events: number; anomalies: number }>;
}

export async function readCounters(redis: RedisClient, countsKey: string, totalsKey: string): Promise<Counters> {
  const [counts, totals] = await Promise.all([redis.hgetall(countsKey), redis.hgetall(totalsKey)]);
  const rows = new Map<string, { host: string; source: string; events: number; anomalies: number }>();
  for (const [field, value] of Object.entries(counts)) {
    const first = field.indexOf('|');
    const last = field.lastIndexOf('|');
    if (first < 0 || last <= first) continue;
    const host = field.slice(0, first);
    const source = field.slice(first + 1, last);
    const kind = field.slice(last + 1);
    if (kind !== 'events' && kind !== 'anomalies') continue;
    const id = `${host}|${source}`;
    const row = rows.get(id) ?? { host, source, events: 0, anomalies: 0 };
    row[kind] = Number(value);
    rows.set(id, row);
  }
  const n = (f: string): number => Number(totals[f] ?? 0);
  return {
    totals: { batches: n('batches'), records: n('records'), events: n('events'), anomalies: n('anomalies') },
    byHostSource: [...rows.values()].sort((a, b) => b.events - a.events),
  };
}
