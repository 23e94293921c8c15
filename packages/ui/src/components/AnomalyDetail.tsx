/**
 * One anomaly in full: the event text with its stack trace, why it scored high (the explanation
 * and, when the model carries history, how often its template and signature were seen), and
 * where it came from. Fields a verdict does not carry are left out, not invented.
 */
import type { Anomaly } from '../api.ts';
import { fmtCount, fmtMs, fmtTime, levelOf } from '../format.ts';

function Row({ k, v }: { k: string; v: unknown }) {
  if (v === undefined || v === null || v === '') return null;
  return (
    <div class="kv"><dt>{k}</dt><dd>{String(v)}</dd></div>
  );
}

export function AnomalyDetail({ anomaly: a, onClose }: { anomaly: Anomaly; onClose: () => void }) {
  const level = levelOf(a);
  const fam = a.familiarity;
  const maxContribution = Math.max(1e-9, ...(a.explanation ?? []).map((c) => Math.abs(c.contribution)));
  return (
    <aside class="drawer card" aria-label="Anomaly detail" data-testid="detail">
      <div class="drawer-head">
        <div>
          <div class="drawer-title">
            {level && <span class={`level level-${level.toLowerCase()}`}>{level}</span>}
            <span class="mono">{a.signature ?? 'Anomaly'}</span>
          </div>
          <div class="muted small">{fmtTime(a.timestamp)} · {a.host ?? 'unknown host'} · {a.source ?? 'unknown source'}</div>
        </div>
        <button class="btn btn-ghost" onClick={onClose} aria-label="Close">✕</button>
      </div>
      <div class="score-line">
        <div><div class="muted small">score</div><div class="big">{a.anomaly_score.toFixed(3)}</div></div>
        <div><div class="muted small">threshold</div><div class="big">{a.threshold.toFixed(3)}</div></div>
        <div><div class="muted small">model</div><div class="big">{a.model_version}</div></div>
      </div>
      <h3>Event</h3>
      <pre class="event" data-testid="event-text">{a.log}</pre>
      {fam && (
        <>
          <h3>Familiarity</h3>
          <p class="why">
            {fam.seen_in_training === false ? 'Never seen in training' : `Seen in training`}
            {fam.signature ? <> — signature <code>{fam.signature}</code></> : null}
            {fam.entity ? <> for <code>{fam.entity}</code></> : null}.
          </p>
          <dl class="kvs">
            <Row k="signature seen" v={fam.signature_count !== undefined ? `${fmtCount(fam.signature_count)} times` : undefined} />
            <Row k="template seen" v={fam.template_count !== undefined ? `${fmtCount(fam.template_count)} times` : undefined} />
          </dl>
        </>
      )}
      {a.explanation && a.explanation.length > 0 && (
        <>
          <h3>Why it scored high</h3>
          <table class="table compact">
            <thead><tr><th>Feature</th><th class="num">Value</th><th>Contribution</th></tr></thead>
            <tbody>
              {a.explanation.map((c) => (
                <tr>
                  <td class="mono">{c.feature}</td>
                  <td class="num mono">{Number.isInteger(c.value) ? c.value : c.value.toFixed(3)}</td>
                  <td><span class="meter"><span style={{ width: `${(100 * Math.abs(c.contribution)) / maxContribution}%` }} /></span> <span class="mono small">{c.contribution.toFixed(3)}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3>Details</h3>
      <dl class="kvs">
        <Row k="template" v={a.template} />
        <Row k="received" v={a.receivedAt ? fmtTime(a.receivedAt) : undefined} />
        <Row k="scored" v={a.scoredAt ? fmtTime(a.scoredAt) : undefined} />
        <Row k="ingest → verdict" v={a.receivedAt && a.scoredAt ? fmtMs(a.scoredAt - a.receivedAt) : undefined} />
        <Row k="batch" v={a.batchId} />
        <Row k="stream id" v={a.id} />
      </dl>
    </aside>
  );
}
