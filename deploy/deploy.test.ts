/**
 * The monitoring files in deploy/ against the real services: ingest, a worker and the trainer
 * run as processes on a test Redis, each is scraped, and every metric the Grafana dashboard and
 * the Prometheus rules name must be among what they export (`up` is Prometheus' own). The YAML
 * files parse (the `yaml` package); with promtool on PATH (.ci/run installs Debian's
 * `prometheus`) the config and rules are checked, the rule unit tests run, and a real
 * Prometheus scrapes the three services, evaluates the rules and answers every dashboard query.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { freePort } from '../tests/setup/redis-server.ts';
import { freePortRun, ROOT, spawnTs, startIngest, waitForHttp, type IngestProc, type Proc } from '../tests/stack/proc.ts';
import { testRedisUrl, uniquePrefix } from '../tests/setup/redis.ts';
import { which } from '../tools/start/redis.ts';

const DEPLOY = join(ROOT, 'deploy');
const read = (p: string): string => readFileSync(join(DEPLOY, p), 'utf8');

interface Rule {
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
}
const rules = (parse(read('prometheus/alerts.yml')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);
const promConfig = parse(read('prometheus/prometheus.yml')) as { rule_files: string[]; scrape_configs: Array<{ job_name: string }> };
const dashboard = JSON.parse(read('grafana/logforest.json')) as { schemaVersion: number; panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }> };

/** Metric names in a PromQL expression (label values like `logforest-worker` have no `_`). */
function metricNames(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\b(logforest_[a-z0-9_]+|up)\b(?!\s*=)/g)].map((m) => m[1] as string))];
}

/** `# TYPE` lines of a scrape → name → type. */
function types(text: string): Map<string, string> {
  return new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1] as string, m[2] as string]));
}

/** Whether `name` is exported: itself, or a histogram's `_bucket`/`_sum`/`_count` series. */
function exported(name: string, all: Map<string, string>): boolean {
  if (name === 'up' || all.has(name)) return true;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && all.get(base) === 'histogram';
}

