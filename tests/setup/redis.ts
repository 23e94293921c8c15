/** Per-test Redis helpers: the URL from the global setup and a unique key prefix. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** A hash-tagged prefix of its own for one test, e.g. `{t-3fa9c2}`. */
export function uniquePrefix(name = 't'): string {
  return `{${name}-${randomBytes(4).toString('hex')}}`;
}
