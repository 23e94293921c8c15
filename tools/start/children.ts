/**
 * Child processes of `pnpm start`: spawned in their own process group (so only start.ts decides
 * when they stop), their output relayed line by line behind a name prefix, and stopped with
 * SIGTERM, then SIGKILL after a grace period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

const COLOURS = [36, 33, 35, 32, 34, 91, 96, 93, 95, 92];

export interface Output {
  /** Write one line with `name`'s prefix. */
  line(name: string, text: string, stream?: 'out' | 'err'): void;
  /** Register a name (fixes its colour and the prefix width). */
  add(name: string): void;
}

/** Prefixed, line-buffered output; colours only when stdout is a terminal (and NO_COLOR unset). */
export function createOutput(colour = Boolean(process.stdout.isTTY) && !process.env['NO_COLOR']): Output {
  const names: string[] = [];
  let width = 7;
  return {
    add(name) {
      if (!names.includes(name)) names.push(name);
      width = Math.max(width, name.length);
    },
    line(name, text, stream = 'out') {
      const i = names.indexOf(name);
      const label = name.padEnd(width);
      const prefix = colour && i >= 0 ? `\x1b[${COLOURS[i % COLOURS.length]}m${label} |\x1b[0m` : `${label} |`;
      (stream === 'err' ? process.stderr : process.stdout).write(`${prefix} ${text}\n`);
    },
  };
}

/** Relay every complete line of `stream` to `out`. */
export function relayLines(stream: Readable | null, onLine: (line: string) => void): void {
  if (!stream) return;
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  rl.on('line', onLine);
}

export interface Child {
  name: string;
  proc: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string>;
  /** Set by stop(): the exit was asked for. */
  stopping: boolean;
}

export interface SpawnOptions {
  name: string;
  /** Executable (default: this Node). */
  command?: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: Output;
}

/** Start one child; its stdout/stderr lines are relayed with its name as prefix. */
export function spawnChild(opts: SpawnOptions): Child {
  opts.out.add(opts.name);
  const proc = spawn(opts.command ?? process.execPath, opts.args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  relayLines(proc.stdout, (l) => opts.out.line(opts.name, l));
  relayLines(proc.stderr, (l) => opts.out.line(opts.name, l, 'err'));
  return adopt(opts.name, proc);
}

/** Track an already spawned process (e.g. the local redis-server) as a Child. */
export function adopt(name: string, proc: ChildProcess): Child {
  const exited = new Promise<number | string>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve(proc.exitCode ?? proc.signalCode ?? 0);
    proc.once('exit', (code, signal) => resolve(code ?? signal ?? 0));
    proc.once('error', () => resolve(-1));
  });
  return { name, proc, exited, stopping: false };
}

export function alive(child: Child): boolean {
  return child.proc.exitCode === null && child.proc.signalCode === null && child.proc.pid !== undefined;
}

/**
 * SIGTERM `child`; SIGKILL it when it is still running after `graceMs`.
 * Resolves with how it ended: `'exited'` within the grace period or `'killed'`.
 */
export async function stopChild(child: Child, graceMs: number): Promise<'exited' | 'killed'> {
  child.stopping = true;
  if (!alive(child)) return 'exited';
  child.proc.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    child.exited.then(() => 'exited' as const),
    new Promise<'killed'>((resolve) => {
      timer = setTimeout(() => resolve('killed'), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (outcome === 'killed') {
    child.proc.kill('SIGKILL');
    await child.exited;
  }
  return outcome;
}

/** SIGKILL every child still running (last resort when start.ts itself is exiting). */
export function killAll(children: readonly Child[]): void {
  for (const c of children) {
    if (alive(c)) {
      try {
        c.proc.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