describe('deploy/: dashboard, rules and scrape config', () => {
  const prefix = uniquePrefix('deploy');
  let ingest: IngestProc;
  const procs: Proc[] = [];
  const scraped = new Map<string, Map<string, string>>();
  const targets = new Map<string, string>();

  beforeAll(async () => {
    const env = { REDIS_URL: testRedisUrl(), LOGFOREST_PREFIX: prefix, LOG_LEVEL: 'warn' };
    const base = await freePortRun(2);
    const started = [
      startIngest(env).then((i) => (ingest = i)),
      ...(['worker', 'trainer'] as const).map(async (name, i) => {
        const p = spawnTs({ entry: `services/${name}/src/main.ts`, env: { ...env, METRICS_PORT: String(base + i), TRAIN_INTERVAL_MS: '0', ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/alerts', ALERT_FORMAT: 'alertmanager' } });
        procs.push(p);
        targets.set(name, `127.0.0.1:${base + i}`);
        const url = `http://127.0.0.1:${base + i}/metrics`;
        await waitForHttp(url, p);
        scraped.set(name, types(await (await fetch(url)).text()));
      }),
    ];
    await Promise.all(started);
    scraped.set('ingest', types(await (await fetch(`${ingest.base}/metrics`)).text()));
    targets.set('ingest', `127.0.0.1:${ingest.port}`);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([...procs, ...(ingest ? [ingest.proc] : [])].map((p) => p.stop()));
  });

  it('the dashboard is Grafana 10+ JSON whose every query names exported metrics', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(38); // Grafana 10.0
    const all = new Map([...scraped.values()].flatMap((m) => [...m]));
    const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
    expect(queries.length).toBeGreaterThan(30);
    const names = new Set(queries.flatMap((q) => metricNames(q.expr)));
    expect(names.size).toBeGreaterThan(25);
    const missing = queries.flatMap((q) => metricNames(q.expr).filter((n) => !exported(n, all)).map((n) => `${q.panel}: ${n}`));
    expect(missing).toEqual([]);
  });

  it('the rules cover the five cases and name only exported metrics and configured jobs', () => {
    const all = new Map([...scraped.values()].flatMap((m) => [...m]));
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['LogforestNoEvents', 'LogforestQueueGrowing', 'LogforestAnomalyRateHigh', 'LogforestNoActiveModel', 'LogforestWorkerDown']));
    for (const r of rules) {
      expect(r.labels?.['severity'], r.alert).toMatch(/^(critical|warning)$/);
      expect(metricNames(r.expr).filter((n) => !exported(n, all)), r.alert).toEqual([]);
    }
    const jobs = promConfig.scrape_configs.map((s) => s.job_name);
    const named = new Set(rules.flatMap((r) => [...r.expr.matchAll(/job=~?"([^"]+)"/g)].map((m) => m[1] as string)));
    for (const j of named) expect(jobs.some((job) => new RegExp(`^(?:${j})$`).test(job)), j).toBe(true);
    expect(promConfig.rule_files).toEqual(['alerts.yml']);
  });

  it('each service exports its own metrics under the names the rules expect', () => {
    expect(scraped.get('ingest')?.get('logforest_anomalies_total')).toBe('counter'); // Redis flow counters
    expect(scraped.get('ingest')?.get('logforest_alert_outbox_entries')).toBe('gauge');
    expect(scraped.get('ingest')?.get('logforest_queue_jobs')).toBe('gauge');
    expect(scraped.get('worker')?.get('logforest_worker_alert_posts_total')).toBe('counter');
    expect(scraped.get('trainer')?.get('logforest_trainer_runs_total')).toBe('counter');
    for (const [service, m] of scraped) {
      expect(m.get('logforest_model_active'), service).toBe('gauge');
      for (const [name, type] of m) if (type === 'gauge') expect(name, `${service}: gauge ${name}`).not.toMatch(/_total$/);
    }
  });

  it.skipIf(!which('promtool'))('promtool: the config and rules are valid and the rule unit tests pass', () => {
    const run = (...args: string[]): string => execFileSync('promtool', args, { cwd: join(DEPLOY, 'prometheus'), encoding: 'utf8', stdio: 'pipe' });
    expect(run('check', 'config', 'prometheus.yml')).toContain('SUCCESS');
    expect(run('check', 'rules', 'alerts.yml')).toMatch(/SUCCESS: \d+ rules found/);
    expect(run('test', 'rules', 'alerts.test.yml')).toContain('SUCCESS');
  });

  it.skipIf(!which('promtool'))('promtool: every dashboard query is valid PromQL (parsed as recording rules)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-dash-'));
    try {
      const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr.replaceAll('$__rate_interval', '1m').replaceAll('$__range', '1h')));
      const file = join(dir, 'dashboard-queries.yml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules: exprs.map((expr, i) => ({ record: `dashboard:query_${i}`, expr })) }] }));
      const out = execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8', stdio: 'pipe' });
      expect(out).toContain(`SUCCESS: ${exprs.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!which('prometheus'))('a real Prometheus scrapes all three, loads the rules, and answers every dashboard query', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-prom-'));
    const port = await freePort();
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [join(DEPLOY, 'prometheus/alerts.yml')],
      scrape_configs: [...targets].map(([name, target]) => ({ job_name: `logforest-${name}`, static_configs: [{ targets: [target] }] })),
    };
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
    const prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    const api = async <T>(path: string): Promise<T | undefined> => {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/${path}`, { signal: AbortSignal.timeout(3000) });
        const body = (await r.json()) as { status: string; data: T; error?: string };
        if (body.status !== 'success') throw new Error(`${path}: ${body.error}`);
        return body.data;
      } catch (err) {
        if (err instanceof Error && err.message.startsWith(path)) throw err;
        return undefined; // not listening yet
      }
    };
    const until = async <T>(what: string, f: () => Promise<T | undefined | false>): Promise<T> => {
      for (let i = 0; i < 300; i++) {
        const v = await f();
        if (v) return v;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`prometheus: ${what}`);
    };
    try {
      type Targets = { activeTargets: Array<{ labels: { job: string }; health: string; lastError: string }> };
      const up = await until('all targets up', async () => {
        const t = await api<Targets>('targets');
        return t && t.activeTargets.length === 3 && t.activeTargets.every((x) => x.health === 'up') ? t : undefined;
      });
      expect(up.activeTargets.map((t) => t.labels.job).sort()).toEqual(['logforest-ingest', 'logforest-trainer', 'logforest-worker']);
      type Rules = { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> };
      const loaded = await until('rules evaluated', async () => {
        const r = await api<Rules>('rules');
        const all = r?.groups.flatMap((g) => g.rules) ?? [];
        return all.length > 0 && all.every((x) => x.health !== 'unknown') ? all : undefined;
      });
      expect(loaded.filter((r) => r.health !== 'ok')).toEqual([]);
      expect(loaded.map((r) => r.name)).toEqual(rules.map((r) => r.alert));
      type Vector = { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      const active = await until('model gauges', async () => {
        const v = await api<Vector>('query?query=logforest_model_active');
        return v && v.result.length === 3 ? v : undefined;
      });
      expect(active.result.map((r) => r.metric['service']).sort()).toEqual(['ingest', 'trainer', 'worker']);
      for (const p of dashboard.panels) {
        for (const t of p.targets ?? []) {
          const q = t.expr.replaceAll('$__rate_interval', '1m').replaceAll('$__range', '1h');
          expect(await api(`query?query=${encodeURIComponent(q)}`), `${p.title}: ${q}`).toBeDefined();
        }
      }
    } finally {
      prom.kill('SIGTERM');
      await new Promise((r) => (prom.exitCode !== null ? r(null) : prom.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
