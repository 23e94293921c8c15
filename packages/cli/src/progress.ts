/** A progress line on stderr, only when stderr is a terminal (never in pipes, files or CI logs). */
export class Progress {
  private readonly enabled: boolean;
  private done_ = 0;
  private last = 0;

  constructor(private readonly label: string, private readonly total?: number) {
    this.enabled = Boolean(process.stderr.isTTY) && !process.env['CI'];
    this.draw(true);
  }

  tick(n: number): void {
    this.done_ += n;
    this.draw(false);
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    let line = `${this.label}…`;
    if (this.total) {
      const f = Math.min(1, this.done_ / this.total);
      const width = 30;
      const fill = Math.round(f * width);
      line = `${this.label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(f * 100).toFixed(0)}%`;
    }
    process.stderr.write(`\r${line}\x1b[K`);
  }

  done(): void {
    if (this.enabled) process.stderr.write('\r\x1b[K');
  }
}
