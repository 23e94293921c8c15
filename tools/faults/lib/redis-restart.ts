/**
 * Scenario 2 — Redis restart. redis-server with AOF (appendfsync `always` or `everysec`) in its
 * own directory; ingest, workers and the trainer as processes; steady load; mid-load Redis is
 * killed (SIGKILL = crash, SIGTERM = clean shutdown) and started again on the same port and
 * directory after an outage. Then: acked events vs events with verdicts, 503s while Redis was
 * away, time to the first acknowledged request, the first batch scored (its done marker's
 * scoredAt) and a training run completed after Redis came back.
 */
import { randomBytes } from 'node:crypto';
import { keys } from '@logforest/core';
import type { Attempt } from './shipper.ts';
import { drive, Shipper } from './shipper.ts';
import { startDurableRedis } from './procs.ts';
import { linePool, requestFactory, trainingLines } from './requests.ts';
import { activateModel, startStack, type Stack } from './stack.ts';
import { type Check, checksTable, fmt, pollUntil, secs, sleep, table } from './util.ts';
import { connect, verifyAfterLoad, type Ledger, type Outcome } from './verify.ts';

export interface RestartPhase {
  fsync: 'always' | 'everysec';
  signal: 'SIGKILL' | 'SIGTERM';
}

export interface RestartOptions extends RestartPhase {
  /** Send the project's synthetic WildFly log instead of ../shared/data (tests: fresh clone). */
  synthetic?: boolean;
  loadMs: number;
  /** Redis is killed this long after the load started. */
  killAtMs: number;
  /** …and started again this long after it died. */
  outageMs: number;
  ratePerSec: number;
  linesPerRequest: number;
  workers: number;
  /** Start the trainer and time a training run after the restart. @defaultValue true */
  trainer?: boolean;
}

export interface RestartResult extends RestartPhase {
  ledger: Ledger;
  outcome: Outcome;
  loadMs: number;
  /** Acked events per second over the load. */
  ackedPerSec: number;
  outageMs: number;
  /** Answers while Redis was away (from its death until it accepted connections again). */
  duringOutage: { total: number; s503: number; ok: number; other: number; maxMs: number };
  /** From Redis accepting connections again to: the first 2xx, the first batch scored, the training run done. */
  firstAckMs: number | undefined;
  firstScoredMs: number | undefined;
  trainedMs: number | undefined;
  readyAfterMs: number | undefined;
  drainMs: number | undefined;
}

/** Ask for a training run on posted lines as soon as ingest takes it; ms until it completed. */
async function timeTraining(base: string, lines: string[], since: number): Promise<number | undefined> {
  const body = JSON.stringify({ logs: lines });
  const id = await pollUntil(async () => {
    const r = await fetch(`${base}/retrain?activate=false`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(10_000) });
    const j = (await r.json()) as { job_id?: string };
    return r.status === 202 ? j.job_id : undefined;
  }, 60_000, 200);
  if (id === undefined) return undefined;
  const done = await pollUntil(async () => {
    const r = await fetch(`${base}/retrain/${id}`, { signal: AbortSignal.timeout(10_000) });
    const j = (await r.json()) as { state?: string };
    if (j.state === 'failed') throw new Error('training failed');
    return j.state === 'completed' ? Date.now() : undefined;
  }, 120_000, 250);
  return done === undefined ? undefined : done - since;
}

/** Earliest scoredAt (the value of a batch-done marker) at or after `since`. */
async function firstScoredAfter(url: string, prefix: string, since: number): Promise<number | undefined> {
  const redis = connect(url);
  try {
    let best: number | undefined;
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', keys(prefix).batchDone('*'), 'COUNT', 2000);
      cursor = next;
      if (found.length === 0) continue;
      for (const v of await redis.mget(found)) {
        const t = Number(v);
        if (Number.isFinite(t) && t >= since && (best === undefined || t < best)) best = t;
      }
    } while (cursor !== '0');
    return best;
  } finally {
    redis.disconnect();
  }
}

function outageAnswers(attempts: readonly Attempt[], from: number, to: number): RestartResult['duringOutage'] {
  const a = attempts.filter((x) => x.at >= from && x.at < to);
  return {
    total: a.length,
    s503: a.filter((x) => x.status === 503).length,
    ok: a.filter((x) => x.status >= 200 && x.status < 300).length,
    other: a.filter((x) => x.status !== 503 && !(x.status >= 200 && x.status < 300)).length,
    maxMs: Math.max(0, ...a.map((x) => x.ms)),
  };
}

