/**
 * Alert webhook: POST the anomalies of a batch as JSON. Fire-and-forget: `notify` returns at
 * once, never throws, and never holds up the job. Each POST has a timeout and a bounded number
 * of retries (network errors, 429 and 5xx); when too many POSTs are in flight, new alerts are
 * dropped and counted rather than queued without bound. The URL may carry a token, so logs show
 * only its host.
 */
import type { Logger } from 'pino';

export interface AlertPayload {
  batchId: string;
  receivedAt: number;
  scoredAt: number;
  model_version: string;
  anomalies: unknown[];
}

export interface WebhookSinkOptions {
  /** Target URL (ALERT_WEBHOOK_URL). */
  url: string;
  logger: Logger;
  /** Timeout of one POST, ms. @defaultValue 2000 */
  timeoutMs?: number;
  /** Further attempts after the first fails. @defaultValue 2 */
  retries?: number;
  /** Delay before the first retry, ms; doubles each time. @defaultValue 250 */
  backoffMs?: number;
  /** POSTs in flight (with their retries) before new alerts are dropped. @defaultValue 8 */
  maxInFlight?: number;
  /** Extra request headers (e.g. authorization). */
  headers?: Record<string, string>;
  /** fetch implementation. @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
}

export interface WebhookStats {
  sent: number;
  failed: number;
  dropped: number;
}

export interface WebhookSink {
  /** Queue one alert; returns immediately. */
  notify(payload: AlertPayload): void;
  readonly stats: Readonly<WebhookStats>;
  /** Wait (at most `timeoutMs`, default 5000) for alerts in flight. */
  close(timeoutMs?: number): Promise<void>;
}

/** A 4xx other than 429: the receiver refuses the alert, retrying will not help. */
class PermanentFailure extends Error {}

export function createWebhookSink(opts: WebhookSinkOptions): WebhookSink {
  const timeoutMs = opts.timeoutMs ?? 2000;
  const retries = opts.retries ?? 2;
  const backoffMs = opts.backoffMs ?? 250;
  const maxInFlight = opts.maxInFlight ?? 8;
  const doFetch = opts.fetch ?? globalThis.fetch;
  const target = new URL(opts.url).host;
  const log = opts.logger.child({ sink: 'webhook', target });
  const inFlight = new Set<Promise<void>>();
  const stats: WebhookStats = { sent: 0, failed: 0, dropped: 0 };

  async function post(body: string): Promise<void> {
    const res = await doFetch(opts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...opts.headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.ok) return;
    if (res.status === 429 || res.status >= 500) throw new Error(`HTTP ${res.status}`);
    throw new PermanentFailure(`HTTP ${res.status} (not retried)`);
  }

  async function deliver(payload: AlertPayload): Promise<void> {
    const body = JSON.stringify(payload);
    for (let attempt = 0; ; attempt++) {
      try {
        await post(body);
        stats.sent++;
        return;
      } catch (err) {
        if (err instanceof PermanentFailure || attempt >= retries) {
          stats.failed++;
          log.warn({ batchId: payload.batchId, attempts: attempt + 1, err: err instanceof Error ? err.message : String(err) }, 'alert webhook failed');
          return;
        }
        await new Promise((r) => setTimeout(r, backoffMs * 2 ** attempt));
      }
    }
  }

  return {
    stats,
    notify(payload) {
      if (inFlight.size >= maxInFlight) {
        stats.dropped++;
        log.warn({ batchId: payload.batchId, inFlight: inFlight.size }, 'alert webhook saturated; alert dropped');
        return;
      }
      const p = deliver(payload).finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async close(closeTimeoutMs = 5000) {
      if (inFlight.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((r) => {
          timer = setTimeout(r, closeTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
