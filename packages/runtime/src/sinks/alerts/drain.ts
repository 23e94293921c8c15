/**
 * The outbox drainer, one per worker process. It reads the outbox through one consumer group,
 * so each entry goes to one drainer; it POSTs the entry in the configured format and, once the
 * receiver accepted it, acknowledges and deletes it (and counts it delivered) in one MULTI.
 *
 * Failures (network, timeout, 408, 429, 5xx) are retried with exponential backoff (base, doubling,
 * capped) until the entry is ALERT_GIVE_UP_AFTER old; while it waits the drainer re-claims the
 * entry (XCLAIM … JUSTID) so no other drainer takes it. A drainer that dies (SIGKILL) leaves its
 * entries pending in the group: after `claimIdleMs` without a re-claim, any drainer — the same
 * worker restarted, or another one — takes them over with XAUTOCLAIM and delivers them. Delivery
 * is therefore at least once: a drainer that dies after the POST but before the XACK, or one
 * frozen longer than `claimIdleMs`, can cause a second POST of the same alerts (Alertmanager
 * merges them: same labels). Refused (other 4xx) and expired entries go to a capped dead-letter
 * stream and are counted as failed.
 */
import { hostname } from 'node:os';
import { keys as keyNames } from '@logforest/core';
import type { RedisClient } from '../../redis/connect.ts';
import type { Logger } from 'pino';
import type { WorkerMetrics } from '../../metrics/services.ts';
import { buildAlertRequest, type AlertFormat } from './formats.ts';
import { decodeOutboxEntry, OUTBOX_GROUP, type OutboxEntry } from './outbox.ts';

