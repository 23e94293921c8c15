/**
 * Scenario 3 — overload. Measure the stack's capacity with a short ramp, then offer 3× that for a
 * while through a Fluent-Bit-like client (bounded buffer, capped concurrency, back-off with
 * jitter, Retry-After honoured, retried until acknowledged) against a small QUEUE_MAX_WAITING, so
 * backpressure engages. Sample memory all along; after the load, time the recovery; in the end
 * every event sent must be acknowledged and have its verdicts.
 */
import { randomBytes } from 'node:crypto';
import { type Capacity, idleLatency, measureCapacity } from './capacity.ts';
import { startScratchRedis } from './procs.ts';
import { linePool, requestFactory, trainingLines } from './requests.ts';
import { type Footprint, maxOver, redisFootprint, rssOfGroup, type Sample, startSampler } from './sampler.ts';
import { drive, Shipper } from './shipper.ts';
import { activateModel, startStack } from './stack.ts';
import { pct } from './util.ts';
import { connect, verifyAfterLoad, type Ledger, type Outcome } from './verify.ts';

export interface OverloadOptions {
  /** Send the project's synthetic WildFly log instead of ../shared/data (tests: fresh clone). */
  synthetic?: boolean;
  overloadMs: number;
  /** Offered load as a multiple of the measured capacity. @defaultValue 3 */
  factor?: number;
  rampStepMs: number;
  workers: number;
  linesPerRequest: number;
  /** Ingest's QUEUE_MAX_WAITING (jobs). */
  maxWaiting: number;
  /** Client requests in flight at most. */
  concurrency: number;
  /** Chunks the client buffers before its input pauses. @defaultValue 4 × concurrency */
  bufferMax?: number;
  /** Give a chunk up this long after its first attempt. */
  retryWindowMs: number;
  redisUrl?: string;
  /** Use this capacity (records/s) instead of measuring it. */
  capacity?: number;
}

export interface OverloadResult {
  capacity: Capacity | undefined;
  capacityPerSec: number;
  offeredPerSec: number;
  ackedPerSec: number;
  ledger: Ledger;
  outcome: Outcome;
  /** Answers during the overload window by kind. */
  answers: { total: number; ok: number; s503: number; s429: number; other: number };
  latency: { okP50: number; okP99: number; allP99: number };
  pausedMs: number;
  samples: Sample[];
  startedAt: number;
  stoppedAt: number;
  /** From the load stopping to: the client's backlog all acknowledged; the queue drained. */
  deliveredMs: number;
  drainMs: number | undefined;
  /** Idle ingest latency before and after. */
  idleBefore: { p50: number; p99: number };
  idleAfter: { p50: number; p99: number };
  max: { ingest?: number; worker?: number; redis?: number; waiting?: number };
  /** Redis cost of retained data, projected to the default caps (1,000 completed jobs, 100,000 anomalies, 50,000 sample entries). */
  footprint: Footprint;
}

export async function runOverload(o: OverloadOptions): Promise<OverloadResult> {
  const scratch = o.redisUrl ? undefined : await startScratchRedis();
  const url = o.redisUrl ?? (scratch as { url: string }).url;
  const prefix = `{faults-over-${randomBytes(3).toString('hex')}}`;
  const pool = linePool({ synthetic: o.synthetic ?? false });
  await activateModel(url, prefix, trainingLines(pool));
  const stack = await startStack({
    redisUrl: url,
    prefix,
    workers: o.workers,
    ingestEnv: { QUEUE_MAX_WAITING: String(o.maxWaiting) },
  });
  const redis = connect(url);
  const pids = (): Record<string, number> => {
    const out: Record<string, number> = { ingest: stack.ingest.pid };
    for (const w of stack.workers) out[w.name] = w.pid;
    if (scratch?.pid !== undefined) out['redis-server'] = scratch.pid;
    return out;
  };
  const sampler = startSampler({ redis, prefix, pids, everyMs: 500 });
  try {
    const factory = requestFactory(pool, 'over', o.linesPerRequest);
    const probes = requestFactory(pool, 'probe', 50);
    let capacity: Capacity | undefined;
    let idleBefore: { p50: number; p99: number };
    if (o.capacity === undefined) {
      capacity = await measureCapacity({ base: stack.base, redis, prefix, factory, probes, concurrencies: [2, 4, 8], stepMs: o.rampStepMs });
      idleBefore = { p50: capacity.idleP50, p99: capacity.idleP99 };
    } else {
      idleBefore = await idleLatency(stack.base, probes, 20);
    }
    const capacityPerSec = o.capacity ?? (capacity as Capacity).scoredPerSec;
    const offeredPerSec = capacityPerSec * (o.factor ?? 3);
    const shipper = new Shipper({ base: stack.base, concurrency: o.concurrency, bufferMax: o.bufferMax ?? o.concurrency * 4, retryWindowMs: o.retryWindowMs });
    const load = await drive(shipper, { next: () => factory.next(), durationMs: o.overloadMs, ratePerSec: offeredPerSec / o.linesPerRequest });
    await shipper.flush(o.retryWindowMs + 60_000);
    const deliveredAt = Date.now();
    const { drainedAt, outcome, ledger: overLedger } = await verifyAfterLoad(url, prefix, shipper.deliveries, 300_000);
    const idleAfter = await idleLatency(stack.base, probes, 20);
    await sampler.stop();
    // The ledger covers every request of the run (ramp and idle probes too): all must have verdicts.
    const every = [...(capacity?.shipper.deliveries ?? []), ...shipper.deliveries, ...idleAfter.shipper.deliveries];
    const { ledger } = await verifyAfterLoad(url, prefix, every, 120_000);
    const footprint = await redisFootprint(redis, prefix, { completed: 1000, anomalies: 100_000, sample: 50_000 });
    const during = shipper.attempts.filter((a) => a.at >= load.startedAt && a.at <= load.stoppedAt);
    const okMs = during.filter((a) => a.status >= 200 && a.status < 300).map((a) => a.ms).sort((a, b) => a - b);
    const allMs = during.map((a) => a.ms).sort((a, b) => a - b);
    const s = sampler.samples;
    return {
      capacity,
      capacityPerSec,
      offeredPerSec,
      ackedPerSec: (overLedger.ackedEvents * 1000) / Math.max(1, deliveredAt - load.startedAt),
      ledger,
      outcome,
      answers: {
        total: during.length,
        ok: okMs.length,
        s503: during.filter((a) => a.status === 503).length,
        s429: during.filter((a) => a.status === 429).length,
        other: during.filter((a) => a.status !== 503 && a.status !== 429 && !(a.status >= 200 && a.status < 300)).length,
      },
      latency: { okP50: pct(okMs, 0.5), okP99: pct(okMs, 0.99), allP99: pct(allMs, 0.99) },
      pausedMs: shipper.pausedMs,
      samples: s,
      startedAt: load.startedAt,
      stoppedAt: load.stoppedAt,
      deliveredMs: deliveredAt - load.stoppedAt,
      drainMs: drainedAt === undefined ? undefined : Math.max(0, drainedAt - load.stoppedAt),
      idleBefore,
      idleAfter: { p50: idleAfter.p50, p99: idleAfter.p99 },
      max: {
        ingest: maxOver(s, (x) => x.rss['ingest']),
        worker: maxOver(s, rssOfGroup('worker-')),
        redis: maxOver(s, (x) => x.redisUsed),
        waiting: maxOver(s, (x) => x.waiting),
      },
      footprint,
    };
  } finally {
    await sampler.stop();
    redis.disconnect();
    await stack.stop();
    await scratch?.close();
  }
}
