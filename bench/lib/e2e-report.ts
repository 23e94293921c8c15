/** The end-to-end bench's results: their shape (also written with `--json`), /analyze, and the Markdown it prints. */

export interface PhaseRow {
  phase: string;
  /** Load average (1, 5, 15 min) when the phase started. */
  load: string;
  accepted: number;
  acceptedPerSec: number;
  /** Records the workers wrote (totals hash), lines as received. */
  records: number;
  /** Events after multi-line joining (one verdict each). */
  events: number;
  scoredPerSec: number;
  p50: number;
  p99: number;
  latencySamples: number;
  refused: number;
  lost: number;
  /** Process → CPU ms per 1,000 records. */
  cpuMsPer1k: Record<string, number>;
  redisCallsPerLine: number;
  redisUsecPerLine: number;
  redisTop: Array<[string, number]>;
  redisMemoryDelta: number;
  /** Bytes Redis received from / sent to its clients per line. */
  redisNetInPerLine: number;
  redisNetOutPerLine: number;
  /** Monotonic µs interval of the phase (for the CPU profiles). */
  window: [number, number];
}

export interface Report {
  date: string;
  node: string;
  workers: number;
  ingests: number;
  batch: number;
  concurrency: number;
  seconds: number;
  featureSet?: string;
  phases: PhaseRow[];
  peakRss: Record<string, number>;
  redisKeys: Array<[string, { keys: number; bytes: number; entries?: number }]>;
  analyze?: { p50: number; p99: number; oneClient: number; twoClients: number };
  /** Process → stage → CPU ms per 1,000 records (first phase, from --cpu-prof). */
  stages?: Record<string, { samples: number; msPer1k: Record<string, number> }>;
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');
/** `worker-2` → `workers`, `ingest-1` → `ingest`. */
const kindOf = (name: string) => (name.startsWith('worker') ? 'workers' : name.startsWith('ingest') ? 'ingest' : name);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

/** /analyze: 1 line per request (latency), 1,000 lines per request (throughput, one and two clients). */
export async function analyzeBench(base: string, lines: string[]): Promise<NonNullable<Report['analyze']>> {
  const post = async (body: string) => {
    const res = await fetch(`${base}/analyze`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    if (res.status !== 200) throw new Error(`/analyze answered ${res.status}`);
    await res.arrayBuffer();
  };
  const one = JSON.stringify({ logs: [lines[0]] });
  const times: number[] = [];
  for (let i = 0; i < 520; i++) {
    const t = performance.now();
    await post(one);
    if (i >= 20) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const thousand = JSON.stringify({ logs: lines.slice(0, 1000) });
  for (let i = 0; i < 10; i++) await post(thousand); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < 50; i++) await post(thousand);
  const oneClient = (50 * 1000) / ((performance.now() - t0) / 1000);
  const t1 = performance.now();
  await Promise.all([0, 1].map(async () => {
    for (let i = 0; i < 25; i++) await post(thousand);
  }));
  const twoClients = (50 * 1000) / ((performance.now() - t1) / 1000);
  return { p50: pct(times, 0.5), p99: pct(times, 0.99), oneClient, twoClients };
}

export function printReport(r: Report): void {
  const out: string[] = [];
  const p = (s = '') => out.push(s);
  p(`\n## logforest end-to-end: ${r.workers} worker(s), ${r.ingests} ingest process(es), ${r.concurrency} clients × ${r.batch} lines/request, ${r.seconds} s per phase`);
  p(`\n${r.date}, node ${r.node}, features ${r.featureSet ?? '?'}\n`);
  p('| phase | load avg | accepted lines/s | scored lines/s | p50 ms | p99 ms | latency samples | 503s | posted | written | lost |');
  p('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const x of r.phases) {
    p(`| ${x.phase} | ${x.load} | ${fmt(x.acceptedPerSec)} | ${fmt(x.scoredPerSec)} | ${fmt(x.p50)} | ${fmt(x.p99)} | ${x.latencySamples} | ${x.refused} | ${x.accepted} | ${x.records} | ${x.lost} |`);
  }
  const names = Object.keys(r.phases[0]?.cpuMsPer1k ?? {});
  const kinds = [...new Set(names.map(kindOf))];
  p('\nCPU ms per 1,000 lines (posted and written), by process (/proc utime+stime; redis from INFO cpu). A worker column is');
  p('what that worker spent per 1,000 lines of the whole run, so the workers column (their sum) is the cost of scoring 1,000 lines:\n');
  const multi = kinds.filter((k) => names.filter((n) => kindOf(n) === k).length > 1);
  p(`| phase | ${[...names, ...multi.map((k) => `${k} (sum)`)].join(' | ')} | total |`);
  p(`| --- | ${[...names, ...multi].map(() => '---:').join(' | ')} | ---: |`);
  for (const x of r.phases) {
    const v = names.map((n) => x.cpuMsPer1k[n] ?? Number.NaN);
    const sums = multi.map((k) => names.filter((n) => kindOf(n) === k).reduce((s, n) => s + (x.cpuMsPer1k[n] ?? Number.NaN), 0));
    p(`| ${x.phase} | ${[...v, ...sums].map((n) => fmt(n, 1)).join(' | ')} | ${fmt(v.reduce((s, n) => s + n, 0), 1)} |`);
  }
  p('\nRedis per line:\n');
  p('| phase | commands | µs in commands | network in / out bytes | memory Δ bytes | top commands per line |');
  p('| --- | ---: | ---: | ---: | ---: | --- |');
  for (const x of r.phases) {
    p(`| ${x.phase} | ${fmt(x.redisCallsPerLine, 3)} | ${fmt(x.redisUsecPerLine, 2)} | ${fmt(x.redisNetInPerLine)} / ${fmt(x.redisNetOutPerLine)} | ${fmt(x.redisMemoryDelta / x.records, 1)} | ${x.redisTop.map(([c, n]) => `${c} ${fmt(n, 3)}`).join(', ')} |`);
  }
  if (r.redisKeys.length) {
    const lines = r.phases[0]?.records ?? 0;
    p(`\nRedis keys after the first phase (MEMORY USAGE; the phase wrote ${fmt(lines)} lines):\n`);
    p('| key kind | keys | stream entries | bytes | bytes per key (per entry) |');
    p('| --- | ---: | ---: | ---: | ---: |');
    for (const [kind, v] of r.redisKeys.slice(0, 12)) {
      p(`| ${kind} | ${v.keys} | ${v.entries ?? ''} | ${fmt(v.bytes)} | ${v.entries ? `(${fmt(v.bytes / v.entries)})` : fmt(v.bytes / v.keys)} |`);
    }
  }
  if (r.stages) {
    p('\nCPU ms per 1,000 lines by stage, first phase (share of --cpu-prof samples × the process CPU above, summed over the processes of a kind):\n');
    const by = new Map<string, Map<string, number>>();
    const samples = new Map<string, number>();
    for (const [name, st] of Object.entries(r.stages)) {
      const k = kindOf(name);
      const m = by.get(k) ?? new Map<string, number>();
      for (const [stage, ms] of Object.entries(st.msPer1k)) m.set(stage, (m.get(stage) ?? 0) + ms);
      by.set(k, m);
      samples.set(k, (samples.get(k) ?? 0) + st.samples);
    }
    const ks = [...by.keys()];
    const stages = [...new Set([...by.values()].flatMap((m) => [...m.keys()]))].sort((a, b) => Math.max(...ks.map((k) => by.get(k)?.get(b) ?? 0)) - Math.max(...ks.map((k) => by.get(k)?.get(a) ?? 0)));
    p(`| stage | ${ks.join(' | ')} |`);
    p(`| --- | ${ks.map(() => '---:').join(' | ')} |`);
    for (const st of stages) p(`| ${st} | ${ks.map((k) => fmt(by.get(k)?.get(st) ?? 0, 2)).join(' | ')} |`);
    p(`| (busy samples) | ${ks.map((k) => samples.get(k) ?? 0).join(' | ')} |`);
  }
  if (r.analyze) {
    const a = r.analyze;
    p(`\n/analyze: 1 line p50 ${fmt(a.p50, 2)} ms, p99 ${fmt(a.p99, 2)} ms; 1,000 lines/request ${fmt(a.oneClient)} lines/s (one client), ${fmt(a.twoClients)} lines/s (two clients)`);
  }
  p('\n| process | peak RSS MiB |');
  p('| --- | ---: |');
  for (const [name, bytes] of Object.entries(r.peakRss)) p(`| ${name} | ${fmt(bytes / 2 ** 20)} |`);
  p('\nLatency = scoredAt − receivedAt of the anomalies written (every anomalous event carries both). lost = posted − written.');
  console.log(out.join('\n'));
}
