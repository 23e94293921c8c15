/**
 * The whole stack as `pnpm start` runs it (tools/start.ts: ingest, 2 workers, trainer) against
 * the test Redis: JBoss events in → cold-start model v1 → verdicts and anomalies out;
 * POST /retrain → v2 active and used by the running workers within seconds; POST
 * /models/v1/activate → rollback visible the same way; SIGTERM → every child process exits.
 *
 * Which model the workers score with is read from their own Prometheus counters
 * (`logforest_worker_verdicts_total{model_version}`, METRICS_PORT, which start.ts numbers per
 * worker) — every verdict counts there, not only the ones that happen to be anomalous.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../setup/redis-server.ts';
import { testRedisUrl, uniquePrefix } from '../setup/redis.ts';
import { ROOT, eventually, freePortRun, spawnTs, waitForHttp, type Proc } from '../stack/proc.ts';
import { failureEvents, ndjson, routineEvents } from './jboss-lines.ts';
import { apiCall, type ApiAnswer } from '../stack/http.ts';

const INGEST_TOKEN = 'e2e-ingest-token-5b8d';
const ADMIN_TOKEN = 'e2e-admin-token-c41e';
const prefix = uniquePrefix('e2e');
let port: number;
let metricsBase: number;
let base: string;
let stack: Proc;
let redis: Redis;

const api = <T>(method: string, path: string, opts: { token?: string; body?: string; type?: string } = {}): Promise<ApiAnswer<T>> =>
  apiCall<T>(base, method, path, { ...opts, token: opts.token ?? INGEST_TOKEN });

async function ingest(events: readonly string[], host: string): Promise<void> {
  const r = await api<{ accepted: number }>('POST', '/ingest/jboss', { body: ndjson(events, host), type: 'application/x-ndjson' });
  expect(r.status).toBe(202);
  expect(r.body.accepted).toBe(events.length);
}

/** Events the workers have scored so far (the totals hash of this deployment). */
async function scored(): Promise<number> {
  return Number((await redis.hget(`${prefix}:totals`, 'records')) ?? 0);
}

interface Anomaly {
  host?: string;
  model_version: string;
  log: string;
  is_anomaly: boolean;
}

