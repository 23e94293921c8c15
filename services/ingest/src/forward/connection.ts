/**
 * One forward-protocol connection: frames the byte stream (core FrameScanner), runs the
 * shared-key handshake when configured, and hands each chunk's records to the enqueuer — the
 * same one, with the same admission rule, as the HTTP routes.
 *
 * - Frames of one connection are handled in order, one at a time; while one is in hand the
 *   socket is paused, so a slow queue slows the sender through TCP itself.
 * - `{"ack": chunk}` is written only after Redis accepted every job of the chunk.
 * - Queue full or Redis away: the chunk is held (no ack), the socket stays paused, and admission
 *   is tried again every FORWARD_RETRY_MS until it succeeds or the client goes away (it then
 *   sends the chunk again: at least once).
 * - Garbage (not msgpack, not a forward message, over a size limit, events before the
 *   handshake): one warn log line naming the peer and the reason, then the connection is closed
 *   without an ack.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { encode } from '@msgpack/msgpack';
import type { Logger } from 'pino';
import { checkPing, decodeForwardFrame, ForwardFrameError, FrameScanner, helo, isFormatError, type ForwardFrame, type HandshakeSecrets, type HandshakeSession } from '@logforest/core';
import type { IngestMetrics } from '@logforest/runtime';
import type { Enqueuer } from '../enqueue/enqueuer.ts';
import { HttpError } from '../http/errors.ts';

export interface ConnectionDeps {
  enqueuer: Enqueuer;
  logger: Logger;
  metrics: IngestMetrics;
  maxFrameBytes: number;
  maxEvents: number;
  retryMs: number;
  keepaliveMs: number;
  /** Close a connection idle this long (0: never). */
  idleTimeoutMs: number;
  /** Shared-key handshake; undefined: none. */
  handshake: { secrets: HandshakeSecrets; hostname: string } | undefined;
  now: () => number;
  /** Stops holding chunks (shutdown): resolves when the caller should give up waiting. */
  closing: () => boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function serveConnection(socket: Socket, deps: ConnectionDeps): void {
  const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
  const log = deps.logger.child({ input: 'forward', peer });
  const scanner = new FrameScanner({ maxFrameBytes: deps.maxFrameBytes });
  const session: HandshakeSession | undefined = deps.handshake ? { nonce: randomBytes(16), authSalt: randomBytes(16) } : undefined;
  let authenticated = deps.handshake === undefined;
  let closed = false;
  let busy = false;
  const pending: Buffer[] = [];

  socket.setNoDelay(true);
  if (deps.keepaliveMs > 0) socket.setKeepAlive(true, deps.keepaliveMs);
  socket.on('close', () => {
    closed = true;
    pending.length = 0;
  });
  socket.on('error', (err) => log.debug({ err: err.message }, 'forward connection error'));
  if (deps.idleTimeoutMs > 0) {
    socket.setTimeout(deps.idleTimeoutMs, () => {
      if (busy || closed) return; // a held chunk is waiting for the queue: not idle
      log.info({ pendingBytes: scanner.pending }, 'forward: closing idle connection');
      closed = true;
      socket.destroy();
    });
  }

  const send = (value: unknown): void => {
    if (!closed) socket.write(encode(value));
  };
  const refuse = (reason: string, detail: Record<string, unknown> = {}): void => {
    if (closed) return;
    log.warn({ reason, ...detail }, `forward: closing connection (${reason}), nothing acknowledged`);
    deps.metrics.requestsRejected.inc({ surface: 'forward', reason });
    closed = true;
    pending.length = 0;
    socket.destroy();
  };

  if (deps.handshake && session) send(helo(session, deps.handshake.secrets.users.size > 0));

  socket.on('data', (chunk: Buffer) => {
    if (closed) return;
    try {
      pending.push(...scanner.push(chunk));
    } catch (err) {
      if (err instanceof ForwardFrameError) return refuse(err.code, { message: err.message, frameBytes: err.frameBytes });
      throw err;
    }
    if (pending.length > 0 && !busy) void drain();
  });

  async function drain(): Promise<void> {
    busy = true;
    socket.pause();
    try {
      while (pending.length > 0 && !closed) await handle(pending.shift() as Buffer);
    } catch (err) {
      log.error({ err }, 'forward: internal error');
      refuse('internal_error');
    } finally {
      busy = false;
      if (!closed) socket.resume();
    }
  }

  async function handle(bytes: Buffer): Promise<void> {
    const receivedAt = deps.now();
    let frame: ForwardFrame;
    try {
      frame = decodeForwardFrame(bytes, { receivedAt, maxEvents: deps.maxEvents });
    } catch (err) {
      if (isFormatError(err)) return refuse(err.code, { message: err.message, frameBytes: bytes.length });
      throw err;
    }
    if (frame.type === 'heartbeat') return;
    if (frame.type === 'ping') {
      if (!deps.handshake || !session || authenticated) return refuse('unexpected_ping');
      const result = checkPing(frame.value, session, deps.handshake.secrets, deps.handshake.hostname);
      send(result.pong);
      if (!result.ok) {
        log.warn({ reason: result.reason, clientHostname: result.clientHostname, username: result.username }, 'forward: handshake refused');
        deps.metrics.requestsRejected.inc({ surface: 'forward', reason: 'handshake' });
        closed = true;
        socket.end();
        return;
      }
      authenticated = true;
      log.debug({ clientHostname: result.clientHostname, username: result.username }, 'forward: handshake done');
      return;
    }
    if (!authenticated) return refuse('no_handshake', { message: 'events before the shared-key handshake' });
    deps.metrics.eventsReceived.inc({ surface: 'forward' }, frame.records.length);
    if (frame.records.length > 0 && !(await enqueueHeld(frame.records, receivedAt))) return;
    if (frame.chunk !== undefined) send({ ack: frame.chunk });
  }

  /** Enqueue, holding the chunk while the queue refuses it. False when the connection went away first. */
  async function enqueueHeld(records: Extract<ForwardFrame, { type: 'events' }>['records'], receivedAt: number): Promise<boolean> {
    let held = false;
    for (;;) {
      if (closed || deps.closing()) return false;
      try {
        const result = await deps.enqueuer.enqueue(records, { receivedAt });
        deps.metrics.eventsEnqueued.inc({ surface: 'forward' }, result.accepted);
        deps.metrics.batchesEnqueued.inc({ surface: 'forward' }, result.batches);
        if (held) log.info({ events: records.length }, 'forward: queue has room again, chunk accepted');
        return true;
      } catch (err) {
        if (!(err instanceof HttpError) || err.status !== 503) throw err;
        if (!held) {
          log.warn({ reason: err.code, detail: err.detail, events: records.length }, 'forward: queue refuses work; holding the chunk unacknowledged and pausing reads');
          deps.metrics.requestsRejected.inc({ surface: 'forward', reason: err.code });
          held = true;
        }
        await sleep(deps.retryMs);
      }
    }
  }
}
