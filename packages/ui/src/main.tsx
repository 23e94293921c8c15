/**
 * The console shell: sign-in (token in sessionStorage), the header with the active model and
 * what the token grants, and three pages chosen by `#hash`: anomalies, models, throughput.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './style.css';
import { ApiError, api, getToken, probeGrant, setToken, type Grant, type ModelsAnswer } from './api.ts';
import { AnomaliesPage } from './pages/Anomalies.tsx';
import { ModelsPage } from './pages/Models.tsx';
import { ThroughputPage } from './pages/Throughput.tsx';

type Page = 'anomalies' | 'models' | 'throughput';
const PAGES: Array<[Page, string]> = [
  ['anomalies', 'Anomalies'],
  ['models', 'Models'],
  ['throughput', 'Throughput'],
];

function pageFromHash(): Page {
  const h = location.hash.replace(/^#\/?/, '');
  return (PAGES.find(([p]) => p === h)?.[0] ?? 'anomalies') as Page;
}

function SignIn({ onSignedIn, error }: { onSignedIn: (g: Grant) => void; error?: string }) {
  const [token, setValue] = useState('');
  const [problem, setProblem] = useState(error ?? '');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setToken(token.trim() || null);
    try {
      onSignedIn(await probeGrant());
    } catch (err) {
      setToken(null);
      setProblem(err instanceof ApiError && (err.status === 401 || err.status === 403) ? 'This token is not accepted.' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="signin">
      <form class="card signin-card" onSubmit={submit}>
        <div class="brand brand-lg"><span class="logo">▲</span> logforest</div>
        <p class="muted">Sign in with an ingest token (read) or the admin token (read, activate, retrain). It stays in this browser tab only.</p>
        <label for="token">Token</label>
        <input id="token" name="token" type="password" autocomplete="off" value={token} onInput={(e) => setValue((e.target as HTMLInputElement).value)} placeholder="INGEST_TOKENS or ADMIN_TOKEN" />
        {problem && <div class="alert alert-error" role="alert">{problem}</div>}
        <button class="btn btn-primary" type="submit" disabled={busy}>{busy ? 'Checking…' : 'Sign in'}</button>
        <p class="hint">Deployments without any token configured accept an empty token.</p>
      </form>
    </div>
  );
}

function Shell({ grant, onSignOut }: { grant: Grant; onSignOut: () => void }) {
  const [page, setPage] = useState<Page>(pageFromHash());
  const [active, setActive] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const refreshActive = () => {
    api<ModelsAnswer>('GET', '/models').then((m) => setActive(m.active), () => undefined);
  };
  useEffect(() => {
    refreshActive();
    const t = setInterval(refreshActive, 5000);
    return () => clearInterval(t);
  }, []);
  return (
    <div class="layout">
      <header class="topbar">
        <div class="brand"><span class="logo">▲</span> logforest</div>
        <nav>
          {PAGES.map(([p, label]) => (
            <a href={`#/${p}`} class={p === page ? 'nav-item active' : 'nav-item'} data-page={p}>{label}</a>
          ))}
        </nav>
        <div class="topbar-right">
          <span class="pill pill-dark" data-testid="active-model">model <b>{active === undefined ? '…' : active ?? 'none'}</b></span>
          <span class={`pill ${grant === 'ingest' ? 'pill-dark' : 'pill-accent'}`} data-testid="grant">{grant === 'admin' ? 'admin' : grant === 'open' ? 'open (no tokens set)' : 'read-only token'}</span>
          <button class="btn btn-ghost" onClick={onSignOut}>Sign out</button>
        </div>
      </header>
      <main class="content">
        {page === 'anomalies' && <AnomaliesPage />}
        {page === 'models' && <ModelsPage grant={grant} onActiveChanged={refreshActive} />}
        {page === 'throughput' && <ThroughputPage />}
      </main>
    </div>
  );
}

function App() {
  const [grant, setGrant] = useState<Grant | null | undefined>(undefined);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    // A token from earlier in this tab, or an open deployment: no sign-in form needed.
    probeGrant().then(
      (g) => setGrant(g === 'open' || getToken() ? g : null),
      (err) => {
        if (getToken() && err instanceof ApiError && (err.status === 401 || err.status === 403)) setError('The saved token is no longer accepted.');
        setToken(null);
        setGrant(null);
      },
    );
  }, []);
  if (grant === undefined) return <div class="signin muted">Loading…</div>;
  if (grant === null) return <SignIn onSignedIn={setGrant} error={error} />;
  return <Shell grant={grant} onSignOut={() => { setToken(null); setError(undefined); setGrant(null); }} />;
}

render(<App />, document.getElementById('app') as HTMLElement);
