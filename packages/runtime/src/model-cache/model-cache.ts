/**
 * The hot-swapping model cache of a worker (or ingest's /analyze): holds one compiled Scorer for
 * the active version and replaces it when the active pointer moves — told by the `activated`
 * pub/sub channel (a dedicated subscriber connection), and by a periodic re-check of the pointer
 * in case a message was missed (reconnects, subscriber started late). Callers take `current()`
 * once per batch, so a swap lands between batches.
 *
 * An artifact that cannot be loaded (corrupt, truncated, foreign, unknown feature set) is
 * refused with a logged reason, remembered so it is not retried every poll, and the model in
 * service stays.
 */
import { decodeModel, keys as keyNames, Scorer } from '@logforest/core';
import type { RedisClient } from '../redis/connect.ts';
import type { Logger } from 'pino';

/** Turns a stored blob into a Scorer; throws when the blob is unusable. */
export type LoadModel = (blob: Buffer) => Scorer;

export const defaultLoadModel: LoadModel = (blob) => new Scorer(decodeModel(blob));

export interface ModelCacheOptions {
  /** Connection for GETs (shared with the service is fine). */
  redis: RedisClient;
  /**
   * Connection dedicated to SUBSCRIBE (a subscribed connection cannot run other commands).
   * @defaultValue `redis.duplicate()`, owned and closed by the cache
   */
  subscriber?: RedisClient;
  /** Key prefix (hash tag). @defaultValue '{logforest}' */
  prefix?: string;
  logger: Logger;
  /** How often the active pointer is re-read even without a message, ms; 0 disables. @defaultValue 5000 */
  pollIntervalMs?: number;
  /** Blob → Scorer. @defaultValue `new Scorer(decodeModel(blob))` */
  load?: LoadModel;
  /** Told about every refused version (metrics). */
  onRefuse?: (version: string, reason: string) => void;
}

/** `waitForModel` gave up: no usable model became active in time. */
export class ModelUnavailableError extends Error {
  constructor(timeoutMs: number) {
    super(`no usable active model after ${timeoutMs} ms`);
    this.name = 'ModelUnavailableError';
  }
}

export type SwapListener = (scorer: Scorer, previousVersion: string | undefined) => void;

export interface ModelCache {
  /** The Scorer in service, undefined before the first usable activation. */
  current(): Scorer | undefined;
  /** Version in service. */
  readonly version: string | undefined;
  /** Versions refused, with the reason. */
  readonly refused: ReadonlyMap<string, string>;
  /** Resolve with a Scorer as soon as one is in service. @throws ModelUnavailableError after `timeoutMs`. */
  waitForModel(timeoutMs: number): Promise<Scorer>;
  /** Called after each swap; returns an unsubscribe function. */
  onSwap(cb: SwapListener): () => void;
  /** Re-read the active pointer now (also what messages and the poll do). */
  refresh(): Promise<void>;
  /** Stop polling, unsubscribe, close the owned subscriber. The current Scorer stays usable. */
  close(): Promise<void>;
}

/** Create the cache, load the active model (when there is one), and start listening. */
export async function createModelCache(opts: ModelCacheOptions): Promise<ModelCache> {
  const { redis } = opts;
  const k = keyNames(opts.prefix);
  const load = opts.load ?? defaultLoadModel;
  const log = opts.logger.child({ component: 'model-cache' });
  const ownSubscriber = opts.subscriber === undefined;
  const sub = opts.subscriber ?? redis.duplicate();
  let scorer: Scorer | undefined;
  const refused = new Map<string, string>();
  const listeners = new Set<SwapListener>();
  const waiters = new Set<(s: Scorer) => void>();
  let closed = false;

  async function check(): Promise<void> {
    if (closed) return;
    let version: string | null;
    let blob: Buffer | null = null;
    try {
      version = await redis.get(k.active);
      if (version === null || version === scorer?.version || refused.has(version)) return;
      blob = await redis.getBuffer(k.model(version));
    } catch (err) {
      log.warn({ err }, 'could not read the active model; will retry');
      return;
    }
    let next: Scorer;
    try {
      if (blob === null) throw new Error('blob is not stored');
      next = load(blob);
      if (next.version !== version) throw new Error(`blob says it is ${next.version}`);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      refused.set(version, reason);
      log.error({ version, keeping: scorer?.version ?? null, reason }, 'refused model; keeping the one in service');
      opts.onRefuse?.(version, reason);
      return;
    }
    const previous = scorer?.version;
    scorer = next;
    log.info({ version, previous: previous ?? null }, 'model in service');
    for (const w of waiters) w(next);
    waiters.clear();
    for (const cb of listeners) {
      try {
        cb(next, previous);
      } catch (err) {
        log.warn({ err }, 'swap listener threw');
      }
    }
  }

  // One check at a time; a request during a check schedules exactly one more.
  let running: Promise<void> | undefined;
  let again = false;
  function refresh(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await check();
      } while (again && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  sub.on('message', (channel: string) => {
    if (channel === k.activated) void refresh();
  });
  sub.on('ready', () => void refresh()); // after a reconnect: messages may have been missed
  sub.on('error', (err: Error) => log.warn({ err: err.message }, 'model subscriber connection error'));
  await sub.subscribe(k.activated);
  await refresh();

  const pollMs = opts.pollIntervalMs ?? 5000;
  const timer = pollMs > 0 ? setInterval(() => void refresh(), pollMs) : undefined;
  timer?.unref();

  return {
    current: () => scorer,
    get version() {
      return scorer?.version;
    },
    refused,
    waitForModel(timeoutMs) {
      if (scorer) return Promise.resolve(scorer);
      return new Promise<Scorer>((resolve, reject) => {
        const done = (s: Scorer): void => {
          clearTimeout(t);
          resolve(s);
        };
        const t = setTimeout(() => {
          waiters.delete(done);
          reject(new ModelUnavailableError(timeoutMs));
        }, timeoutMs);
        waiters.add(done);
      });
    },
    onSwap(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    refresh,
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      await running;
      if (ownSubscriber) {
        await sub.quit().catch(() => sub.disconnect());
      } else {
        await sub.unsubscribe(k.activated).catch(() => undefined);
      }
    },
  };
}
