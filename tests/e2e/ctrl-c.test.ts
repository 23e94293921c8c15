/**
 * Ctrl-C on `pnpm start` (issue 11.14): a terminal sends SIGINT to the whole foreground process
 * group — pnpm, the script's shell, tsx, start.ts — at once. The stack must stop cleanly: exit 0,
 * no "ELIFECYCLE Command failed" from pnpm, every service and the local redis-server gone. The
 * same for SIGTERM to the group (a service manager's stop) and to pnpm alone (`kill`, `timeout`),
 * which needs the `exec` in package.json's start script: without it pnpm's `sh -c` dies of the
 * SIGTERM, pnpm reports ELIFECYCLE and exits 143, and start.ts runs on, orphaned. Real
 * `pnpm start`, its own redis-server (data in a temp dir), free ports.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../setup/redis-server.ts';
import { uniquePrefix } from '../setup/redis.ts';
import { ROOT, eventually, freePortRun, processGone, waitForHttp, watchProc, type Proc } from '../stack/proc.ts';

const hasPnpm = spawnSync('pnpm', ['--version']).status === 0;
const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
const dirs: string[] = [];
const groups: number[] = [];

afterAll(() => {
  for (const g of groups) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const gone = processGone;

/** `pnpm start` in a process group of its own, as a terminal runs it; resolves once it is up. */
async function pnpmStart(): Promise<{ p: Proc; pids: Map<string, number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lf-ctrlc-'));
  dirs.push(dir);
  const port = await freePort();
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    NO_COLOR: '1',
    // REDIS_URL='' overrides a developer's .env: start.ts then runs its own redis-server.
    REDIS_URL: '',
    PORT: String(port),
    METRICS_PORT: String(await freePortRun(2)),
    HOST: '127.0.0.1',
    FORWARD_PORT: '0',
    LOG_LEVEL: 'info',
    LOGFOREST_PREFIX: uniquePrefix('ctrlc'),
    TRAIN_INTERVAL_MS: '0',
    INGEST_TOKENS: '',
    ADMIN_TOKEN: '',
  };
  const proc = spawn('pnpm', ['start', '--', '--redis-dir', dir], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  groups.push(proc.pid as number);
  const p = watchProc(proc);
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, p, 120_000);
  await eventually('banner', async () => (p.output().includes('logforest is up.') ? true : undefined), 20_000);
  const pids = new Map([...p.output().matchAll(/([\w-]+) started \(pid (\d+)\)/g)].map((m) => [m[1] as string, Number(m[2])]));
  expect([...pids.keys()].sort()).toEqual(['ingest', 'redis', 'trainer', 'worker']);
  return { p, pids };
}

describe.skipIf(!hasPnpm || !hasRedis)('pnpm start stops cleanly on a signal', () => {
  /** Signal pnpm's group (a terminal's Ctrl-C) or pnpm alone (`kill`, `timeout`); resolves with pnpm's exit once its whole group is gone. */
  async function stop(p: Proc, signal: NodeJS.Signals, target: 'group' | 'pnpm'): Promise<number | string> {
    const pid = p.proc.pid as number;
    process.kill(target === 'group' ? -pid : pid, signal);
    const how = await Promise.race([p.exited, new Promise<string>((r) => setTimeout(() => r('still running after 60 s'), 60_000))]);
    await eventually('the process group of pnpm to be gone', async () => (gone(-pid) ? true : undefined), 60_000);
    return how;
  }

  it.each([
    ['SIGINT', 'group'], // Ctrl-C in a terminal
    ['SIGTERM', 'group'], // a service manager stopping the control group
    ['SIGTERM', 'pnpm'], // kill <pid of pnpm>, timeout(1): the stack used to be left running, orphaned
  ] as const)('%s to the %s: pnpm exits 0, no ELIFECYCLE, services and redis-server stopped in order', async (signal, target) => {
    const { p, pids } = await pnpmStart();
    const how = await stop(p, signal, target);
    const out = p.output();
    expect(how, out.slice(-3000)).toBe(0);
    expect(out, out.slice(-3000)).not.toMatch(/ELIFECYCLE|Command failed/);
    expect(out).toContain(`stopping (${signal}): SIGTERM to ingest, worker, trainer`);
    expect(out).toMatch(/"msg":"ingest stopped"/);
    expect(out).toMatch(/"msg":"worker stopped"/);
    expect(out.indexOf('stopping redis-server')).toBeGreaterThan(out.indexOf('"msg":"ingest stopped"'));
    expect(out).toMatch(/start\s+\| stopped\n/); // start.ts's exit 0 path ("stopped after an error" is exit 1)
    for (const [name, pid] of pids) expect(gone(pid), `${name} (pid ${pid}) still running`).toBe(true);
  }, 240_000);
});
