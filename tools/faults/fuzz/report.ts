/** Small helpers the fuzz/adversarial/auth/model scenarios share: flags, figures, markdown tables. */
import { cpus, totalmem } from 'node:os';

export function hasFlag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

/** `--name value` or `--name=value`, else the fallback. */
export function flagValue(name: string, fallback: string): string {
  const argv = process.argv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === `--${name}`) return argv[i + 1] ?? fallback;
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return fallback;
}

export function numberFlag(name: string, fallback: number): number {
  const v = Number(flagValue(name, String(fallback)));
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number`);
  return v;
}

/** p in [0, 1] of unsorted values (sorts a copy). */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
}

export function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';
}

export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** One line describing the machine, for the report. */
export function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30, 0)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

/** Print the section and exit non-zero when an invariant failed. */
export function finish(title: string, body: string, failures: readonly string[]): never {
  const verdict = failures.length === 0 ? '**Invariant holds.**' : `**Invariant FAILED:**\n${failures.map((f) => `- ${f}`).join('\n')}`;
  process.stdout.write(`## ${title}\n\n${body}\n\n${verdict}\n\n`);
  process.exit(failures.length === 0 ? 0 : 1);
}

const cleanups = new Set<() => unknown>();
let installed = false;
let terminating = false;

/**
 * Run `fn` if the scenario is told to stop (the runner's time limit, Ctrl-C) — it stops what the
 * scenario started (redis-server, ingest processes) before the process exits. Returns an
 * unregister. Not installed under vitest, whose workers have their own life cycle.
 */
export function onStop(fn: () => unknown): () => void {
  cleanups.add(fn);
  if (!installed && !process.env['VITEST']) {
    installed = true;
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      process.on(sig, () => {
        if (terminating) return;
        terminating = true;
        void Promise.allSettled([...cleanups].map(async (f) => f())).finally(() => process.exit(1));
      });
    }
  }
  return () => cleanups.delete(fn);
}
