/**
 * A Lua script run with EVALSHA, falling back to EVAL once when the server does not know it
 * (restart, SCRIPT FLUSH, failover). Scripts live in `.lua` files beside the code that calls them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RedisClient } from '../redis/connect.ts';

export type ScriptArg = string | number | Buffer;

export interface RedisScript {
  /** File name, for error messages. */
  readonly name: string;
  readonly sha: string;
  run(redis: RedisClient, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown>;
}

/** Load `file` (resolved against `base`, usually `import.meta.url`). */
export function loadScript(file: string, base: string | URL): RedisScript {
  const source = readFileSync(new URL(file, base), 'utf8');
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    name: file,
    sha,
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return redis.eval(source, keys.length, ...keys, ...args);
      }
    },
  };
}
