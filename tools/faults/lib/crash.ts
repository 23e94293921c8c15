/**
 * Scenario 1 — worker crashes. redis-server, ingest and N workers as processes; steady NDJSON load
 * while a random worker is SIGKILLed every few seconds and a replacement started. After the load,
 * wait for the queue to drain and check: every acknowledged event has its verdicts, no batch was
 * written twice (anomaly stream grouped by batchId+idx), no job failed.
 */
import { randomBytes } from 'node:crypto';
import { alive, killHard, startScratchRedis } from './procs.ts';
import { linePool, requestFactory, trainingLines } from './requests.ts';
import { drive, Shipper } from './shipper.ts';
import { activateModel, startStack } from './stack.ts';
import { type Check, checksTable, fmt, pollUntil, secs, sleep, table } from './util.ts';
import { connect, jobCounts, verifyAfterLoad, type Ledger, type Outcome } from './verify.ts';

export interface CrashOptions {
  /** Send the project's synthetic WildFly log instead of ../shared/data (tests: fresh clone). */
  synthetic?: boolean;
  durationMs: number;
  workers: number;
  /** A worker is killed every `killEveryMs[0]`…`killEveryMs[1]` ms (uniform). */
  killEveryMs: [number, number];
  /** Stop killing after this many. @defaultValue unlimited */
  maxKills?: number;
  linesPerRequest: number;
  /** Requests per second offered. */
  ratePerSec: number;
  concurrency?: number;
  /** Redis to use (a scratch redis-server is started when absent). */
  redisUrl?: string;
  drainTimeoutMs?: number;
}

export interface CrashResult {
  ledger: Ledger;
  outcome: Outcome;
  kills: number;
  stalledRedone: number;
  redeliveriesAbsorbed: number;
  drainMs: number | undefined;
  refused: number;
  attempts: number;
  loadMs: number;
  checks: Check[];
  markdown: string;
}

async function unfinishedActive(redis: ReturnType<typeof connect>, prefix: string): Promise<number> {
  return (await jobCounts(redis, prefix))['active'] ?? 0;
}

