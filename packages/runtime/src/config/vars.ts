/**
 * Builders for environment-variable schemas. Each takes the default the variable has when unset
 * and yields a zod schema with an operator-readable message for bad values.
 */
import { z } from 'zod';

type Range = { min?: number; max?: number };

function fail(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER as never;
}

/** A whole number in [min, max] (default range 0…MAX_SAFE_INTEGER). */
export function intVar(defaultValue: number, range: Range = {}) {
  const min = range.min ?? 0;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  return z
    .string()
    .optional()
    .transform((raw, ctx): number => {
      if (raw === undefined) return defaultValue;
      const s = raw.trim().replaceAll('_', '');
      const n = /^[+-]?\d+$/.test(s) ? Number(s) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max) return fail(ctx, `must be a whole number from ${min} to ${max}`);
      return n;
    });
}

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
};

/** A size in bytes: `1048576`, `512KiB`, `16MiB`, `1GiB` (binary), `10MB` (decimal). */
export function bytesVar(defaultValue: number, range: Range = {}) {
  const min = range.min ?? 1;
  const max = range.max ?? 2 ** 40;
  return z
    .string()
    .optional()
    .transform((raw, ctx): number => {
      if (raw === undefined) return defaultValue;
      // Trim first: with \s* at both ends the regexp was quadratic in a run of spaces.
      const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
      const unit = UNITS[(m?.[2] || 'b').toLowerCase()];
      const n = m && unit ? Math.floor(Number(m[1]) * unit) : Number.NaN;
      if (!Number.isFinite(n) || n < min || n > max) {
        return fail(ctx, `must be a size in bytes from ${min} to ${max}, e.g. 1048576, 512KiB, 16MiB`);
      }
      return n;
    });
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration, answered in ms: `300000` (ms), `500ms`, `30s`, `5m`, `1h`, `1d`. */
export function durationVar(defaultMs: number, range: Range = {}) {
  const min = range.min ?? 0;
  const max = range.max ?? 365 * 86_400_000;
  return z
    .string()
    .optional()
    .transform((raw, ctx): number => {
      if (raw === undefined) return defaultMs;
      const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/i.exec(raw.trim());
      const n = m ? Math.round(Number(m[1]) * (DURATION_UNITS[(m[2] ?? 'ms').toLowerCase()] ?? Number.NaN)) : Number.NaN;
      if (!Number.isFinite(n) || n < min || n > max) return fail(ctx, `must be a duration from ${min} ms to ${max} ms, e.g. 30s, 5m, 1h or 300000 (ms)`);
      return n;
    });
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** A boolean: 1/0, true/false, yes/no, on/off (case-insensitive). */
/**
 * A fraction: in [0, 1] (`inclusive`, the default) or in (0, 1) (`exclusive`).
 */
export function fractionVar(defaultValue: number, bounds: 'inclusive' | 'exclusive' = 'inclusive') {
  const open = bounds === 'exclusive';
  return z
    .string()
    .optional()
    .transform((raw, ctx): number => {
      if (raw === undefined) return defaultValue;
      const n = Number(raw.trim());
      if (!Number.isFinite(n) || (open ? n <= 0 || n >= 1 : n < 0 || n > 1)) {
        ctx.addIssue({ code: 'custom', message: open ? 'must be a number between 0 and 1 (exclusive)' : 'must be a number from 0 to 1' });
        return z.NEVER;
      }
      return n;
    });
}

export function boolVar(defaultValue: boolean) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): boolean => {
      if (raw === undefined) return defaultValue;
      const s = raw.trim().toLowerCase();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
      return fail(ctx, 'must be true or false (also 1/0, yes/no, on/off)');
    });
}

/** A comma-separated list; items are trimmed and empty items dropped. Unset → `[]`. */
export function listVar(options: { maxItemLength?: number } = {}) {
  const maxLen = options.maxItemLength ?? 4096;
  return z
    .string()
    .optional()
    .transform((raw, ctx): string[] => {
      const items = (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      if (items.some((s) => s.length > maxLen)) return fail(ctx, `items must be at most ${maxLen} characters`);
      return items;
    });
}

/** One of a fixed set of strings (compared case-insensitively, returned as listed). */
export function enumVar<const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number]) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T[number] => {
      if (raw === undefined) return defaultValue;
      const hit = values.find((v) => v.toLowerCase() === raw.trim().toLowerCase());
      return hit ?? fail(ctx, `must be one of ${values.join(', ')}`);
    });
}

/** A free string, optionally checked against a pattern (described by `rule` in the error). */
export function stringVar<D extends string | undefined>(defaultValue: D, check?: { pattern: RegExp; rule: string }) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): string | D => {
      const value: string | D = raw === undefined ? defaultValue : raw.trim();
      if (value !== undefined && check && !check.pattern.test(value)) return fail(ctx, check.rule);
      return value;
    });
}

/** A URL whose scheme is one of `protocols` (e.g. `['redis:', 'rediss:']`). */
export function urlVar(defaultValue: string, protocols: readonly string[]) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): string => {
      const value = raw?.trim() ?? defaultValue;
      let url: URL | undefined;
      try {
        url = new URL(value);
      } catch {
        url = undefined;
      }
      if (!url || !protocols.includes(url.protocol)) {
        return fail(ctx, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      }
      return value;
    });
}
