/**
 * tools/start.ts beyond the happy path (tests/e2e/stack.test.ts has that). Redis: with no
 * REDIS_URL and no redis-server it prints one message and exits 1; with an unreachable REDIS_URL
 * it says so and exits 1; with a redis-server on PATH it runs its own (AOF in --redis-dir), stops
 * it last, and the data survives a restart. A child that dies stops the stack with exit 1.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startRedisServer } from '../setup/redis-server.ts';
import { testRedisUrl, uniquePrefix } from '../setup/redis.ts';
import { ROOT, eventually, freePortRun, spawnTs, waitForHttp, type Proc } from '../stack/proc.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'lf-start-redis-'));
const running: Proc[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop(30_000)));
  rmSync(dataDir, { recursive: true, force: true });
});

function start(env: Record<string, string>, args: string[] = []): Proc {
  // REDIS_URL='' overrides any REDIS_URL a developer's .env holds (loadEnvFile keeps set variables).
  const p = spawnTs({ entry: 'tools/start.ts', args, cwd: ROOT, env: { REDIS_URL: '', LOG_LEVEL: 'warn', FORWARD_PORT: '0', ...env } });
  running.push(p);
  return p;
}

describe('tools/start.ts without a usable Redis', () => {
  it('no REDIS_URL and no redis-server on PATH: one message on how to get Redis, exit 1', async () => {
    const p = start({ PATH: join(dataDir, 'no-such-bin'), PORT: String(await freePort()) });
    expect(await p.exited).toBe(1);
    const out = p.output();
    expect(out).toContain('apt-get install redis-server');
    expect(out).toContain('docker run -d -p 6379:6379 redis:7');
    expect(out).toContain('REDIS_URL=');
    expect(out.match(/logforest needs Redis/g)).toHaveLength(1);
    expect(out).not.toMatch(/started \(pid/);
  }, 30_000);

  it('an unreachable REDIS_URL: says which (password hidden), exit 1', async () => {
    const port = await freePort();
    const p = start({ REDIS_URL: `redis://:s3cret-pw@127.0.0.1:${port}`, PORT: String(await freePort()) });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain(`cannot reach Redis at REDIS_URL=redis://:%5Bredacted%5D@127.0.0.1:${port}`);
    expect(p.output()).not.toContain('s3cret-pw');
  }, 30_000);
});

describe('tools/start.ts with REDIS_URL and REDIS_PASSWORD', () => {
  it('checks the Redis with the password the services use (not only the URL), then starts', async () => {
    const secured = await startRedisServer({ args: ['--requirepass', 'start-pw-8c2d'] });
    try {
      const wrong = start({ REDIS_URL: secured.url, REDIS_PASSWORD: 'not-it-77', PORT: String(await freePort()) });
      expect(await wrong.exited).toBe(1);
      expect(wrong.output()).toMatch(/cannot reach Redis at REDIS_URL=redis:\/\/127\.0\.0\.1:\d+: WRONGPASS/);
      expect(wrong.output()).not.toContain('not-it-77');

      const port = await freePort();
      const p = start({ REDIS_URL: secured.url, REDIS_PASSWORD: 'start-pw-8c2d', PORT: String(port), METRICS_PORT: String(await freePortRun(2)), HOST: '127.0.0.1', FORWARD_PORT: '0', LOGFOREST_PREFIX: uniquePrefix('pw'), TRAIN_INTERVAL_MS: '0' });
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, p, 90_000);
      expect(p.output()).toContain(`using Redis at ${secured.url}`);
      expect(p.output()).not.toContain('start-pw-8c2d');
      expect(await p.stop(45_000)).toBe(0);
    } finally {
      await secured.stop();
    }
  }, 150_000);
});

describe('tools/start.ts with its own redis-server', () => {
  const prefix = uniquePrefix('local');

  async function up(): Promise<{ p: Proc; url: string; pids: Map<string, number> }> {
    const port = await freePort();
    const metricsBase = await freePortRun(2);
    const p = start({ PORT: String(port), METRICS_PORT: String(metricsBase), HOST: '127.0.0.1', LOG_LEVEL: 'info', LOGFOREST_PREFIX: prefix, TRAIN_INTERVAL_MS: '0', TRAIN_MIN_EVENTS: '100000', INGEST_TOKENS: '', ADMIN_TOKEN: '' }, ['--redis-dir', dataDir]);
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, p, 90_000);
    await eventually('banner', async () => (p.output().includes('logforest is up.') ? true : undefined), 10_000);
    const url = /redis started \(pid \d+\) on (redis:\/\/127\.0\.0\.1:\d+)/.exec(p.output())?.[1] as string;
    const pids = new Map([...p.output().matchAll(/([\w-]+) started \(pid (\d+)\)/g)].map((m) => [m[1] as string, Number(m[2])]));
    expect(p.output()).toContain(`(local redis-server, data in ${dataDir}`);
    expect(p.output()).toContain('every route is open');
    // The first ingest: one event, accepted by the local Redis.
    const res = await fetch(`http://127.0.0.1:${port}/ingest/jboss`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '2024-05-06 10:15:02,123 INFO  [org.jboss.as.server] (Controller Boot Thread) WFLYSRV0025: started\n' });
    expect(res.status).toBe(202);
    return { p, url, pids };
  }

  it('runs redis-server with AOF in --redis-dir, stops it after the services, and keeps the data', async () => {
    const first = await up();
    expect([...first.pids.keys()].sort()).toEqual(['ingest', 'redis', 'trainer', 'worker']);
    const r1 = new Redis(first.url);
    const jobKeys = (await r1.keys(`${prefix}:score:*`)).filter((k) => /:score:[^:]+$/.test(k) && !/:(id|meta|events|wait|delayed|active|marker|paused|completed|failed|prioritized|stalled-check|pc)$/.test(k));
    await r1.quit();
    expect(jobKeys.length).toBeGreaterThan(0);
    expect(readdirSync(dataDir)).toContain('appendonlydir');

    expect(await first.p.stop(45_000)).toBe(0);
    for (const [name, pid] of first.pids) expect(() => process.kill(pid, 0), `${name} still running`).toThrow();
    const out = first.p.output();
    const redisStop = out.indexOf('stopping redis-server');
    expect(redisStop).toBeGreaterThan(out.indexOf('"msg":"ingest stopped"'));
    expect(redisStop).toBeGreaterThan(out.indexOf('"msg":"worker stopped"'));
    expect(out.indexOf('"msg":"ingest stopped"')).toBeGreaterThan(0);

    // Same directory again: the queued job is still there.
    const second = await up();
    const r2 = new Redis(second.url);
    for (const k of jobKeys) expect(await r2.exists(k), k).toBe(1);
    await r2.quit();
    expect(await second.p.stop(45_000)).toBe(0);
  }, 240_000);
});

describe('tools/start.ts when a child dies', () => {
  it('a SIGKILLed worker: the others get SIGTERM and stop, start exits 1', async () => {
    const port = await freePort();
    const p = start({ REDIS_URL: testRedisUrl(), LOGFOREST_PREFIX: uniquePrefix('die'), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', TRAIN_INTERVAL_MS: '0' }, ['--workers', '2']);
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, p, 90_000);
    await eventually('banner', async () => (p.output().includes('logforest is up.') ? true : undefined), 10_000);
    const pids = new Map([...p.output().matchAll(/([\w-]+) started \(pid (\d+)\)/g)].map((m) => [m[1] as string, Number(m[2])]));
    expect([...pids.keys()].sort()).toEqual(['ingest', 'trainer', 'worker-1', 'worker-2']);
    process.kill(pids.get('worker-2') as number, 'SIGKILL');
    expect(await p.exited).toBe(1);
    for (const [name, pid] of pids) expect(() => process.kill(pid, 0), `${name} still running`).toThrow();
    const out = p.output();
    expect(out).toContain('worker-2 exited unexpectedly (SIGKILL)');
    expect(out).toContain('stopping (worker-2 died): SIGTERM to ingest, worker-1, trainer');
    expect(out).toMatch(/ingest\s+\| .*"msg":"ingest stopped"/);
    expect(out).toMatch(/worker-1\s+\| .*"msg":"worker stopped"/);
    expect(out).toContain('stopped after an error');
  }, 120_000);
});