export async function runCrash(o: CrashOptions): Promise<CrashResult> {
  const scratch = o.redisUrl ? undefined : await startScratchRedis();
  const url = o.redisUrl ?? (scratch as { url: string }).url;
  const prefix = `{faults-crash-${randomBytes(3).toString('hex')}}`;
  const pool = linePool({ synthetic: o.synthetic ?? false });
  await activateModel(url, prefix, trainingLines(pool));
  const stack = await startStack({
    redisUrl: url,
    prefix,
    workers: o.workers,
    workerEnv: { ANOMALY_STREAM_MAXLEN: '100000000' },
    ingestEnv: { QUEUE_MAX_WAITING: '100000' },
  });
  const probe = connect(url);
  try {
    const factory = requestFactory(pool, 'crash', o.linesPerRequest);
    const shipper = new Shipper({ base: stack.base, concurrency: o.concurrency ?? 4, bufferMax: 64, retryWindowMs: 300_000 });
    let loading = true;
    let kills = 0;
    const killer = (async () => {
      while (loading && (o.maxKills === undefined || kills < o.maxKills)) {
        const [lo, hi] = o.killEveryMs;
        await sleep(lo + Math.random() * (hi - lo));
        if (!loading) break;
        // Kill a worker that is up and (with luck) holding a batch: wait until a job is active.
        await pollUntil(async () => ((await unfinishedActive(probe, prefix)) > 0 ? true : undefined), 2000, 20);
        const victims = stack.workers.filter((w) => alive(w) && w.output().includes('worker started'));
        const victim = victims[Math.floor(Math.random() * victims.length)];
        if (!victim) continue;
        await killHard(victim);
        stack.drop(victim);
        kills++;
        stack.addWorker();
      }
    })();
    const load = await drive(shipper, { next: () => factory.next(), durationMs: o.durationMs, ratePerSec: o.ratePerSec });
    loading = false;
    await killer;
    await shipper.flush(120_000);
    const { drainedAt, outcome, ledger } = await verifyAfterLoad(url, prefix, shipper.deliveries, o.drainTimeoutMs ?? 180_000);
    const drainMs = drainedAt === undefined ? undefined : Math.max(0, drainedAt - load.stoppedAt);
    const stalledRedone = stack.workerLogCount('score job stalled');
    const redeliveriesAbsorbed = stack.workerLogCount('redelivery ignored');
    const refused = shipper.attempts.filter((a) => a.status !== 0 && (a.status < 200 || a.status >= 300)).length;
    const checks: Check[] = [
      { what: 'acknowledged events == events with verdicts', ok: ledger.lostEvents === 0 && ledger.ackedEvents > 0, seen: `${fmt(ledger.ackedEvents)} acked, ${fmt(ledger.verdictEvents)} with verdicts, ${fmt(ledger.lostEvents)} lost` },
      { what: 'no batch written twice (anomalies by batchId+idx)', ok: outcome.duplicates === 0, seen: `${outcome.duplicates} duplicates in ${fmt(outcome.anomalies)} entries` },
      { what: 'no acked request counted twice', ok: ledger.twiceRequests === 0, seen: String(ledger.twiceRequests) },
      { what: 'no score job failed', ok: outcome.failedJobs === 0, seen: String(outcome.failedJobs) },
      { what: 'every request acknowledged (none given up)', ok: ledger.gaveUp + ledger.rejected + ledger.pending === 0, seen: `${ledger.gaveUp} given up, ${ledger.rejected} rejected` },
      { what: 'queue drained', ok: drainMs !== undefined, seen: drainMs === undefined ? 'timed out' : `${secs(drainMs)} s` },
      { what: 'workers were killed', ok: kills > 0, seen: String(kills) },
    ];
    const markdown = [
      `### Worker crashes: SIGKILL a random worker every ${secs(o.killEveryMs[0])}–${secs(o.killEveryMs[1])} s`,
      '',
      `${o.workers} workers (WORKER_CONCURRENCY 2, lock 2 s, stalled check 1 s), one ingest, load ${fmt(o.ratePerSec, 1)} requests/s × ${o.linesPerRequest} lines (NDJSON) for ${secs(load.stoppedAt - load.startedAt)} s; lines: ${pool.origin}.`,
      '',
      table(
        ['figure', 'value'],
        [
          ['events acknowledged by ingest (Σ `accepted` of 2xx)', fmt(ledger.ackedEvents)],
          ['events with verdicts (requests whose verdicts are all counted)', fmt(ledger.verdictEvents)],
          ['records counted by workers (`totals.records`)', fmt(outcome.totals.records)],
          ['acked events lost', fmt(ledger.lostEvents)],
          ['workers SIGKILLed (each replaced)', fmt(kills)],
          ['stalled jobs redone (workers\' `stalled` events)', fmt(stalledRedone)],
          ['redeliveries absorbed by the batch marker', fmt(redeliveriesAbsorbed)],
          ['anomaly entries / duplicates (batchId+idx)', `${fmt(outcome.anomalies)} / ${outcome.duplicates}`],
          ['batches counted / batch-done markers', `${fmt(outcome.totals.batches)} / ${fmt(outcome.doneMarkers)}`],
          ['failed jobs', fmt(outcome.failedJobs)],
          ['non-2xx answers', fmt(refused)],
          ['drain time after the load stopped', drainMs === undefined ? 'did not drain' : `${secs(drainMs)} s`],
        ],
      ),
      '',
      checksTable(checks),
    ].join('\n');
    return {
      ledger, outcome, kills, stalledRedone, redeliveriesAbsorbed, drainMs, refused,
      attempts: shipper.attempts.length, loadMs: load.stoppedAt - load.startedAt, checks, markdown,
    };
  } finally {
    probe.disconnect();
    await stack.stop();
    await scratch?.close();
  }
}
