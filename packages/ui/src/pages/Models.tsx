/**
 * Models: every stored version with its training range, event counts, validation report and
 * status; activate (or roll back to) a version, and retrain now, following the job through
 * `GET /retrain/:id` to its result. Admin actions go to the API whatever the token: the refusal
 * the API answers is what the page shows.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, type Grant, type Model, type ModelsAnswer, type TrainStatus } from '../api.ts';
import { fmtCount, fmtTime } from '../format.ts';

const STAGES = ['reading', 'training', 'validating', 'storing', 'activating', 'done'];

function Validation({ m }: { m: Model }) {
  const v = m.validation;
  if (!v) return <span class="muted">—</span>;
  return (
    <details class="validation">
      <summary><span class={v.passed ? 'badge badge-ok' : 'badge badge-warn'}>{v.passed ? 'passed' : 'missed gates'}</span>{v.holdoutEvents !== undefined && <span class="muted small"> on {fmtCount(v.holdoutEvents)} held-out</span>}</summary>
      {v.reasons.length > 0 && <ul>{v.reasons.map((r) => <li>{r}</li>)}</ul>}
      <pre class="small">{JSON.stringify(Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'reasons' && k !== 'passed')), null, 2)}</pre>
    </details>
  );
}

function Job({ job }: { job: TrainStatus }) {
  const stage = job.progress?.stage;
  const at = stage ? STAGES.indexOf(stage) : -1;
  const r = job.result;
  return (
    <div class="card job" data-testid="retrain-job">
      <div class="job-head">
        <b>Training run</b> <span class="mono small muted">{job.id}</span>
        <span class={`badge ${job.state === 'completed' ? 'badge-ok' : job.state === 'failed' ? 'badge-err' : 'badge-run'}`}>{job.state}</span>
      </div>
      <ol class="stages">
        {STAGES.map((s, i) => <li class={i < at || job.state === 'completed' ? 'done' : i === at ? 'now' : ''}>{s}</li>)}
      </ol>
      {r && (
        <p data-testid="retrain-result">
          {r.version ? <>Version <b>{r.version}</b> is <b>{r.status}</b></> : <>Run <b>{r.status}</b></>} — trained on {fmtCount(r.trained)} events, {fmtCount(r.heldOut)} held out for validation.
          {r.reasons && r.reasons.length > 0 && <ul>{r.reasons.map((x) => <li>{x}</li>)}</ul>}
        </p>
      )}
      {job.failedReason && <div class="alert alert-error">{job.failedReason}</div>}
    </div>
  );
}

export function ModelsPage({ grant, onActiveChanged }: { grant: Grant; onActiveChanged: () => void }) {
  const [data, setData] = useState<ModelsAnswer | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [job, setJob] = useState<TrainStatus | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | undefined>(undefined);

  const load = () => api<ModelsAnswer>('GET', '/models').then((d) => { setData(d); }, (err: Error) => setError(err.message));
  useEffect(() => {
    void load();
    const t = setInterval(load, 5000);
    return () => {
      clearInterval(t);
      clearInterval(timer.current);
    };
  }, []);

  const refusal = (err: unknown) => {
    const e = err as ApiError;
    setError(e.status === 403 || e.status === 401 ? `Refused: ${e.message}` : e.message);
  };

  const activate = async (version: string, rollback: boolean) => {
    setBusy(version);
    setError('');
    setNotice('');
    try {
      const r = await api<{ activated: string; previous: string | null }>('POST', `/models/${encodeURIComponent(version)}/activate`);
      setNotice(`${rollback ? 'Rolled back' : 'Activated'}: ${r.activated} is active${r.previous ? ` (was ${r.previous})` : ''}.`);
      await load();
      onActiveChanged();
    } catch (err) {
      refusal(err);
    } finally {
      setBusy(null);
    }
  };

  const retrain = async () => {
    setBusy('retrain');
    setError('');
    setNotice('');
    try {
      const r = await api<{ job_id: string; status_url: string }>('POST', '/retrain');
      setJob({ id: r.job_id, state: 'waiting' });
      clearInterval(timer.current);
      timer.current = setInterval(async () => {
        try {
          const s = await api<TrainStatus>('GET', r.status_url);
          setJob(s);
          if (s.state === 'completed' || s.state === 'failed') {
            clearInterval(timer.current);
            await load();
            onActiveChanged();
          }
        } catch (err) {
          clearInterval(timer.current);
          refusal(err);
        }
      }, 1000);
    } catch (err) {
      refusal(err);
    } finally {
      setBusy(null);
    }
  };

  const activeNumber = Number(data?.active?.slice(1) ?? 0);
  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>Models</h1>
          <p class="muted">Stored versions, newest first. Any kept version can be activated again.</p>
        </div>
        <div>
          <button class="btn btn-primary" onClick={retrain} disabled={busy === 'retrain'} title={grant === 'ingest' ? 'needs the admin token' : 'train on the recent sample of ingested events'}>Retrain now</button>
        </div>
      </div>
      {error && <div class="alert alert-error" role="alert" data-testid="models-error">{error}</div>}
      {notice && <div class="alert alert-ok" role="status">{notice}</div>}
      {job && <Job job={job} />}
      <div class="card table-card">
        <table class="table models">
          <thead>
            <tr><th>Version</th><th>Status</th><th>Created</th><th>Training range</th><th class="num">Events</th><th>Features</th><th class="num">Threshold</th><th>Validation</th><th /></tr>
          </thead>
          <tbody>
            {(data?.models ?? []).map((m) => (
              <tr key={m.version} data-version={m.version} class={m.active ? 'active-row' : ''}>
                <td><b>{m.version}</b>{m.trigger && <div class="muted small">{m.trigger}</div>}</td>
                <td><span class={`badge badge-${m.status}`}>{m.status}</span></td>
                <td class="nowrap">{fmtTime(m.createdAt)}</td>
                <td class="nowrap small">{m.trainedOn.from || m.trainedOn.to ? <>{fmtTime(m.trainedOn.from)}<br />{fmtTime(m.trainedOn.to)}</> : <span class="muted">—</span>}</td>
                <td class="num">{fmtCount(m.trainedOn.events)}</td>
                <td class="small">{m.featureSet.name} v{m.featureSet.version}</td>
                <td class="num mono">{m.threshold.toFixed(3)}</td>
                <td><Validation m={m} />{m.reasons && !m.validation && <div class="small muted">{m.reasons.join('; ')}</div>}</td>
                <td class="actions">
                  {m.active ? <span class="muted small">in service{m.activatedAt ? ` since ${fmtTime(m.activatedAt).slice(11)}` : ''}</span> : (
                    <button class="btn btn-small" disabled={busy === m.version} data-action="activate" onClick={() => activate(m.version, Number(m.version.slice(1)) < activeNumber)}>
                      {Number(m.version.slice(1)) < activeNumber ? 'Roll back' : 'Activate'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.models.length === 0 && <div class="empty">No model yet: the trainer builds the first one once enough events have arrived, or use Retrain now.</div>}
      </div>
    </div>
  );
}
