/**
 * The processes of the end-to-end bench: the services as the production image runs them
 * (`node services/<name>/dist/main.js`, the esbuild bundles of tools/build-service.mjs, rebuilt
 * first when a source changed), each in a fresh empty working directory (no developer `.env`),
 * and what /proc says about any pid: resident set (peak, sampled) and CPU time (utime + stime).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, watchProc, type Proc } from '../../tests/stack/proc.ts';

export type ServiceName = 'ingest' | 'worker';

/** Rebuild the bundles whose sources changed (unchanged output files are left alone). */
export function buildServices(names: ServiceName[]): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'tools/build-service.mjs'), ...names.map((n) => `services/${n}`)], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tools/build-service.mjs failed (${r.status ?? r.signal}):\n${r.stderr}${r.stdout}`);
}

const tempDirs: string[] = [];

/** A fresh temporary directory, removed by {@link removeTempDirs}. */
export function tempDir(label: string): string {
  const d = mkdtempSync(join(tmpdir(), `lf-bench-${label}-`));
  tempDirs.push(d);
  return d;
}

/** Remove every directory {@link tempDir} made (working directories, CPU profiles). */
export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** `node [nodeArgs] services/<name>/dist/main.js` (or `entry`) with exactly `env` (plus PATH and HOME). */
export function spawnService(name: ServiceName, env: Record<string, string>, nodeArgs: string[] = [], entry = join(ROOT, 'services', name, 'dist/main.js')): Proc {
  const cwd = tempDir(name);
  const full = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1', ...env };
  const proc = spawn(process.execPath, [...nodeArgs, entry], { cwd, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  return watchProc(proc);
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on every Linux this runs on). */
const HZ = 100;

/** CPU seconds (user + system) a process has used so far; NaN when /proc cannot tell. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) "
    return (Number(fields[11]) + Number(fields[12])) / HZ; // utime, stime (fields 14 and 15)
  } catch {
    return Number.NaN;
  }
}

/** Resident set of a process in bytes; NaN when /proc cannot tell. */
export function rssBytes(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Peak resident set of each named pid, sampled every 100 ms. */
export function watchRss(pids: () => Record<string, number | undefined>): { peak: Record<string, number>; stop(): Record<string, number> } {
  const peak: Record<string, number> = {};
  const sample = () => {
    for (const [name, pid] of Object.entries(pids())) {
      const rss = rssBytes(pid);
      if (Number.isFinite(rss)) peak[name] = Math.max(peak[name] ?? 0, rss);
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    peak,
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/** CPU seconds of each named pid now. */
export function cpuSnapshot(pids: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, cpuSeconds(pid)]));
}

/** The 1, 5 and 15 minute load averages. */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}
