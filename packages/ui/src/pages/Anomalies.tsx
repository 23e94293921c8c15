/**
 * Anomalies, live: the newest page of `GET /anomalies` is polled every POLL_MS and merged in by
 * stream id (new rows flash); "Load older" follows `next_cursor`. Host, source and the time range
 * are the API's own filters; text and minimum score are applied on the page. A click opens the
 * event: full text with its stack trace, the explanation and how familiar the event was.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, api, type AnomaliesPage as Page, type Anomaly } from '../api.ts';
import { applyClientFilter, fmtTime, headline, levelOf, localInputToIso, mergeNewest, messageOf, query } from '../format.ts';
import { AnomalyDetail } from '../components/AnomalyDetail.tsx';

const POLL_MS = 2000;
const PAGE = 200;
const CAP = 2000;

interface ServerFilter {
  host: string;
  source: string;
  since: string;
  until: string;
}

export function AnomaliesPage() {
  const [server, setServer] = useState<ServerFilter>({ host: '', source: '', since: '', until: '' });
  const [text, setText] = useState('');
  const [minScore, setMinScore] = useState(0);
  const [items, setItems] = useState<Anomaly[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [error, setError] = useState('');
  const [live, setLive] = useState(true);
  const [selected, setSelected] = useState<Anomaly | null>(null);
  const [updated, setUpdated] = useState<number | null>(null);
  const first = useRef(true);

  const params = () => ({ host: server.host, source: server.source, since: localInputToIso(server.since), until: localInputToIso(server.until) });

  // A change of the server-side filters starts over.
  useEffect(() => {
    first.current = true;
    setItems([]);
    setCursor(null);
    let stopped = false;
    const poll = async () => {
      try {
        const page = await api<Page>('GET', `/anomalies${query({ ...params(), limit: PAGE })}`);
        if (stopped) return;
        setError('');
        setUpdated(Date.now());
        setItems((held) => {
          const { items: merged } = mergeNewest(held, page.items, Math.max(CAP, held.length));
          if (!first.current) {
            const old = new Set(held.map((a) => a.id));
            const added = page.items.filter((a) => !old.has(a.id)).map((a) => a.id);
            if (added.length) setFresh(new Set(added));
          }
          return merged;
        });
        if (first.current) setCursor(page.next_cursor);
        first.current = false;
      } catch (err) {
        if (!stopped) setError(err instanceof ApiError ? err.message : String(err));
      }
    };
    void poll();
    const t = live ? setInterval(poll, POLL_MS) : undefined;
    return () => {
      stopped = true;
      if (t) clearInterval(t);
    };
  }, [server.host, server.source, server.since, server.until, live]);

  const older = async () => {
    if (!cursor) return;
    const page = await api<Page>('GET', `/anomalies${query({ ...params(), limit: PAGE, cursor })}`).catch((err: Error) => {
      setError(err.message);
      return undefined;
    });
    if (!page) return;
    setItems((held) => mergeNewest(held, page.items, held.length + PAGE).items);
    setCursor(page.next_cursor);
  };

  const shown = useMemo(() => applyClientFilter(items, { text, minScore }), [items, text, minScore]);
  const hosts = useMemo(() => [...new Set(items.map((a) => a.host).filter(Boolean))].sort() as string[], [items]);
  const sources = useMemo(() => [...new Set(items.map((a) => a.source).filter(Boolean))].sort() as string[], [items]);
  const set = (k: keyof ServerFilter) => (e: Event) => setServer({ ...server, [k]: (e.target as HTMLInputElement).value });

  return (
    <div class={selected ? 'page with-drawer' : 'page'}>
      <div class="page-head">
        <div>
          <h1>Anomalies</h1>
          <p class="muted">Events the active model scored above its threshold, newest first.</p>
        </div>
        <div class="live">
          <span class={live ? 'dot dot-live' : 'dot'} />
          <span>{live ? 'Live' : 'Paused'}{updated ? ` · updated ${fmtTime(updated).slice(11)}` : ''}</span>
          <button class="btn btn-small" onClick={() => setLive(!live)}>{live ? 'Pause' : 'Resume'}</button>
        </div>
      </div>
      <form class="filters card" onSubmit={(e) => e.preventDefault()}>
        <label>Host<input name="host" list="hosts" value={server.host} onChange={set('host')} placeholder="any" /></label>
        <datalist id="hosts">{hosts.map((h) => <option value={h} />)}</datalist>
        <label>Source<input name="source" list="sources" value={server.source} onChange={set('source')} placeholder="any" /></label>
        <datalist id="sources">{sources.map((s) => <option value={s} />)}</datalist>
        <label>From<input name="since" type="datetime-local" value={server.since} onChange={set('since')} /></label>
        <label>To<input name="until" type="datetime-local" value={server.until} onChange={set('until')} /></label>
        <label class="grow">Text<input name="text" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} placeholder="message, signature, template…" /></label>
        <label>Min score<input name="minScore" type="number" min="0" max="1" step="0.01" value={minScore} onInput={(e) => setMinScore(Number((e.target as HTMLInputElement).value) || 0)} /></label>
      </form>
      {error && <div class="alert alert-error" role="alert">{error}</div>}
      <div class="card table-card">
        <table class="table anomalies">
          <thead>
            <tr><th class="col-time">Time</th><th class="col-host">Host</th><th class="col-source">Source</th><th class="col-level">Level</th><th class="col-sig">Signature</th><th>Template / message</th><th class="num col-score">Score</th></tr>
          </thead>
          <tbody>
            {shown.map((a) => {
              const level = levelOf(a);
              const { first: line, frames } = headline(a.log);
              return (
                <tr key={a.id} data-id={a.id} class={`${fresh.has(a.id) ? 'fresh' : ''} ${selected?.id === a.id ? 'selected' : ''}`} onClick={() => setSelected(a)}>
                  <td class="nowrap mono">{fmtTime(a.timestamp)}</td>
                  <td>{a.host ?? '—'}</td>
                  <td class="ellipsis col-source" title={a.source}>{a.source ?? '—'}</td>
                  <td>{level ? <span class={`level level-${level.toLowerCase()}`}>{level}</span> : '—'}</td>
                  <td class="mono ellipsis col-sig" title={a.signature}>{a.signature ?? '—'}</td>
                  <td class="ellipsis msg" title={line}>
                    {a.template ?? messageOf(line)}
                    {frames > 0 && <span class="tag">{frames} frames</span>}
                  </td>
                  <td class="num"><span class="score" style={{ '--s': String(Math.min(1, Math.max(0, (a.anomaly_score - a.threshold) / Math.max(1e-9, 1 - a.threshold)))) }}>{a.anomaly_score.toFixed(3)}</span></td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {shown.length === 0 && <div class="empty">{items.length === 0 ? 'No anomalies yet. They appear here within seconds of being scored.' : 'No anomaly matches these filters.'}</div>}
        <div class="table-foot">
          <span class="muted">{shown.length} shown of {items.length} loaded</span>
          {cursor && <button class="btn btn-small" onClick={older}>Load older</button>}
        </div>
      </div>
      {selected && <AnomalyDetail anomaly={selected} onClose={() => setSelected(null)} />}
    </div>
  );
}