/** Verdicts the two workers produced with `version`, from their /metrics endpoints. */
async function workerVerdicts(version: string): Promise<number> {
  let sum = 0;
  for (const p of [metricsBase, metricsBase + 1]) {
    const text = await (await fetch(`http://127.0.0.1:${p}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    for (const line of text.split('\n')) {
      const m = /^logforest_worker_verdicts_total\{([^}]*)\} (\d+)$/.exec(line);
      if (m && (m[1] as string).split(',').includes(`model_version="${version}"`)) sum += Number(m[2]);
    }
  }
  return sum;
}

/**
 * Post a fresh batch of routine events and wait until the workers have scored all of them with
 * `version` (and none with `other`); resolves with how long that took, ms.
 */
async function scoredWith(version: string, other: string, seed: number): Promise<number> {
  const [before, otherBefore] = [await workerVerdicts(version), await workerVerdicts(other)];
  const t0 = Date.now();
  await ingest(routineEvents(100, seed), `probe-${version}-${seed}`);
  await eventually(`100 verdicts by ${version}`, async () => ((await workerVerdicts(version)) >= before + 100 ? true : undefined), 20_000);
  expect(await workerVerdicts(other)).toBe(otherBefore);
  const took = Date.now() - t0;
  const flagged = await api<{ items: Anomaly[] }>('GET', `/anomalies?host=probe-${version}-${seed}&limit=1000`);
  for (const a of flagged.body.items) expect(a.model_version).toBe(version);
  return took;
}

async function activeModel(): Promise<string | null> {
  const r = await api<{ active: string | null }>('GET', '/models');
  return r.status === 200 ? r.body.active : null;
}

beforeAll(async () => {
  redis = new Redis(testRedisUrl());
  port = await freePort();
  metricsBase = await freePortRun(3);
  base = `http://127.0.0.1:${port}`;
  stack = spawnTs({
    entry: 'tools/start.ts',
    args: ['--workers', '2'],
    cwd: ROOT,
    env: {
      REDIS_URL: testRedisUrl(),
      LOGFOREST_PREFIX: prefix,
      PORT: String(port),
      HOST: '127.0.0.1',
      // Off: the default 24224 is one fixed port, and parallel test files would fight over it.
      FORWARD_PORT: '0',
      INGEST_TOKENS: INGEST_TOKEN,
      ADMIN_TOKEN,
      LOG_LEVEL: 'info',
      TRAIN_MIN_EVENTS: '300',
      TRAIN_INTERVAL_MS: '0',
      COLD_START_RETRY_MS: '500',
      MODEL_POLL_INTERVAL_MS: '1000',
      // 5%: the threshold sits inside the routine traffic's score range, so anomalies surely
      // appear (at 1% the top percentile of such regular data can be one tie group, none above it).
      CONTAMINATION: '0.05',
      METRICS_PORT: String(metricsBase),
    },
  });
  await waitForHttp(`${base}/healthz`, stack, 90_000);
  await eventually('the start banner', async () => (stack.output().includes('logforest is up.') ? true : undefined), 10_000);
}, 120_000);

afterAll(async () => {
  await stack?.stop(45_000);
  await redis?.quit();
});

describe('pnpm start: the whole stack', () => {
  it('prints where to send logs for the port in use, never the tokens', () => {
    const out = stack.output();
    expect(out).toContain(`ingest     http://127.0.0.1:${port}`);
    expect(out).toMatch(new RegExp(`Port\\s+${port}\\n`)); // Fluent Bit snippet
    expect(out).toContain(`hosts: ["http://127.0.0.1:${port}"]`); // Filebeat snippet
    expect(out).toContain(`endpoint http://127.0.0.1:${port}/ingest/jboss`); // Fluentd snippet
    expect(out).toContain('Authorization Bearer <one of INGEST_TOKENS>');
    expect(out).toContain(`http://127.0.0.1:${metricsBase + 1}/metrics  (worker-2)`);
    expect(out).toContain(`http://127.0.0.1:${metricsBase + 2}/metrics  (trainer)`);
    expect(out).toMatch(/ingest\s+\| .*"msg":"ingest listening"/);
    expect(out).not.toContain(INGEST_TOKEN);
    expect(out).not.toContain(ADMIN_TOKEN);
  });

  it('cold start: the first model is bootstrapped from ingested events, then anomalies appear', async () => {
    expect((await api('GET', '/readyz')).status).toBe(503);
    const routine = routineEvents(1500, 1);
    for (let i = 0; i < routine.length; i += 500) await ingest(routine.slice(i, i + 500), 'web-1');
    await eventually('model v1 active', async () => ((await activeModel()) === 'v1' ? true : undefined), 90_000, 500);
    await eventually('ingest ready with v1', async () => {
      const r = await api<{ checks: { model: string } }>('GET', '/readyz');
      return r.status === 200 && r.body.checks.model === 'v1' ? true : undefined;
    }, 15_000);
    await eventually('the 1500 parked events scored', async () => ((await scored()) >= 1500 ? true : undefined), 60_000, 500);
    expect(await workerVerdicts('v1')).toBeGreaterThanOrEqual(1500);

    // About CONTAMINATION of events like the training data score above the model's threshold.
    const anomalies = await api<{ items: Anomaly[] }>('GET', '/anomalies?limit=1000');
    expect(anomalies.status).toBe(200);
    expect(anomalies.body.items.length).toBeGreaterThan(0);
    for (const a of anomalies.body.items) expect(a).toMatchObject({ model_version: 'v1', is_anomaly: true, host: 'web-1' });

    // Loud failures with stack traces, each shipped as one line per record (no multiline
    // rule at the shipper): every failure still becomes ONE verdict.
    const failures = failureEvents(5, 'coldstart', 7);
    const lines = failures.flatMap((f) => f.split('\n'));
    const totals = async (): Promise<Record<string, string>> => redis.hgetall(`${prefix}:totals`);
    const t0 = await totals();
    await ingest(lines, 'db-1');
    const t1 = await eventually('the failures scored', async () => {
      const t = await totals();
      return Number(t['records']) >= Number(t0['records']) + lines.length ? t : undefined;
    }, 30_000);
    expect(Number(t1['events']) - Number(t0['events'])).toBe(failures.length);

    const analyzed = await api<{ model_version: string; verdicts: Array<{ log: string }> }>('POST', '/analyze?envelope=true', { body: JSON.stringify({ logs: [...routine.slice(0, 3), ...(failures[0] as string).split('\n')] }), type: 'application/json' });
    expect(analyzed.status).toBe(200);
    expect(analyzed.body).toMatchObject({ model_version: 'v1' });
    expect(analyzed.body.verdicts).toHaveLength(4);
    expect(analyzed.body.verdicts[3]?.log).toBe(failures[0]);
  }, 200_000);

  it('POST /retrain: v2 is trained, validated, activated, and the running workers score with it', async () => {
    // Fresh routine traffic, so the held-back (newest) slice of the sample is ordinary.
    const before = await scored();
    await ingest(routineEvents(800, 2), 'web-2');
    await eventually('new events scored', async () => ((await scored()) >= before + 800 ? true : undefined), 60_000, 500);
    expect(await workerVerdicts('v2')).toBe(0);

    expect((await api('POST', '/retrain', { token: INGEST_TOKEN })).status).toBe(403);
    const req = await api<{ job_id: string; status_url: string }>('POST', '/retrain', { token: ADMIN_TOKEN });
    expect(req.status).toBe(202);
    const done = await eventually(
      'the retrain job',
      async () => {
        const r = await api<{ state: string; result?: { version?: string; status: string; reasons?: string[] }; failedReason?: string }>('GET', req.body.status_url, { token: ADMIN_TOKEN });
        return r.body.state === 'completed' || r.body.state === 'failed' ? r.body : undefined;
      },
      90_000,
      500,
    );
    expect(done.state, JSON.stringify(done)).toBe('completed');
    expect(done.result).toMatchObject({ version: 'v2', status: 'active' });
    expect(await activeModel()).toBe('v2');
    const models = await api<{ models: Array<{ version: string; status: string; active: boolean }> }>('GET', '/models');
    expect(models.body.models.map((m) => [m.version, m.status]).sort()).toEqual([['v1', 'inactive'], ['v2', 'active']]);

    expect(await scoredWith('v2', 'v1', 22)).toBeLessThan(15_000);
  }, 200_000);

  it('POST /models/v1/activate rolls back: new batches are scored with v1 again', async () => {
    expect((await api('POST', '/models/v1/activate', { token: INGEST_TOKEN })).status).toBe(403);
    const r = await api<{ activated: string; previous: string }>('POST', '/models/v1/activate', { token: ADMIN_TOKEN });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ activated: 'v1', previous: 'v2' });
    expect(await activeModel()).toBe('v1');
    expect(await scoredWith('v1', 'v2', 33)).toBeLessThan(15_000);
    await eventually('ingest serving v1 again', async () => {
      const a = await api<{ model_version: string }>('POST', '/analyze?envelope=true', { body: JSON.stringify({ logs: ['x'] }), type: 'application/json' });
      return a.body.model_version === 'v1' ? true : undefined;
    }, 10_000);
  }, 120_000);

  it('SIGTERM stops every child, services first and Redis untouched, and start exits 0', async () => {
    const pids = [...stack.output().matchAll(/([\w-]+) started \(pid (\d+)\)/g)].map((m) => [m[1] as string, Number(m[2])] as const);
    expect(pids.map(([name]) => name).sort()).toEqual(['ingest', 'trainer', 'worker-1', 'worker-2']);
    for (const [, pid] of pids) expect(() => process.kill(pid, 0)).not.toThrow();
    const code = await stack.stop(45_000);
    expect(code, stack.output().slice(-3000)).toBe(0);
    for (const [name, pid] of pids) expect(() => process.kill(pid, 0), `${name} (pid ${pid}) still running`).toThrow();
    expect(stack.output()).toMatch(/worker-1\s+\| .*worker stopped/);
    expect(stack.output()).toMatch(/ingest\s+\| .*ingest stopped/);
    expect(await redis.ping()).toBe('PONG'); // an external REDIS_URL is not stopped
  }, 60_000);
});
