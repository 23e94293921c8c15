/** Invariants and the markdown section of the overload scenario. */
import type { OverloadOptions, OverloadResult } from './overload.ts';
import { maxOver, rssOfGroup } from './sampler.ts';
import { type Check, checksTable, fmt, mib, secs, table } from './util.ts';

const MiB = 2 ** 20;
/** Ceilings the processes must stay under, bytes. */
export const MEMORY_CEILING = { ingest: 512 * MiB, worker: 768 * MiB, redis: 512 * MiB };

/** True when the last third of the overload reached no more than 1.25× (+32 MiB) the first two thirds' peak. */
function flat(r: OverloadResult, pick: (s: OverloadResult['samples'][number]) => number | undefined): { ok: boolean; early?: number; late?: number } {
  const cut = r.startedAt + ((r.stoppedAt - r.startedAt) * 2) / 3;
  const early = maxOver(r.samples, pick, r.startedAt, cut);
  const late = maxOver(r.samples, pick, cut, r.stoppedAt);
  if (early === undefined || late === undefined) return { ok: true };
  return { ok: late <= early * 1.25 + 32 * MiB, early, late };
}

export function overloadChecks(r: OverloadResult, o: OverloadOptions): Check[] {
  const l = r.ledger;
  const growth = (name: string, pick: (s: OverloadResult['samples'][number]) => number | undefined): Check => {
    const f = flat(r, pick);
    return { what: `${name}: no growth in the last third of the overload (≤ 1.25× + 32 MiB)`, ok: f.ok, seen: `${mib(f.early)} → ${mib(f.late)} MiB` };
  };
  return [
    { what: 'every event sent was acknowledged (none given up or rejected)', ok: l.gaveUp + l.rejected + l.pending === 0 && l.acceptedMismatch === 0 && l.sentEvents === l.ackedEvents, seen: `${fmt(l.requests)} requests, ${l.gaveUp} given up, ${l.rejected} rejected` },
    { what: 'acknowledged events == events with verdicts', ok: l.lostEvents === 0 && l.ackedEvents > 0, seen: `${fmt(l.ackedEvents)} acked, ${fmt(l.verdictEvents)} with verdicts` },
    { what: 'backpressure engaged (503s answered)', ok: r.answers.s503 + r.answers.s429 > 0, seen: `${fmt(r.answers.s503)} × 503` },
    { what: 'no errors besides backpressure (no 5xx but 503, no timeouts/resets)', ok: r.answers.other === 0, seen: String(r.answers.other) },
    { what: `waiting depth ≤ QUEUE_MAX_WAITING + client concurrency (${o.maxWaiting + o.concurrency})`, ok: (r.max.waiting ?? 0) <= o.maxWaiting + o.concurrency, seen: fmt(r.max.waiting) },
    { what: `ingest RSS < ${mib(MEMORY_CEILING.ingest)} MiB`, ok: (r.max.ingest ?? 0) < MEMORY_CEILING.ingest, seen: `${mib(r.max.ingest)} MiB` },
    { what: `worker RSS < ${mib(MEMORY_CEILING.worker)} MiB`, ok: (r.max.worker ?? 0) < MEMORY_CEILING.worker, seen: `${mib(r.max.worker)} MiB` },
    { what: `Redis used_memory < ${mib(MEMORY_CEILING.redis)} MiB`, ok: (r.max.redis ?? 0) < MEMORY_CEILING.redis, seen: `${mib(r.max.redis)} MiB` },
    growth('ingest RSS', (s) => s.rss['ingest']),
    growth('Redis used_memory', (s) => s.redisUsed),
    { what: 'no batch written twice', ok: r.outcome.duplicates === 0, seen: String(r.outcome.duplicates) },
    { what: 'queue drained after the load', ok: r.drainMs !== undefined, seen: r.drainMs === undefined ? 'timed out' : `${secs(r.drainMs)} s` },
    {
      what: 'idle ingest p99 back to normal (≤ 2× before, or +50 ms)',
      ok: r.idleAfter.p99 <= Math.max(2 * r.idleBefore.p99, r.idleBefore.p99 + 50),
      seen: `${fmt(r.idleBefore.p99)} ms before, ${fmt(r.idleAfter.p99)} ms after`,
    },
  ];
}

/** Memory and depth per time slice: the overload in `slices` parts, then the recovery. */
function series(r: OverloadResult, slices: number): string[][] {
  const rows: string[][] = [];
  const span = (r.stoppedAt - r.startedAt) / slices;
  const row = (label: string, from: number, to: number): string[] => [
    label,
    mib(maxOver(r.samples, (s) => s.rss['ingest'], from, to)),
    mib(maxOver(r.samples, rssOfGroup('worker-'), from, to)),
    mib(maxOver(r.samples, (s) => s.redisUsed, from, to)),
    mib(maxOver(r.samples, (s) => s.rss['redis-server'], from, to)),
    fmt(maxOver(r.samples, (s) => s.waiting, from, to)),
  ];
  rows.push(row('before (ramp, idle)', 0, r.startedAt));
  for (let i = 0; i < slices; i++) {
    const from = r.startedAt + i * span;
    rows.push(row(`${secs(from - r.startedAt)}–${secs(from + span - r.startedAt)} s`, from, from + span));
  }
  rows.push(row('after the load (recovery)', r.stoppedAt, Number.POSITIVE_INFINITY));
  return rows;
}

