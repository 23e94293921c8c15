/**
 * Progress on stderr. On a terminal: a bar redrawn in place. Otherwise (pipes, files, CI logs):
 * a plain line every few seconds once a phase has run that long — events done, rate, ETA — so a
 * long run shows signs of life without cluttering short ones. `--quiet` turns both off.
 */
export interface ProgressOptions {
  quiet: boolean;
  /** Terminal mode (a redrawn bar) instead of periodic lines. */
  tty: boolean;
  /** Seconds between two plain lines (non-terminal mode). */
  intervalMs: number;
  write: (s: string) => void;
  now: () => number;
}

const defaults = (): ProgressOptions => ({
  quiet: false,
  tty: Boolean(process.stderr.isTTY) && !process.env['CI'],
  intervalMs: 3000,
  write: (s) => {
    process.stderr.write(s);
  },
  now: () => Date.now(),
});

let settings: ProgressOptions = defaults();
/** When the last plain line was written (or the run started): lines are at least intervalMs apart. */
let lastLine = settings.now();

/** Set by main.ts from the command line (--quiet) and by tests (clock, sink). */
export function configureProgress(o: Partial<ProgressOptions>): void {
  settings = { ...defaults(), ...o };
  lastLine = settings.now();
}

const num = (n: number) => Math.round(n).toLocaleString('en-US');
function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export class Progress {
  private readonly o = settings;
  private readonly started: number;
  private count = 0;
  private lastDraw = 0;
  /** A plain line was printed for this phase (so done() reports its end). */
  private spoke = false;

  constructor(private readonly label: string, private readonly total?: number, private readonly unit = 'lines') {
    this.started = this.o.now();
    this.update(true);
  }

  tick(n: number): void {
    this.count += n;
    this.update(false);
  }

  done(): void {
    if (this.o.quiet) return;
    if (this.o.tty) this.o.write('\r\x1b[K');
    else if (this.spoke) {
      const ms = this.o.now() - this.started;
      const rate = this.count > 0 && ms > 0 ? `, ${num((this.count * 1000) / ms)} ${this.unit}/s` : '';
      this.o.write(`logforest: ${this.label} done in ${duration(ms)}${this.count > 0 ? ` (${num(this.count)} ${this.unit}${rate})` : ''}\n`);
      lastLine = this.o.now();
    }
  }

  private update(first: boolean): void {
    if (this.o.quiet) return;
    const now = this.o.now();
    if (this.o.tty) {
      if (!first && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.o.write(`\r${this.bar()}\x1b[K`);
      return;
    }
    if (now - lastLine < this.o.intervalMs) return;
    lastLine = now;
    this.spoke = true;
    this.o.write(`logforest: ${this.line(now)}\n`);
  }

  private bar(): string {
    if (!this.total) return `${this.label}…`;
    const f = Math.min(1, this.count / this.total);
    const width = 30;
    const fill = Math.round(f * width);
    return `${this.label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(f * 100).toFixed(0)}%`;
  }

  /** `scoring 450,000/1,000,000 events (45%), 81,200 events/s, ETA 7s` */
  private line(now: number): string {
    const ms = now - this.started;
    if (!this.total || this.count === 0) return `${this.label}… (${duration(ms)})`;
    const rate = ms > 0 ? (this.count * 1000) / ms : 0;
    const pct = Math.min(100, (this.count / this.total) * 100).toFixed(0);
    const eta = rate > 0 ? `, ETA ${duration(((this.total - this.count) / rate) * 1000)}` : '';
    return `${this.label} ${num(this.count)}/${num(this.total)} ${this.unit} (${pct}%), ${num(rate)} ${this.unit}/s${eta}`;
  }
}