export interface AlertDrainerOptions {
  /** A connection the drainer may block (XREADGROUP BLOCK): give it its own, e.g. `redis.duplicate()`. */
  redis: RedisClient;
  prefix?: string;
  format: AlertFormat;
  /** ALERT_WEBHOOK_URL (may carry a token: only its host is logged). */
  url: string;
  consoleUrl?: string | undefined;
  logger: Logger;
  metrics?: Pick<WorkerMetrics, 'alertPosts' | 'alertDelay'>;
  /** Timeout of one POST, ms. @defaultValue 5000 */
  timeoutMs?: number;
  /** First retry delay, ms; doubles per attempt. @defaultValue 1000 */
  retryBaseMs?: number;
  /** Longest retry delay, ms. @defaultValue 60000 */
  retryMaxMs?: number;
  /** Give up on an entry this long after its batch was scored, ms. @defaultValue 86400000 */
  giveUpAfterMs?: number;
  /** Take over entries another drainer has held this long without a sign of life, ms. @defaultValue 60000 */
  claimIdleMs?: number;
  /** Alertmanager `endsAt` offset, ms. @defaultValue 300000 */
  resolveAfterMs?: number;
  /** XREADGROUP BLOCK, ms (also how fast close() is noticed). @defaultValue 1000 */
  blockMs?: number;
  /** Consumer name in the group. @defaultValue `<hostname>-<pid>-<random>` */
  consumer?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface AlertDrainerStats {
  /** Entries (batches of alerts) the receiver accepted. */
  delivered: number;
  /** Alerts in them. */
  alerts: number;
  /** POSTs that failed and were retried. */
  retries: number;
  refused: number;
  expired: number;
  /** Entries taken over from another (dead) consumer. */
  claimed: number;
}

export interface AlertDrainer {
  readonly stats: Readonly<AlertDrainerStats>;
  readonly consumer: string;
  /** Stop after the POST in hand; pending entries stay for another drainer. Closes `redis`. */
  close(): Promise<void>;
}

class Refused extends Error {}

/** fetch refuses URLs with `user:password@`: move them to a Basic Authorization header. */
export function splitCredentials(url: string): { url: string; authorization?: string } {
  const u = new URL(url);
  if (!u.username && !u.password) return { url };
  const basic = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
  u.username = '';
  u.password = '';
  return { url: u.toString(), authorization: `Basic ${basic}` };
}

/** Capped length of the dead-letter stream. */
const DEAD_MAXLEN = 10_000;

export async function startAlertDrainer(opts: AlertDrainerOptions): Promise<AlertDrainer> {
  const { redis } = opts;
  const k = keyNames(opts.prefix);
  const timeoutMs = opts.timeoutMs ?? 5000;
  const retryBaseMs = opts.retryBaseMs ?? 1000;
  const retryMaxMs = opts.retryMaxMs ?? 60_000;
  const giveUpAfterMs = opts.giveUpAfterMs ?? 24 * 3600_000;
  const claimIdleMs = opts.claimIdleMs ?? 60_000;
  const blockMs = opts.blockMs ?? 1000;
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? globalThis.fetch;
  const consumer = opts.consumer ?? `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const target = splitCredentials(opts.url);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(target.authorization ? { authorization: target.authorization } : {}), ...opts.headers };
  const log = opts.logger.child({ component: 'alerts', format: opts.format, target: new URL(opts.url).host });
  const stats: AlertDrainerStats = { delivered: 0, alerts: 0, retries: 0, refused: 0, expired: 0, claimed: 0 };
  let closing = false;
  let wake: (() => void) | undefined;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function ensureGroup(): Promise<void> {
    try {
      await redis.xgroup('CREATE', k.alertOutbox, OUTBOX_GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  async function post(entry: OutboxEntry): Promise<void> {
    const req = buildAlertRequest(opts.format, entry, { url: target.url, consoleUrl: opts.consoleUrl, resolveAfterMs: opts.resolveAfterMs ?? 300_000, now: now() });
    const res = await doFetch(req.url, {
      method: 'POST',
      headers,
      body: req.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.ok) return;
    if (res.status === 408 || res.status === 429 || res.status >= 500) throw new Error(`HTTP ${res.status}`);
    throw new Refused(`HTTP ${res.status}`);
  }

  /** Ack + delete + count, in one MULTI (one slot: every key shares the prefix). */
  async function finish(id: string, field: 'alerts_delivered' | 'alerts_failed', alerts: number, dead?: { reason: string; fields: string[] }): Promise<void> {
    const m = redis.multi();
    if (dead) m.xadd(k.alertDead, 'MAXLEN', '~', DEAD_MAXLEN, '*', 'reason', dead.reason, ...dead.fields);
    m.xack(k.alertOutbox, OUTBOX_GROUP, id).xdel(k.alertOutbox, id).hincrby(k.totals, field, alerts);
    await m.exec();
  }

  async function handle(id: string, fields: string[]): Promise<void> {
    let entry: OutboxEntry;
    try {
      entry = decodeOutboxEntry(id, fields);
    } catch (err) {
      log.error({ id, err: (err as Error).message }, 'unreadable outbox entry; moved to the dead-letter stream');
      await finish(id, 'alerts_failed', 0, { reason: 'unreadable', fields });
      return;
    }
    const n = entry.alerts.length;
    for (let attempt = 0; ; attempt++) {
      try {
        await post(entry);
        await finish(id, 'alerts_delivered', n);
        stats.delivered++;
        stats.alerts += n;
        opts.metrics?.alertPosts.inc({ format: opts.format, outcome: 'ok' });
        opts.metrics?.alertDelay.observe(Math.max(0, now() - entry.header.scoredAt) / 1000);
        if (attempt > 0) log.info({ id, batchId: entry.header.batchId, attempts: attempt + 1 }, 'alerts delivered after retries');
        return;
      } catch (err) {
        const message = (err as Error).message;
        if (err instanceof Refused) {
          stats.refused++;
          opts.metrics?.alertPosts.inc({ format: opts.format, outcome: 'refused' });
          log.error({ id, batchId: entry.header.batchId, err: message }, 'receiver refused the alerts; moved to the dead-letter stream');
          await finish(id, 'alerts_failed', n, { reason: message, fields });
          return;
        }
        if (now() - entry.header.scoredAt > giveUpAfterMs) {
          stats.expired++;
          opts.metrics?.alertPosts.inc({ format: opts.format, outcome: 'expired' });
          log.error({ id, batchId: entry.header.batchId, err: message }, 'alerts undelivered for ALERT_GIVE_UP_AFTER; moved to the dead-letter stream');
          await finish(id, 'alerts_failed', n, { reason: `expired: ${message}`, fields });
          return;
        }
        stats.retries++;
        opts.metrics?.alertPosts.inc({ format: opts.format, outcome: 'retry' });
        const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(attempt, 30));
        log.warn({ id, batchId: entry.header.batchId, attempt: attempt + 1, retryInMs: delay, err: message }, 'alert delivery failed; will retry');
        // Wait in slices, re-claiming the entry so no other drainer takes it while we hold it.
        const until = now() + delay;
        while (!closing && now() < until) {
          await sleep(Math.min(until - now(), Math.max(50, claimIdleMs / 3)));
          if (!closing) await redis.xclaim(k.alertOutbox, OUTBOX_GROUP, consumer, 0, id, 'JUSTID');
        }
        if (closing) return; // stays pending: taken over after claimIdleMs (or by our next start)
      }
    }
  }

  // One entry at a time: an entry read but not yet worked on would age in our pending list while
  // another is retried, and be taken over (then sent twice) by another drainer.
  type Entries = Array<[string, string[] | null]>;
  let claimCursor = '0-0';
  let lastClaim = 0;

  async function next(): Promise<Entries> {
    if (now() - lastClaim >= Math.min(claimIdleMs / 2, 5000)) {
      lastClaim = now();
      const [cursor, claimed] = (await redis.xautoclaim(k.alertOutbox, OUTBOX_GROUP, consumer, claimIdleMs, claimCursor, 'COUNT', 1)) as [string, Entries, string[]?];
      claimCursor = cursor;
      if (claimCursor !== '0-0') lastClaim = 0; // more to look at: come back at once
      if (claimed.length > 0) {
        stats.claimed += claimed.length;
        log.info({ entries: claimed.length }, 'took over alerts another drainer left undelivered');
        return claimed;
      }
    }
    const res = (await redis.xreadgroup('GROUP', OUTBOX_GROUP, consumer, 'COUNT', 1, 'BLOCK', blockMs, 'STREAMS', k.alertOutbox, '>')) as Array<[string, Entries]> | null;
    return res?.[0]?.[1] ?? [];
  }

  /** Forget consumers of the group that died holding nothing (each restart adds one). */
  async function pruneConsumers(): Promise<void> {
    const rows = (await redis.xinfo('CONSUMERS', k.alertOutbox, OUTBOX_GROUP)) as Array<Array<string | number>>;
    for (const row of rows) {
      const info = new Map<string, string | number>();
      for (let i = 0; i + 1 < row.length; i += 2) info.set(String(row[i]), row[i + 1] as string | number);
      const name = String(info.get('name'));
      if (name !== consumer && Number(info.get('pending')) === 0 && Number(info.get('idle')) > 3600_000) {
        await redis.xgroup('DELCONSUMER', k.alertOutbox, OUTBOX_GROUP, name);
      }
    }
  }

  await ensureGroup();
  await pruneConsumers().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'could not prune idle alert consumers'));
  log.info({ consumer }, 'alert drainer started');

  const loop = (async () => {
    while (!closing) {
      try {
        for (const [id, fields] of await next()) {
          if (closing) break;
          // A deleted entry (trimmed by MAXLEN) comes back with no fields: drop it from the group.
          if (!fields) await redis.xack(k.alertOutbox, OUTBOX_GROUP, id);
          else await handle(id, fields);
        }
      } catch (err) {
        if (closing) break;
        const message = (err as Error).message;
        log.warn({ err: message }, 'alert drainer: Redis call failed; retrying');
        if (message.includes('NOGROUP')) await ensureGroup().catch(() => undefined);
        await sleep(1000);
      }
    }
  })();

  return {
    stats,
    consumer,
    async close() {
      closing = true;
      wake?.();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([loop, new Promise((r) => (timer = setTimeout(r, blockMs + timeoutMs + 1000)))]);
      clearTimeout(timer);
      redis.disconnect();
    },
  };
}