export function overloadMarkdown(r: OverloadResult, o: OverloadOptions, origin: string): { markdown: string; checks: Check[] } {
  const checks = overloadChecks(r, o);
  const share = (n: number): string => `${fmt((100 * n) / Math.max(1, r.answers.total), 1)} %`;
  const ramp = r.capacity?.steps.map((s) => `${s.concurrency} client(s): ${fmt(s.scoredPerSec)} scored/s, ${fmt(s.ackedPerSec)} acked/s`).join('; ');
  const markdown = [
    `### Overload: ${o.factor ?? 3}× the measured capacity for ${secs(r.stoppedAt - r.startedAt)} s`,
    '',
    `${o.workers} workers, one ingest with QUEUE_MAX_WAITING=${o.maxWaiting} jobs (${o.linesPerRequest} events each), RETRY_AFTER_SECONDS=1. ` +
      `Client: ≤ ${o.concurrency} requests in flight, buffer of ${o.bufferMax ?? o.concurrency * 4} chunks (input pauses when full), back-off 0.2–5 s with full jitter, ` +
      `never sooner than Retry-After, retried for up to ${secs(o.retryWindowMs)} s. Lines: ${origin}.` +
      (ramp ? ` Capacity ramp (closed loop, ${secs(o.rampStepMs)} s per step): ${ramp}.` : ''),
    '',
    table(
      ['figure', 'value'],
      [
        ['measured capacity (events scored/s)', fmt(r.capacityPerSec)],
        ['offered (events/s)', fmt(r.offeredPerSec)],
        ['acknowledged during the overload (events/s)', fmt(r.ackedPerSec)],
        ['answers during the overload', fmt(r.answers.total)],
        ['… 2xx / 503 / 429 / other', `${share(r.answers.ok)} / ${share(r.answers.s503)} / ${share(r.answers.s429)} / ${share(r.answers.other)}`],
        ['ingest latency of 2xx answers p50 / p99 (ms)', `${fmt(r.latency.okP50)} / ${fmt(r.latency.okP99)}`],
        ['client input paused on a full buffer', `${secs(r.pausedMs)} s`],
        ['events sent / acknowledged / with verdicts', `${fmt(r.ledger.sentEvents)} / ${fmt(r.ledger.ackedEvents)} / ${fmt(r.ledger.verdictEvents)}`],
        ['requests given up / rejected / delivered twice', `${r.ledger.gaveUp} / ${r.ledger.rejected} / ${r.ledger.twiceRequests}`],
        ['max RSS ingest / worker (MiB)', `${mib(r.max.ingest)} / ${mib(r.max.worker)}`],
        ['max Redis used_memory (MiB)', mib(r.max.redis)],
        ['max waiting depth (jobs)', fmt(r.max.waiting)],
        [
          'Redis per retained item: completed job (payload kept) / anomaly / sample entry',
          `${fmt(r.footprint.perCompletedJob / 1024)} KiB / ${fmt(r.footprint.perAnomaly)} B / ${fmt(r.footprint.perSampleEntry)} B`,
        ],
        ['… held at the end: completed jobs / anomalies / sample entries', `${fmt(r.footprint.completedJobs)} / ${fmt(r.footprint.anomalies)} / ${fmt(r.footprint.sampleEntries)}`],
        ['… projected at the default caps (1,000 completed jobs, 100,000 anomalies, 50,000 sample)', `${mib(r.footprint.atCaps)} MiB`],
        ['load stop → client backlog acknowledged', `${secs(r.deliveredMs)} s`],
        ['load stop → queue drained (waiting = active = 0)', r.drainMs === undefined ? 'did not drain' : `${secs(r.drainMs)} s`],
        ['idle ingest latency (50-line requests) p50 / p99 before → after (ms)', `${fmt(r.idleBefore.p50)} / ${fmt(r.idleBefore.p99)} → ${fmt(r.idleAfter.p50)} / ${fmt(r.idleAfter.p99)}`],
      ],
    ),
    '',
    'Memory over time (maximum of the 0.5 s samples in each slice):',
    '',
    table(['slice', 'ingest RSS MiB', 'worker RSS MiB (max)', 'Redis used_memory MiB', 'redis-server RSS MiB', 'waiting jobs'], series(r, 6)),
    '',
    checksTable(checks),
  ].join('\n');
  return { markdown, checks };
}