export async function runRedisRestart(o: RestartOptions): Promise<RestartResult> {
  const redis = await startDurableRedis(o.fsync);
  const prefix = `{faults-redis-${randomBytes(3).toString('hex')}}`;
  const pool = linePool({ synthetic: o.synthetic ?? false });
  let stack: Stack | undefined;
  try {
    await activateModel(redis.url, prefix, trainingLines(pool));
    stack = await startStack({ redisUrl: redis.url, prefix, workers: o.workers, trainer: o.trainer ?? true, ingestEnv: { QUEUE_MAX_WAITING: '100000', REDIS_TIMEOUT_MS: '2000' } });
    const base = stack.base;
    const factory = requestFactory(pool, `r${o.fsync}${o.signal}`.toLowerCase(), o.linesPerRequest);
    const shipper = new Shipper({ base, concurrency: 4, bufferMax: 64, retryWindowMs: 300_000, backoffBaseMs: 100, backoffCapMs: 2000 });
    let killedAt = 0;
    let backAt = 0;
    let trained: Promise<number | undefined> = Promise.resolve(undefined);
    let ready: Promise<number | undefined> = Promise.resolve(undefined);
    const chaos = (async () => {
      await sleep(o.killAtMs);
      await redis.kill(o.signal);
      killedAt = Date.now();
      await sleep(o.outageMs);
      await redis.restart();
      backAt = Date.now();
      ready = pollUntil(async () => {
        const r = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) });
        return r.status === 200 ? Date.now() - backAt : undefined;
      }, 60_000, 100);
      if (o.trainer ?? true) trained = timeTraining(base, trainingLines(pool, 2000), backAt);
    })();
    const load = await drive(shipper, { next: () => factory.next(), durationMs: o.loadMs, ratePerSec: o.ratePerSec });
    await chaos;
    await shipper.flush(180_000);
    const { drainedAt, outcome, ledger } = await verifyAfterLoad(redis.url, prefix, shipper.deliveries, 180_000);
    const firstScored = await firstScoredAfter(redis.url, prefix, backAt);
    const firstAck = shipper.attempts.filter((a) => a.at >= backAt && a.status >= 200 && a.status < 300).map((a) => a.at).sort((a, b) => a - b)[0];
    const loadMs = load.stoppedAt - load.startedAt;
    return {
      fsync: o.fsync,
      signal: o.signal,
      ledger,
      outcome,
      loadMs,
      ackedPerSec: (ledger.ackedEvents * 1000) / loadMs,
      outageMs: backAt - killedAt,
      duringOutage: outageAnswers(shipper.attempts, killedAt, backAt),
      firstAckMs: firstAck === undefined ? undefined : firstAck - backAt,
      firstScoredMs: firstScored === undefined ? undefined : firstScored - backAt,
      trainedMs: await trained,
      readyAfterMs: await ready,
      drainMs: drainedAt === undefined ? undefined : Math.max(0, drainedAt - load.stoppedAt),
    };
  } finally {
    await stack?.stop();
    await redis.close();
  }
}

/** Loss allowed for a phase: none with fsync always or a clean shutdown; ≤ `everysecBoundS` of traffic otherwise. */
export function lossAllowed(r: RestartResult, everysecBoundS = 2): number {
  return r.fsync === 'always' || r.signal === 'SIGTERM' ? 0 : Math.ceil(r.ackedPerSec * everysecBoundS);
}

export function restartChecks(r: RestartResult): Check[] {
  const name = `${r.fsync}/${r.signal}`;
  const allowed = lossAllowed(r);
  return [
    {
      what: `${name}: acked events lost ≤ ${allowed === 0 ? '0' : `${fmt(allowed)} (2 s of traffic)`}`,
      ok: r.ledger.lostEvents <= allowed && r.ledger.ackedEvents > 0,
      seen: `${fmt(r.ledger.ackedEvents)} acked, ${fmt(r.ledger.verdictEvents)} with verdicts, ${fmt(r.ledger.lostEvents)} lost`,
    },
    { what: `${name}: ingest answered only 503 while Redis was away`, ok: r.duringOutage.total > 0 && r.duringOutage.s503 === r.duringOutage.total, seen: `${r.duringOutage.s503} of ${r.duringOutage.total}` },
    { what: `${name}: ingest acknowledges again by itself`, ok: r.firstAckMs !== undefined, seen: r.firstAckMs === undefined ? 'never' : `after ${secs(r.firstAckMs)} s` },
    { what: `${name}: workers score again by themselves`, ok: r.firstScoredMs !== undefined, seen: r.firstScoredMs === undefined ? 'never' : `after ${secs(r.firstScoredMs)} s` },
    { what: `${name}: no batch written twice`, ok: r.outcome.duplicates === 0, seen: String(r.outcome.duplicates) },
    { what: `${name}: no job failed, queue drained`, ok: r.outcome.failedJobs === 0 && r.drainMs !== undefined, seen: `${r.outcome.failedJobs} failed, drain ${r.drainMs === undefined ? 'timed out' : `${secs(r.drainMs)} s`}` },
  ];
}

export function restartMarkdown(results: readonly RestartResult[], setup: string): { markdown: string; checks: Check[] } {
  const checks = results.flatMap(restartChecks);
  for (const r of results) {
    if (r.trainedMs === undefined) continue;
    checks.push({ what: `${r.fsync}/${r.signal}: trainer completes a run after the restart`, ok: true, seen: `${secs(r.trainedMs)} s` });
  }
  const rows = results.map((r) => [
    `${r.fsync}`,
    r.signal,
    secs(r.outageMs),
    fmt(r.ledger.ackedEvents),
    fmt(r.ledger.verdictEvents),
    fmt(r.ledger.lostEvents),
    r.ledger.lostEvents === 0 ? '0' : secs((r.ledger.lostEvents / r.ackedPerSec) * 1000),
    `${r.duringOutage.s503}/${r.duringOutage.total}`,
    fmt(r.duringOutage.maxMs),
    secs(r.firstAckMs),
    secs(r.readyAfterMs),
    secs(r.firstScoredMs),
    r.trainedMs === undefined ? '—' : secs(r.trainedMs),
    String(r.ledger.twiceRequests),
    String(r.outcome.duplicates),
    secs(r.drainMs),
  ]);
  const markdown = [
    '### Redis restart mid-load (AOF on, same port and directory)',
    '',
    setup,
    '',
    table(
      ['appendfsync', 'kill', 'outage s', 'acked events', 'with verdicts', 'lost', 'lost as s of traffic', '503 / answers during outage', 'slowest answer during outage ms', 'first 2xx after restart s', '/readyz 200 after s', 'first batch scored after s', 'training run done after s', 'requests delivered twice', 'dup. anomalies', 'drain s'],
      rows,
    ),
    '',
    checksTable(checks),
  ].join('\n');
  return { markdown, checks };
}
