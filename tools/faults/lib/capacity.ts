/**
 * Capacity of a running stack, measured with a short ramp: closed-loop clients at increasing
 * concurrency that retry a 503 within 20–100 ms (ignoring Retry-After, so the queue never runs
 * dry), the workers' scoring rate read from the totals hash (records counted per second) over
 * each step. Also the ingest
 * latency of single requests on an idle stack (the "normal" latency recovery is judged against).
 */
import { keys } from '@logforest/core';
import type { Redis } from 'ioredis';
import type { RequestFactory } from './requests.ts';
import { drive, Shipper } from './shipper.ts';
import { pct, sleep } from './util.ts';
import { waitDrained } from './verify.ts';

export interface RampStep {
  concurrency: number;
  /** Records scored per second over the step (the queue is bounded, so backlog adds little). */
  scoredPerSec: number;
  /** Records acknowledged per second over the step. */
  ackedPerSec: number;
}

export interface Capacity {
  steps: RampStep[];
  /** Best scoring rate of the ramp, records/s. */
  scoredPerSec: number;
  /** Ingest latency on an idle stack, ms. */
  idleP50: number;
  idleP99: number;
  shipper: Shipper;
}

async function records(redis: Redis, prefix: string): Promise<number> {
  return Number((await redis.hget(keys(prefix).totals, 'records')) ?? 0);
}

/**
 * Small requests (use a factory of a few dozen lines) one after the other, 100 ms apart, on an
 * idle stack: latency in ms of the 2xx answers.
 */
export async function idleLatency(base: string, factory: RequestFactory, n: number): Promise<{ p50: number; p99: number; shipper: Shipper }> {
  const s = new Shipper({ base, concurrency: 1, bufferMax: 1, retryWindowMs: 60_000 });
  for (let i = 0; i < n; i++) {
    await s.submit(factory.next());
    await s.flush(30_000);
    await sleep(100);
  }
  const ms = s.attempts.filter((a) => a.status >= 200 && a.status < 300).map((a) => a.ms).sort((a, b) => a - b);
  return { p50: pct(ms, 0.5), p99: pct(ms, 0.99), shipper: s };
}

export async function measureCapacity(o: {
  base: string;
  redis: Redis;
  prefix: string;
  factory: RequestFactory;
  /** Small requests for the idle latency. */
  probes: RequestFactory;
  concurrencies: number[];
  stepMs: number;
}): Promise<Capacity> {
  const idle = await idleLatency(o.base, o.probes, 20);
  const steps: RampStep[] = [];
  const all = new Shipper({ base: o.base, concurrency: 1, bufferMax: 1, retryWindowMs: 120_000 });
  for (const concurrency of o.concurrencies) {
    const s = new Shipper({ base: o.base, concurrency, bufferMax: concurrency, retryWindowMs: 120_000, backoffBaseMs: 20, backoffCapMs: 100, honourRetryAfter: false });
    const start = { at: Date.now(), n: await records(o.redis, o.prefix) };
    const run = await drive(s, { next: () => o.factory.next(), durationMs: o.stepMs });
    const end = { at: Date.now(), n: await records(o.redis, o.prefix) };
    await s.flush(60_000);
    const acked = s.deliveries.filter((d) => d.outcome === 'acked').reduce((sum, d) => sum + d.accepted, 0);
    steps.push({
      concurrency,
      scoredPerSec: ((end.n - start.n) * 1000) / Math.max(1, end.at - start.at),
      ackedPerSec: (acked * 1000) / Math.max(1, run.stoppedAt - run.startedAt),
    });
    all.deliveries.push(...s.deliveries);
    all.attempts.push(...s.attempts);
  }
  all.deliveries.push(...idle.shipper.deliveries);
  all.attempts.push(...idle.shipper.attempts);
  await waitDrained(o.redis, o.prefix, 120_000);
  return {
    steps,
    scoredPerSec: Math.max(...steps.map((s) => s.scoredPerSec)),
    idleP50: idle.p50,
    idleP99: idle.p99,
    shipper: all,
  };
}
