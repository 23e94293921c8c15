/**
 * What a CLI command is: its name, arguments, options (with their help text), examples and a
 * run function. main.ts parses argv against these and prints help from them, so `--help` always
 * lists what a command really accepts. A new command is one file under commands/ and one entry
 * in commands/index.ts.
 */
import type { FeatureSetName } from '@logforest/core';
import { CliError } from './input.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Name of the value in help (`FILE`, `N`); string options only. */
  value?: string;
  /** May be given several times (values collected in order). */
  multiple?: boolean;
  help: string;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** Output of a command: one string, or chunks written in order (big outputs stream). */
export type Output = string | Iterable<string>;

export interface CommandContext {
  /** Positional arguments after the command name. */
  args: string[];
  values: OptionValues;
  /** Everything after the command name, as given (already checked against the options). */
  argv: string[];
}

export interface Command {
  name: string;
  /** Positional arguments as shown in usage, e.g. `<file|->`. */
  args: string;
  /** How many positional arguments it takes. */
  arity: [min: number, max: number];
  /** One line for the command list. */
  summary: string;
  /** What it does, in a few lines, for `logforest <command> --help`. */
  description: string;
  options: Record<string, OptionSpec>;
  examples: string[];
  /** Does the work (errors as CliError) and returns the text for stdout. */
  run(ctx: CommandContext): Output;
}

// ---- options shared by several commands -------------------------------------------------------

export const quietOption: Record<string, OptionSpec> = {
  quiet: { type: 'boolean', short: 'q', help: 'no progress on stderr (errors are still printed)' },
};
export const modelOption = (help: string): Record<string, OptionSpec> => ({
  model: { type: 'string', short: 'm', value: 'FILE', help },
});
export const outputOption = (help: string): Record<string, OptionSpec> => ({
  output: { type: 'string', short: 'o', value: 'FILE', help },
});
export const formatOptions = (what: string): Record<string, OptionSpec> => ({
  json: { type: 'boolean', help: `${what} as one JSON array` },
  ndjson: { type: 'boolean', help: `${what} as JSON lines, one object per line` },
});
export const featureSetOption = (help: string): Record<string, OptionSpec> => ({
  'feature-set': { type: 'string', value: 'NAME', help },
});
export const contaminationOption: Record<string, OptionSpec> = {
  contamination: { type: 'string', value: 'X', help: 'expected share of anomalies, in (0, 0.5] or "auto" (default 0.01); sets the threshold' },
};

// ---- value readers ----------------------------------------------------------------------------

export const str = (v: OptionValues, k: string): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
export const flag = (v: OptionValues, k: string): boolean => v[k] === true;

export function format(v: OptionValues): 'table' | 'json' | 'ndjson' {
  if (flag(v, 'json') && flag(v, 'ndjson')) throw new CliError('choose one of --json and --ndjson', 2);
  return flag(v, 'json') ? 'json' : flag(v, 'ndjson') ? 'ndjson' : 'table';
}

export function contamination(v: OptionValues): number | 'auto' {
  const s = str(v, 'contamination');
  if (s === undefined) return 0.01;
  if (s === 'auto') return 'auto';
  const x = Number(s);
  if (s.trim() === '' || !Number.isFinite(x) || x <= 0 || x > 0.5) throw new CliError(`--contamination must be "auto" or a number in (0, 0.5], got "${s}"`, 2);
  return x;
}

export function featureSets(v: OptionValues, fallback: string): FeatureSetName[] {
  const names = (str(v, 'feature-set') ?? fallback).split(',').map((s) => s.trim());
  for (const n of names) if (n !== 'seed' && n !== 'default') throw new CliError(`unknown feature set "${n}" (known: seed, default)`, 2);
  return names as FeatureSetName[];
}

export function positiveInt(v: OptionValues, k: string, fallback: number): number {
  const s = str(v, k);
  if (s === undefined) return fallback;
  const n = Number(s);
  if (!/^\d+$/.test(s.trim()) || !Number.isSafeInteger(n) || n <= 0) throw new CliError(`--${k} must be a positive integer, got "${s}"`, 2);
  return n;
}
