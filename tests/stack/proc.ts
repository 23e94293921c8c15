/**
 * Real processes for the stack tests: a TypeScript entry file run with `node --import tsx` (what
 * `pnpm start` and the Docker image run), its output kept for failure messages, stopped with
 * SIGTERM and, when it does not exit in time, SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../setup/redis-server.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface Proc {
  proc: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it exited. */
  stop(graceMs?: number): Promise<number | string>;
}

export interface SpawnTsOptions {
  /** Entry file relative to the project root. */
  entry: string;
  args?: string[];
  /** The whole environment of the child (PATH and HOME are added). */
  env: Record<string, string>;
  /** Working directory; a fresh empty one by default (so no developer `.env` is read). */
  cwd?: string;
  /** Run `entry` (relative to `cwd` then) with plain node, without the tsx loader: compiled JavaScript. */
  plainNode?: boolean;
}

export function spawnTs(opts: SpawnTsOptions): Proc {
  const cwd = opts.cwd ?? mkdtempSync(join(tmpdir(), 'lf-proc-'));
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1', ...opts.env };
  const argv = opts.plainNode ? [join(cwd, opts.entry)] : ['--import', TSX, join(ROOT, opts.entry)];
  const proc = spawn(process.execPath, [...argv, ...(opts.args ?? [])], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watchProc(proc);
}

/** Keep a child's output (the last ~1 MB) and give it a SIGTERM-then-SIGKILL stop. */
export function watchProc(proc: ChildProcess, graceDefaultMs = 15_000): Proc {
  let out = '';
  const keep = (d: Buffer): void => {
    out += d.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | string>((res) => proc.once('exit', (code, signal) => res(code ?? signal ?? -1)));
  return {
    proc,
    output: () => out,
    exited,
    async stop(graceMs = graceDefaultMs) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(t);
      }
      return exited;
    },
  };
}

/** Poll `url` until it answers 2xx (or `proc` exits / the time is up: then throw with its output). */
export async function waitForHttp(url: string, proc: Proc, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.proc.exitCode !== null || proc.proc.signalCode !== null) {
      throw new Error(`process exited (${proc.proc.exitCode ?? proc.proc.signalCode}) before ${url} answered:\n${proc.output().slice(-4000)}`);
    }
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${proc.output().slice(-4000)}`);
}

/** Poll `check` every `everyMs` until it returns a value other than undefined. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

async function canListen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

/** A free port followed by `n - 1` free ports (for METRICS_PORT, which start.ts counts up from). */
export async function freePortRun(n: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await freePort();
    let ok = base + n - 1 <= 65535;
    for (let i = 1; ok && i < n; i++) ok = await canListen(base + i);
    if (ok) return base;
  }
  throw new Error(`no run of ${n} free ports found`);
}

export interface IngestProc {
  base: string;
  port: number;
  proc: Proc;
}

/** Start `services/ingest/src/main.ts` on 127.0.0.1 and a free port; resolves once /healthz answers. */
export async function startIngest(env: Record<string, string>): Promise<IngestProc> {
  const port = await freePort();
  const proc = spawnTs({ entry: 'services/ingest/src/main.ts', env: { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', FORWARD_PORT: '0', ...env } });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/healthz`, proc);
  return { base, port, proc };
}

/** True when no process (or, for a negative pid, no process group) answers signal 0. */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}
