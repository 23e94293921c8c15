/**
 * Throughput over the last hour, from `GET /stats/throughput` (ingest samples its own counters):
 * events in, scored and anomalies per second; score queue depth; p50/p99 ingest→verdict.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AlignedData } from 'uplot';
import { api, type ThroughputAnswer } from '../api.ts';
import { fmtCount, fmtMs } from '../format.ts';
import { Chart, type Series } from '../components/Chart.tsx';

const RATE: Series[] = [
  { label: 'events in /s', color: '#2563eb', fill: true },
  { label: 'scored /s', color: '#16a34a' },
  { label: 'anomalies /s', color: '#dc2626' },
];
const QUEUE: Series[] = [
  { label: 'waiting', color: '#d97706', fill: true, fmt: (v) => fmtCount(v) },
  { label: 'active', color: '#7c3aed', fmt: (v) => fmtCount(v) },
];
const LATENCY: Series[] = [
  { label: 'p50', color: '#0891b2', fmt: fmtMs, points: true },
  { label: 'p99', color: '#be123c', fmt: fmtMs, fill: true, points: true },
];

function Kpi({ id, label, value, sub }: { id: string; label: string; value: string; sub?: string }) {
  return (
    <div class="card kpi" data-kpi={id}>
      <div class="muted small">{label}</div>
      <div class="kpi-value">{value}</div>
      {sub && <div class="muted small">{sub}</div>}
    </div>
  );
}

export function ThroughputPage() {
  const [data, setData] = useState<ThroughputAnswer | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const load = () => api<ThroughputAnswer>('GET', '/stats/throughput').then((d) => { setData(d); setError(''); }, (e: Error) => setError(e.message));
    void load();
    const t = setInterval(load, 5000);
    return () => clearInterval(t);
  }, []);

  const view = useMemo(() => {
    const s = data?.samples ?? [];
    const t = s.map((x) => x.t / 1000);
    const per = (k: 'events_in' | 'scored' | 'anomalies') => s.map((x) => (x[k] * 1000) / Math.max(1, x.interval_ms));
    const sum = (k: 'events_in' | 'scored' | 'anomalies') => s.reduce((a, x) => a + x[k], 0);
    const p99s = s.map((x) => x.latency_p99_ms).filter((v): v is number => v !== null);
    const last = s.at(-1);
    const lastP99 = [...s].reverse().find((x) => x.latency_p99_ms !== null)?.latency_p99_ms ?? null;
    return {
      rate: [t, per('events_in'), per('scored'), per('anomalies')] as AlignedData,
      queue: [t, s.map((x) => x.queue_waiting), s.map((x) => x.queue_active)] as AlignedData,
      latency: [t, s.map((x) => x.latency_p50_ms), s.map((x) => x.latency_p99_ms)] as AlignedData,
      totals: { in: sum('events_in'), scored: sum('scored'), anomalies: sum('anomalies') },
      worstP99: p99s.length ? Math.max(...p99s) : null,
      last,
      lastP99,
      minutes: s.length && data ? Math.round((s.length * data.interval_ms) / 60000) : 0,
    };
  }, [data]);

  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>Throughput</h1>
          <p class="muted">The last hour, one sample every {data ? Math.round(data.interval_ms / 1000) : '…'} s, from the service's own counters{view.minutes ? ` (${view.minutes} min so far)` : ''}.</p>
        </div>
      </div>
      {error && <div class="alert alert-error" role="alert">{error}</div>}
      <div class="kpis">
        <Kpi id="in" label="Events in (this ingest)" value={fmtCount(view.totals.in)} sub="last hour" />
        <Kpi id="scored" label="Scored (all workers)" value={fmtCount(view.totals.scored)} sub="last hour" />
        <Kpi id="anomalies" label="Anomalies" value={fmtCount(view.totals.anomalies)} sub={view.totals.scored ? `${((100 * view.totals.anomalies) / view.totals.scored).toFixed(2)} % of scored` : 'last hour'} />
        <Kpi id="queue" label="Queue depth" value={fmtCount(view.last ? view.last.queue_waiting : null)} sub={view.last ? `${view.last.queue_active} active` : 'waiting jobs'} />
        <Kpi id="p99" label="p99 ingest → verdict" value={fmtMs(view.lastP99)} sub={`latest batches · worst in the hour ${fmtMs(view.worstP99)}`} />
      </div>
      <div class="charts">
        <section class="card chart-card"><h2>Events per second</h2><Chart data={view.rate} series={RATE} /></section>
        <section class="card chart-card"><h2>Score queue (jobs)</h2><Chart data={view.queue} series={QUEUE} /></section>
        <section class="card chart-card wide"><h2>Ingest → verdict (per batch)</h2><Chart data={view.latency} series={LATENCY} spanGaps /></section>
      </div>
    </div>
  );
}
