/**
 * Load a service's configuration from environment variables, validated by a zod schema.
 *
 * Every bad variable is reported at once, each with the rule it broke, so an operator fixes a
 * broken deployment in one go instead of one restart per typo. Values of secret-looking
 * variables are never echoed back.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { isSecretName, redactUrl } from './redact.ts';

/** Environment as Node exposes it (`process.env`). */
export type Env = Record<string, string | undefined>;

/** One variable that failed validation. */
export interface ConfigIssue {
  /** Environment variable name (or `(config)` for a cross-field rule). */
  variable: string;
  message: string;
}

/** Thrown by {@link loadConfig}; `message` lists every problem, one per line. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    const lines = issues.map((i) => `  - ${i.variable}: ${i.message}`);
    super(`invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/**
 * Parse `env` with `schema` (a `z.object` whose keys are variable names).
 * Empty or blank values count as unset, so `FOO=` in a `.env` file or a compose file selects the
 * default instead of failing.
 *
 * @throws ConfigError listing every invalid variable.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  const cleaned: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') cleaned[name] = value;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const issues: ConfigIssue[] = result.error.issues.map((issue) => {
    const variable = issue.path.length > 0 ? String(issue.path[0]) : '(config)';
    const raw = cleaned[variable];
    let shown = '';
    if (raw !== undefined) {
      shown = isSecretName(variable) ? ' (value hidden)' : ` (got ${JSON.stringify(redactUrl(raw).slice(0, 200))})`;
    }
    return { variable, message: `${issue.message}${shown}` };
  });
  throw new ConfigError(issues);
}

/**
 * Load `path` (default `.env` in the working directory) into `process.env` when the file exists.
 * Variables already set in the environment win over the file (Node's `process.loadEnvFile`).
 *
 * @returns the absolute path loaded, or undefined when there is no such file.
 */
export function loadEnvFile(path = '.env'): string | undefined {
  const abs = resolve(path);
  if (!existsSync(abs)) return undefined;
  process.loadEnvFile(abs);
  return abs;
}
