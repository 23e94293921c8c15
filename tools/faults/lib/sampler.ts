/**
 * Resource sampling during a scenario: RSS of processes (from /proc/<pid>/status VmRSS), Redis
 * `used_memory` (INFO memory) and the score queue's waiting depth, every `everyMs`.
 */
import type { Redis } from 'ioredis';
import { QUEUES } from '@logforest/core';
import { rssOf } from './procs.ts';

export interface Sample {
  at: number;
  /** RSS in bytes per process name (absent when the process was gone). */
  rss: Record<string, number>;
  redisUsed?: number;
  waiting?: number;
}

export interface Sampler {
  samples: Sample[];
  stop(): Promise<Sample[]>;
}

export function startSampler(o: { redis: Redis; prefix: string; pids: () => Record<string, number>; everyMs: number }): Sampler {
  const samples: Sample[] = [];
  let busy = false;
  const tick = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    const s: Sample = { at: Date.now(), rss: {} };
    for (const [name, pid] of Object.entries(o.pids())) {
      const r = rssOf(pid);
      if (r !== undefined) s.rss[name] = r;
    }
    try {
      const info = await o.redis.info('memory');
      const m = /used_memory:(\d+)/.exec(info);
      if (m) s.redisUsed = Number(m[1]);
      s.waiting = await o.redis.llen(`${o.prefix}:${QUEUES.score}:wait`);
    } catch {
      // Redis away: RSS only
    }
    samples.push(s);
    busy = false;
  };
  const timer = setInterval(() => void tick(), o.everyMs);
  void tick();
  return {
    samples,
    async stop() {
      clearInterval(timer);
      await tick();
      return samples;
    },
  };
}

/** Largest value of `pick` over samples in [from, to). */
export function maxOver(samples: readonly Sample[], pick: (s: Sample) => number | undefined, from = 0, to = Number.POSITIVE_INFINITY): number | undefined {
  let best: number | undefined;
  for (const s of samples) {
    if (s.at < from || s.at >= to) continue;
    const v = pick(s);
    if (v !== undefined && (best === undefined || v > best)) best = v;
  }
  return best;
}

/** Largest RSS among processes whose name starts with `prefix`. */
export const rssOfGroup = (prefix: string) => (s: Sample): number | undefined => {
  let best: number | undefined;
  for (const [name, v] of Object.entries(s.rss)) if (name.startsWith(prefix) && (best === undefined || v > best)) best = v;
  return best;
};

/** What the retained data costs in Redis, measured per item, and projected to the configured caps. */
export interface Footprint {
  /** MEMORY USAGE of one completed score job (its payload is kept with it), bytes. */
  perCompletedJob: number;
  perAnomaly: number;
  perSampleEntry: number;
  completedJobs: number;
  anomalies: number;
  sampleEntries: number;
  /** keep × per-job + anomaly cap × per-anomaly + sample cap × per-entry, bytes. */
  atCaps: number;
}

export async function redisFootprint(redis: Redis, prefix: string, caps: { completed: number; anomalies: number; sample: number }): Promise<Footprint> {
  const q = `${prefix}:${QUEUES.score}`;
  // The oldest completed jobs kept: the newest are the small idle probes sent last.
  const ids = await redis.zrange(`${q}:completed`, 0, 19);
  let jobBytes = 0;
  for (const id of ids) jobBytes += Number(await redis.memory('USAGE', `${q}:${id}`, 'SAMPLES', '0')) || 0;
  const per = async (key: string): Promise<[number, number]> => {
    const n = await redis.xlen(key);
    const bytes = Number(await redis.memory('USAGE', key, 'SAMPLES', '0')) || 0;
    return [n, n > 0 ? bytes / n : 0];
  };
  const [anomalies, perAnomaly] = await per(`${prefix}:anomalies`);
  const [sampleEntries, perSampleEntry] = await per(`${prefix}:sample`);
  const perCompletedJob = ids.length > 0 ? jobBytes / ids.length : 0;
  return {
    perCompletedJob,
    perAnomaly,
    perSampleEntry,
    completedJobs: await redis.zcard(`${q}:completed`),
    anomalies,
    sampleEntries,
    atCaps: caps.completed * perCompletedJob + caps.anomalies * perAnomaly + caps.sample * perSampleEntry,
  };
}
