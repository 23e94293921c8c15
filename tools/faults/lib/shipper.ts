/**
 * A load client that behaves like Fluent Bit's HTTP output: chunks wait in a bounded buffer
 * (mem_buf_limit: when it is full the input pauses, nothing is dropped), at most `concurrency`
 * requests are in flight, and a chunk answered 429/503/5xx or hit by a connection error or
 * timeout is retried with exponential back-off and full jitter — never sooner than Retry-After —
 * until it succeeds or `retryWindowMs` since its first attempt has passed (then it is given up
 * and counted). Any other 4xx is final (Fluent Bit drops those) and counted as rejected.
 */
import type { IngestRequest } from './requests.ts';
import { sleep } from './util.ts';

export interface ShipperOptions {
  base: string;
  /** Requests in flight at most. */
  concurrency: number;
  /** Chunks held (in flight, backing off or waiting) before the input pauses. */
  bufferMax: number;
  /** Give a chunk up this long after its first attempt. */
  retryWindowMs: number;
  /** Back-off base and cap, ms. @defaultValue 200, 5000 */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Per-request timeout, ms (a timeout is retried: the events may then arrive twice). @defaultValue 30000 */
  requestTimeoutMs?: number;
  /** Wait at least Retry-After before a retry. @defaultValue true (false only for capacity probes) */
  honourRetryAfter?: boolean;
}

/** One HTTP attempt: when it ended (epoch ms), how long it took, what came back. */
export interface Attempt {
  at: number;
  ms: number;
  /** HTTP status, or 0 for a connection error / timeout. */
  status: number;
  /** `error.code` of an error body (queue_full, redis_unavailable, …). */
  code?: string;
}

export interface Delivery {
  req: IngestRequest;
  attempts: number;
  firstAt: number;
  /** Set when a 2xx came back. */
  ackedAt?: number;
  /** `accepted` of the 2xx reply. */
  accepted: number;
  outcome: 'pending' | 'acked' | 'gave_up' | 'rejected';
}

export class Shipper {
  readonly attempts: Attempt[] = [];
  readonly deliveries: Delivery[] = [];
  /** Time the input spent paused on a full buffer, ms. */
  pausedMs = 0;
  private inFlight = 0;
  private held = 0;
  private readonly ready: Delivery[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly o: Required<ShipperOptions>;

  constructor(o: ShipperOptions) {
    this.o = { backoffBaseMs: 200, backoffCapMs: 5000, requestTimeoutMs: 30_000, honourRetryAfter: true, ...o };
  }

  /** Chunks not yet acknowledged, given up or rejected. */
  get pending(): number {
    return this.held;
  }

  /** Hand a chunk over; waits while the buffer is full (the input pauses). */
  async submit(req: IngestRequest): Promise<void> {
    const t = Date.now();
    while (this.held >= this.o.bufferMax) await this.changed();
    this.pausedMs += Date.now() - t;
    const d: Delivery = { req, attempts: 0, firstAt: 0, accepted: 0, outcome: 'pending' };
    this.deliveries.push(d);
    this.held++;
    this.ready.push(d);
    this.pump();
  }

  /** Resolves once every chunk handed over is settled, or after `timeoutMs`. */
  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.held > 0 && Date.now() < deadline) await Promise.race([this.changed(), sleep(250)]);
    return this.held === 0;
  }

  private changed(): Promise<void> {
    return new Promise((r) => this.waiters.add(r));
  }

  private notify(): void {
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  private pump(): void {
    while (this.inFlight < this.o.concurrency && this.ready.length > 0) {
      const d = this.ready.shift() as Delivery;
      this.inFlight++;
      void this.attempt(d).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private settle(d: Delivery, outcome: Delivery['outcome']): void {
    d.outcome = outcome;
    this.held--;
    this.notify();
  }

  private async attempt(d: Delivery): Promise<void> {
    const started = Date.now();
    if (d.attempts === 0) d.firstAt = started;
    d.attempts++;
    let status = 0;
    let code: string | undefined;
    let retryAfterS: number | undefined;
    try {
      const res = await fetch(`${this.o.base}/ingest/${d.req.tag}`, {
        method: 'POST',
        body: d.req.body,
        headers: { 'content-type': 'application/x-ndjson' },
        signal: AbortSignal.timeout(this.o.requestTimeoutMs),
      });
      status = res.status;
      const text = await res.text();
      const ra = Number(res.headers.get('retry-after'));
      if (Number.isFinite(ra) && ra > 0) retryAfterS = ra;
      try {
        const body = JSON.parse(text) as { accepted?: number; error?: { code?: string } };
        if (status >= 200 && status < 300) d.accepted = body.accepted ?? 0;
        else code = body.error?.code;
      } catch {
        // not JSON
      }
    } catch (err) {
      status = 0;
      code = (err as Error).name === 'TimeoutError' ? 'timeout' : 'connection';
    }
    const now = Date.now();
    this.attempts.push({ at: now, ms: now - started, status, ...(code === undefined ? {} : { code }) });
    if (status >= 200 && status < 300) {
      d.ackedAt = now;
      return this.settle(d, 'acked');
    }
    const retryable = status === 0 || status === 429 || status >= 500;
    if (!retryable) return this.settle(d, 'rejected');
    if (now - d.firstAt >= this.o.retryWindowMs) return this.settle(d, 'gave_up');
    const exp = Math.min(this.o.backoffCapMs, this.o.backoffBaseMs * 2 ** Math.min(20, d.attempts - 1));
    let delay = this.o.backoffBaseMs + Math.random() * Math.max(0, exp - this.o.backoffBaseMs);
    if (retryAfterS !== undefined && this.o.honourRetryAfter) delay = Math.max(delay, retryAfterS * 1000 * (1 + 0.25 * Math.random()));
    delay = Math.min(delay, Math.max(0, d.firstAt + this.o.retryWindowMs - now));
    setTimeout(() => {
      this.ready.push(d);
      this.pump();
    }, delay);
  }
}

export interface DriveOptions {
  /** Makes the next request. */
  next: () => IngestRequest;
  durationMs: number;
  /** Requests per second offered (open loop); undefined = as fast as the buffer drains (closed loop). */
  ratePerSec?: number;
  /** Stop early when this resolves to true (checked between requests). */
  stop?: () => boolean;
}

/** Offer load for `durationMs`; resolves when the input stops (chunks may still be retrying). */
export async function drive(shipper: Shipper, o: DriveOptions): Promise<{ offered: number; startedAt: number; stoppedAt: number }> {
  const startedAt = Date.now();
  const end = startedAt + o.durationMs;
  let offered = 0;
  while (Date.now() < end && !o.stop?.()) {
    if (o.ratePerSec !== undefined) {
      const due = startedAt + (offered * 1000) / o.ratePerSec;
      if (due > Date.now()) await sleep(Math.min(due - Date.now(), end - Date.now()));
      if (Date.now() >= end) break;
    }
    await shipper.submit(o.next());
    offered++;
  }
  return { offered, startedAt, stoppedAt: Date.now() };
}
