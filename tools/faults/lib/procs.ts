/**
 * Processes the fault scenarios start, kill and watch: logforest services (`node --import tsx
 * services/<svc>/src/main.ts`, so a SIGKILL hits the real process), a redis-server with AOF that
 * can be killed and started again on the same port and directory, and a /proc RSS sampler.
 * Everything here is only ever signalled by the PID this harness got when it spawned it.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startRedisServer, type RedisHandle } from '../../../tests/setup/redis-server.ts';
import { spawnTs, type Proc } from '../../../tests/stack/proc.ts';
import { sleep } from './util.ts';

export type Service = 'ingest' | 'worker' | 'trainer';

/**
 * Every process this harness started and that may still run. When the harness is told to stop
 * (SIGTERM/SIGINT from the runner's time limit or a person) or exits, each one still alive is
 * SIGKILLed by its PID, so no redis-server or service outlives the scenario.
 */
const started = new Set<ChildProcess>();
let guarded = false;

function reap(): void {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

export function track(child: ChildProcess): void {
  started.add(child);
  child.once('exit', () => started.delete(child));
  if (guarded) return;
  guarded = true;
  process.once('exit', reap);
  if (process.env['VITEST']) return; // vitest owns its workers' signals; the exit hook is enough there
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      reap();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

export interface ServiceProc extends Proc {
  name: string;
  pid: number;
  startedAt: number;
}

export function spawnService(service: Service, name: string, env: Record<string, string>): ServiceProc {
  // An empty working directory of its own (no developer .env is read), removed when it exits.
  const cwd = mkdtempSync(join(tmpdir(), 'lf-faults-proc-'));
  const p = spawnTs({ entry: `services/${service}/src/main.ts`, env, cwd });
  p.proc.once('exit', () => rmSync(cwd, { recursive: true, force: true }));
  if (p.proc.pid === undefined) throw new Error(`could not start ${name}`);
  track(p.proc);
  return { ...p, name, pid: p.proc.pid, startedAt: Date.now() };
}

export const alive = (p: Proc): boolean => p.proc.exitCode === null && p.proc.signalCode === null;

/** SIGKILL the process we started (by its PID) and wait until it is gone. */
export async function killHard(p: Proc): Promise<void> {
  if (!alive(p)) return;
  p.proc.kill('SIGKILL');
  await p.exited;
}

/** Resident set size of a PID in bytes, from /proc (undefined when gone or not Linux). */
export function rssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** A redis-server whose data survives a kill: same port, same directory, AOF on. */
export interface DurableRedis {
  url: string;
  port: number;
  dir: string;
  fsync: 'always' | 'everysec';
  current(): RedisHandle;
  /** Kill it (SIGKILL = crash, SIGTERM = clean shutdown), resolving once it is gone. */
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Start it again on the same port and directory (replays the AOF); resolves when it accepts connections. */
  restart(): Promise<void>;
  /** Stop it and remove the directory. */
  close(): Promise<void>;
}

export async function startDurableRedis(fsync: 'always' | 'everysec'): Promise<DurableRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'lf-faults-redis-'));
  const port = await freePort();
  const args = ['--appendonly', 'yes', '--appendfsync', fsync, '--save', ''];
  let handle = await startRedisServer({ dir, port, args });
  track(handle.proc);
  const gone = (h: RedisHandle): boolean => h.proc.exitCode !== null || h.proc.signalCode !== null;
  const waitGone = (h: RedisHandle): Promise<void> =>
    gone(h) ? Promise.resolve() : new Promise<void>((r) => h.proc.once('exit', () => r()));
  return {
    url: handle.url,
    port,
    dir,
    fsync,
    current: () => handle,
    async kill(signal) {
      if (gone(handle)) return;
      const exit = waitGone(handle);
      handle.proc.kill(signal);
      const timer = signal === 'SIGTERM' ? setTimeout(() => handle.proc.kill('SIGKILL'), 15_000) : undefined;
      await exit;
      clearTimeout(timer);
    },
    async restart() {
      // The port may linger for a moment after a kill: try a few times.
      for (let attempt = 0; ; attempt++) {
        try {
          handle = await startRedisServer({ dir, port, args });
          track(handle.proc);
          return;
        } catch (err) {
          if (attempt >= 20) throw err;
          await sleep(100);
        }
      }
    },
    async close() {
      if (!gone(handle)) {
        const exit = waitGone(handle);
        handle.proc.kill('SIGTERM');
        const timer = setTimeout(() => handle.proc.kill('SIGKILL'), 10_000);
        await exit;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plain throw-away redis-server (no persistence) for scenarios that do not restart it. */
export async function startScratchRedis(): Promise<{ url: string; pid: number | undefined; close(): Promise<void> }> {
  const h = await startRedisServer();
  track(h.proc);
  return {
    url: h.url,
    pid: h.proc.pid,
    async close() {
      if (h.proc.exitCode === null && h.proc.signalCode === null) await h.stop();
      else rmSync(h.dir, { recursive: true, force: true });
    },
  };
}
