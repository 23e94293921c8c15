/**
 * Redaction of secrets before configuration is logged at start-up.
 */

/** Names (env or camelCase) whose values are secrets. */
const SECRET_NAME = /(token|secret|passw(or)?d|api_?key|credential|private_?key|shared_?key)/i;

/** The text that replaces a secret value. */
export const REDACTED = '[redacted]';

/** True when a variable or field name denotes a secret (e.g. `ADMIN_TOKEN`, `INGEST_TOKENS`). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Replace the password (and a user that looks like a token) of a URL such as `redis://:pw@host`. */
export function redactUrl(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    const url = new URL(value);
    if (!url.password) return value;
    url.password = REDACTED;
    return url.toString();
  } catch {
    return value;
  }
}

/**
 * A copy of `config` fit for logging: secret-named fields are replaced by `[redacted]` (arrays by
 * `[redacted ×N]`, empty values stay visible so "no token configured" is obvious), and passwords
 * inside URLs are masked. Nested objects are walked.
 */
export function redactConfig<T>(config: T): T {
  return walk(config, '') as T;
}

function walk(value: unknown, name: string): unknown {
  if (isSecretName(name)) {
    if (value === undefined || value === null || value === '') return value;
    if (Array.isArray(value)) return value.length === 0 ? [] : `${REDACTED} ×${value.length}`;
    return REDACTED;
  }
  if (typeof value === 'string') return redactUrl(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, ''));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, k);
    return out;
  }
  return value;
}
