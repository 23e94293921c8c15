/**
 * Tokens never reach the logs: the real ingest process (services/ingest/src/main.ts, LOG_LEVEL
 * trace) on a password-protected Redis gets wrong and right credentials in every form, refused
 * bodies, admin calls with ingest tokens, and requests while its Redis is stopped; everything it
 * printed is then searched for the tokens (and their Basic/ApiKey encodings) and the Redis password.
 */
import { freePort, type RedisHandle } from '../../../tests/setup/redis-server.ts';
import { spawnTs, waitForHttp } from '../../../tests/stack/proc.ts';
import { ADMIN_TOKEN, INGEST_TOKENS, credentialForms, wrongForms } from './auth-matrix.ts';
import { onStop } from './report.ts';

export interface LogCheck {
  requests: number;
  /** Log lines printed (JSON lines). */
  lines: number;
  /** Lines about refused requests (proof the refusals were logged at all). */
  refusals: number;
  /** Lines logged while Redis was down (errors/warnings). */
  outageLines: number;
  /** Secrets found in the output, by a short label. */
  found: string[];
}

export async function checkLogs(redis: RedisHandle, redisUrl: string, secrets: readonly string[], prefix: string): Promise<LogCheck> {
  const port = await freePort();
  const proc = spawnTs({
    entry: 'services/ingest/src/main.ts',
    env: { REDIS_URL: redisUrl, PORT: String(port), HOST: '127.0.0.1', INGEST_TOKENS: INGEST_TOKENS.join(','), ADMIN_TOKEN, LOG_LEVEL: 'trace', LOGFOREST_PREFIX: prefix, FORWARD_PORT: '0' },
  });
  const forget = onStop(() => proc.stop(3000));
  const base = `http://127.0.0.1:${port}`;
  let requests = 0;
  const send = async (method: string, path: string, headers: Record<string, string>, body?: string) => {
    requests++;
    await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(15_000) }).then((r) => r.arrayBuffer()).catch(() => undefined);
  };
  try {
    await waitForHttp(`${base}/healthz`, proc);
    const all = [...wrongForms(), ...INGEST_TOKENS.flatMap((t) => credentialForms(t)), ...credentialForms(ADMIN_TOKEN), ['none', {}] as [string, Record<string, string>]];
    for (const [, h] of all) {
      await send('POST', '/ingest', { ...h, 'content-type': 'text/plain' }, '2024-05-01 12:00:00,000 INFO [a] (main) hello\n');
      await send('POST', '/ingest', { ...h, 'content-type': 'application/json' }, '{"broken":');
      await send('POST', '/_bulk', { ...h, 'content-type': 'application/x-ndjson' }, 'not bulk\n');
      await send('POST', '/retrain', h, '');
      await send('GET', '/models', h);
      await send('POST', '/models/v9/activate', h);
    }
    const before = proc.output().length;
    await redis.stop();
    for (const [, h] of all.slice(-7)) {
      await send('POST', '/ingest', { ...h, 'content-type': 'text/plain' }, 'x\n');
      await send('GET', '/models', h);
      await send('GET', '/readyz', h);
    }
    await new Promise((r) => setTimeout(r, 300));
    const outage = proc.output().slice(before);
    // With its Redis gone, ingest's graceful shutdown does not finish on its own: SIGKILL after 3 s.
    await proc.stop(3000);
    const out = proc.output();
    const lines = out.split('\n').filter((l) => l.startsWith('{'));
    return {
      requests,
      lines: lines.length,
      refusals: lines.filter((l) => l.includes('request refused')).length,
      outageLines: outage.split('\n').filter((l) => l.startsWith('{')).length,
      found: secrets.filter((s) => s && out.includes(s)).map((s) => `${s.slice(0, 6)}…`),
    };
  } finally {
    await proc.stop(3000);
    forget();
  }
}
