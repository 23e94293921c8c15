/**
 * Small shared pieces of the fault harness: sleeping, polling, number formatting, markdown
 * tables, percentiles, and the `--quick` flag every scenario script understands.
 */
import { parseArgs } from 'node:util';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `check` until it returns something other than undefined; undefined after `timeoutMs`. */
export async function pollUntil<T>(check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch {
      // not yet (Redis away, process starting): try again
    }
    if (Date.now() >= deadline) return undefined;
    await sleep(everyMs);
  }
}

export function fmt(n: number | undefined, digits = 0): string {
  if (n === undefined || !Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export const mib = (bytes: number | undefined): string => fmt(bytes === undefined ? undefined : bytes / 2 ** 20, 0);
export const secs = (ms: number | undefined): string => fmt(ms === undefined ? undefined : ms / 1000, 1);

/** Nearest-rank percentile of an ascending array. */
export function pct(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))] as number;
}

/** A markdown table. */
export function table(head: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>, align?: readonly ('l' | 'r')[]): string {
  const sep = head.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** One checked property of a run: what must hold, what was seen, whether it held. */
export interface Check {
  what: string;
  ok: boolean;
  seen: string;
}

export function checksTable(checks: readonly Check[]): string {
  return table(['invariant', 'seen', 'holds'], checks.map((c) => [c.what, c.seen, c.ok ? 'yes' : '**NO**']), ['l', 'l', 'l']);
}

export interface ScenarioFlags {
  quick: boolean;
  /** Extra `--name value` options, as strings. */
  values: Record<string, string | undefined>;
}

/** `--quick` plus any `--<name> <value>` options a scenario declares. */
export function scenarioFlags(names: readonly string[] = []): ScenarioFlags {
  const options: Record<string, { type: 'string' } | { type: 'boolean' }> = { quick: { type: 'boolean' } };
  for (const n of names) options[n] = { type: 'string' };
  const { values } = parseArgs({ options, allowPositionals: false, strict: true });
  const out: Record<string, string | undefined> = {};
  for (const n of names) out[n] = values[n] as string | undefined;
  return { quick: values['quick'] === true, values: out };
}

/** A number option, or `fallback`. */
export function numberFlag(flags: ScenarioFlags, name: string, fallback: number): number {
  const raw = flags.values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

/** Run a scenario script: print its markdown, exit 1 when a check failed (2 on a crash). */
export async function runScenario(run: () => Promise<{ markdown: string; checks: readonly Check[] }>): Promise<void> {
  try {
    const { markdown, checks } = await run();
    process.stdout.write(`${markdown.trimEnd()}\n`);
    const failed = checks.filter((c) => !c.ok);
    for (const c of failed) process.stderr.write(`invariant failed: ${c.what} (seen: ${c.seen})\n`);
    process.exitCode = failed.length > 0 ? 1 : 0;
  } catch (err) {
    process.stderr.write(`scenario crashed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 2;
  }
}
