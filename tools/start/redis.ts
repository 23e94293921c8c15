/**
 * Redis for `pnpm start`: check the one REDIS_URL names, or run a local redis-server whose data
 * lives under `.data/redis/` in the project (AOF on, so a restart keeps models and queued work).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';

/** The message printed when there is no Redis at all. */
export const NO_REDIS_MESSAGE = [
  'logforest needs Redis: REDIS_URL is not set and there is no redis-server on PATH.',
  'Pick one, then run `pnpm start` again:',
  '  sudo apt-get install redis-server        # Debian/Ubuntu: pnpm start then runs its own redis-server',
  '  docker run -d -p 6379:6379 redis:7       # then: REDIS_URL=redis://127.0.0.1:6379 pnpm start',
  '  REDIS_URL=redis://host:6379 pnpm start   # an existing Redis (also settable in .env)',
].join('\n');

/** Absolute path of `name` on PATH, or undefined. */
export function which(name: string, path = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** True when something accepts connections on 127.0.0.1:port. */
export async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A port nothing listens on (the OS picks it). */
export async function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * PING the Redis at `url`, with the credentials and TLS of `auth` (REDIS_USERNAME,
 * REDIS_PASSWORD, REDIS_TLS*, as the services use them); resolves with an error text, or
 * undefined when it answered.
 */
export async function pingRedis(url: string, timeoutMs = 5000, auth: RedisOptions = {}): Promise<string | undefined> {
  const redis = new Redis(url, { ...auth, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // The connection error says why (e.g. WRONGPASS); the rejection only "Connection is closed".
  let cause: Error | undefined;
  redis.on('error', (err: Error) => (cause ??= err));
  try {
    await redis.connect();
    const pong = await redis.ping();
    return pong === 'PONG' ? undefined : `unexpected answer ${pong}`;
  } catch (err) {
    return (cause ?? (err as Error)).message;
  } finally {
    redis.disconnect();
  }
}

export interface LocalRedis {
  url: string;
  port: number;
  dir: string;
  proc: ChildProcess;
}

/** Pid of a redis-server from an earlier run that still uses `dir`, if any. */
function staleServer(dir: string): number | undefined {
  const pidFile = join(dir, 'redis.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    const cmd = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : 'redis';
    return cmd.includes('redis') ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Start `binary` on 127.0.0.1 (port 6379 when free, else any free port) with AOF in `dir`.
 * Resolves once it accepts commands; its output goes to `onLine`. `onSpawn` gets the process at
 * once, so a caller stopping early can stop it too.
 */
export async function startLocalRedis(
  binary: string,
  dir: string,
  onLine: (line: string) => void,
  onSpawn: (proc: ChildProcess) => void = () => undefined,
): Promise<LocalRedis> {
  mkdirSync(dir, { recursive: true });
  const stale = staleServer(dir);
  if (stale !== undefined) {
    throw new Error(`a redis-server from an earlier run (pid ${stale}) still uses ${dir}; stop it (kill ${stale}) or set REDIS_URL`);
  }
  const port = (await portFree(6379)) ? 6379 : await anyFreePort();
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--pidfile', join(dir, 'redis.pid'),
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no',
  ];
  // Its own process group: a terminal's Ctrl-C reaches only start.ts, which stops Redis last.
  const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  onSpawn(proc);
  const url = `redis://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    let tail = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within 15 s:\n${tail}`)), 15_000);
    function fail(err: Error): void {
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(err);
    }
    const onData = (d: Buffer): void => {
      const text = d.toString();
      tail = (tail + text).slice(-2000);
      for (const line of text.split('\n')) if (line.trim()) onLine(line);
      if (text.includes('Ready to accept connections')) {
        clearTimeout(timer);
        proc.removeListener('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null): void => fail(new Error(`redis-server exited with ${code}:\n${tail}`));
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('error', (err) => fail(err));
    proc.once('exit', onExit);
  });
  return { url, port, dir, proc };
}
