/**
 * A persistent child process spoken to with one JSON line per command and one JSON line per
 * answer (the benchmark peers under bench/peers/ and bench/reference/). Start-up is paid once,
 * before anything is timed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface PeerAnswer {
  ok: boolean;
  error?: string;
  missing?: string;
  [k: string]: unknown;
}

export class LinePeer {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<(a: PeerAnswer) => void> = [];
  private exited: string | null = null;
  private stderr = '';

  constructor(command: string, args: string[]) {
    this.proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    const fail = (why: string) => {
      this.exited ??= why;
      for (const w of this.waiting.splice(0)) w({ ok: false, error: `${why}${this.stderr ? `: ${this.stderr.trim()}` : ''}` });
    };
    this.proc.on('error', (e) => fail(`${command} could not start (${e.message})`));
    this.proc.on('exit', (code, signal) => fail(`${command} exited (${signal ?? code})`));
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      const w = this.waiting.shift();
      if (!w) return;
      try {
        w(JSON.parse(line) as PeerAnswer);
      } catch {
        w({ ok: false, error: `unreadable answer: ${line.slice(0, 200)}` });
      }
    });
  }

  /** Send one command; resolves with the answer (ok false on an error or a dead child). */
  ask(cmd: Record<string, unknown>): Promise<PeerAnswer> {
    if (this.exited) return Promise.resolve({ ok: false, error: this.exited });
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.proc.stdin.write(`${JSON.stringify(cmd)}\n`);
    });
  }

  /** Like `ask`, but throws on an error answer. */
  async must(cmd: Record<string, unknown>): Promise<PeerAnswer> {
    const a = await this.ask(cmd);
    if (!a.ok) throw new Error(`peer ${String(cmd['op'])}: ${a.error ?? a.missing ?? 'failed'}`);
    return a;
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.proc.stdin.end();
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(t);
  }
}
