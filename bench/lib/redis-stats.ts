/**
 * What Redis did for a phase of the end-to-end bench: commands (INFO commandstats, reset with
 * CONFIG RESETSTAT before the phase — calls made inside Lua scripts are counted under their own
 * command too, so EVALSHA plus the XADDs it runs are all there), CPU (INFO cpu of the server,
 * user + sys), and memory (used_memory, and MEMORY USAGE of the keys an event leaves behind).
 */
import type { Redis } from 'ioredis';

export interface CommandStat {
  calls: number;
  usec: number;
}

function infoFields(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/** Per-command calls and time since the last CONFIG RESETSTAT. */
export async function commandStats(redis: Redis): Promise<Map<string, CommandStat>> {
  const out = new Map<string, CommandStat>();
  for (const [key, value] of infoFields(await redis.info('commandstats'))) {
    if (!key.startsWith('cmdstat_')) continue;
    const calls = /calls=(\d+)/.exec(value);
    const usec = /usec=(\d+)/.exec(value);
    out.set(key.slice('cmdstat_'.length), { calls: Number(calls?.[1] ?? 0), usec: Number(usec?.[1] ?? 0) });
  }
  return out;
}

export interface ServerStats {
  /** CPU seconds, user + sys, all threads. */
  cpu: number;
  usedMemory: number;
  /** Bytes received from / sent to clients since start. */
  netIn: number;
  netOut: number;
}

export async function serverStats(redis: Redis): Promise<ServerStats> {
  const f = infoFields(`${await redis.info('cpu')}\n${await redis.info('memory')}\n${await redis.info('stats')}`);
  const n = (k: string) => Number(f.get(k) ?? 0);
  return { cpu: n('used_cpu_user') + n('used_cpu_sys'), usedMemory: n('used_memory'), netIn: n('total_net_input_bytes'), netOut: n('total_net_output_bytes') };
}

/** Commands the bench itself sends while it measures (polling totals), left out of the counts. */
const OWN = new Set(['hget', 'hgetall', 'zcard', 'info', 'config|resetstat', 'config', 'llen', 'xrange', 'del', 'memory|usage', 'scan', 'type', 'hlen', 'xlen']);

/** Calls per event, overall and for the commands that make up at least 1 % of them. */
export function perEvent(stats: Map<string, CommandStat>, events: number): { total: number; usecPerEvent: number; top: Array<[string, number]> } {
  const rows = [...stats].filter(([cmd]) => !OWN.has(cmd));
  const calls = rows.reduce((s, [, v]) => s + v.calls, 0);
  const usec = rows.reduce((s, [, v]) => s + v.usec, 0);
  const top = rows
    .filter(([, v]) => v.calls >= calls * 0.01)
    .sort((a, b) => b[1].calls - a[1].calls)
    .map(([cmd, v]) => [cmd, v.calls / events] as [string, number]);
  return { total: calls / events, usecPerEvent: usec / events, top };
}

/** MEMORY USAGE of every key under `prefix`, summed by what the key is (job hash, stream, marker…); `entries` = XLEN of streams. */
export async function keyBytes(redis: Redis, prefix: string): Promise<Map<string, { keys: number; bytes: number; entries?: number }>> {
  const out = new Map<string, { keys: number; bytes: number; entries?: number }>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    const pipe = redis.pipeline();
    for (const key of batch) pipe.memory('USAGE', key, 'SAMPLES', '0');
    const sizes = (await pipe.exec()) ?? [];
    batch.forEach((key, i) => {
      const kind = key
        .slice(prefix.length + 1)
        .replace(/b-[0-9a-z]+-[A-Za-z0-9_-]{12}/, '<batch>')
        .replace(/^model:v\d+/, 'model:<version>');
      const e = out.get(kind) ?? { keys: 0, bytes: 0 };
      e.keys++;
      e.bytes += Number(sizes[i]?.[1] ?? 0);
      out.set(kind, e);
    });
  } while (cursor !== '0');
  for (const [kind, e] of out) {
    const key = `${prefix}:${kind}`;
    if (!kind.includes('<') && (await redis.type(key)) === 'stream') e.entries = await redis.xlen(key);
  }
  return out;
}
