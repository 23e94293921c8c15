/**
 * Start and stop a throw-away redis-server process (tests, benchmarks, `pnpm start`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisHandle {
  url: string;
  port: number;
  dir: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RedisServerOptions {
  /** Directory for AOF/RDB files; a temp dir (removed on stop) when omitted. */
  dir?: string;
  port?: number;
  /** Extra redis-server arguments, e.g. ['--appendonly', 'yes', '--appendfsync', 'always']. */
  args?: string[];
  binary?: string;
  /** Own process group, so a terminal's Ctrl-C does not reach it (`pnpm start --cluster`). @defaultValue false */
  detached?: boolean;
}

export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisHandle> {
  const port = opts.port ?? (await freePort());
  const ownDir = !opts.dir;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'logforest-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...(opts.args ?? [])];
  const proc = spawn(opts.binary ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: opts.detached ?? false });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out.slice(-500)}`)), 10_000);
    proc.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`));
    });
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        proc.stdout?.off('data', onData);
        proc.stdout?.resume(); // keep draining redis' output so it never blocks on a full pipe
        proc.removeAllListeners('exit');
        resolve();
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.resume();
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    proc,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        await new Promise<void>((resolve) => {
          proc.once('exit', () => resolve());
          proc.kill('SIGTERM');
          setTimeout(() => proc.kill('SIGKILL'), 5_000).unref();
        });
      }
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
