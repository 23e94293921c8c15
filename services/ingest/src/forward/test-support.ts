/**
 * Forward-input test helpers: the real ingest harness (real Redis, real enqueuer) with the
 * forward input on a free port, its log lines captured, and a raw TCP client that sends
 * hand-built frames and collects what the server answers.
 */
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { Decoder, Encoder, ExtensionCodec } from '@msgpack/msgpack';
import pino from 'pino';
import { createLogger, ingestMetrics, createMetricsRegistry } from '@logforest/runtime';
import { startIngest, type Harness } from '../test-support/harness.ts';
import { startForwardInput, type ForwardInput } from './server.ts';

/** Fluent EventTime (ext type 0). */
export class EventTime {
  constructor(readonly seconds: number, readonly nanos: number) {}
}
const codec = new ExtensionCodec();
codec.register({
  type: 0,
  encode: (v: unknown) => {
    if (!(v instanceof EventTime)) return null;
    const b = Buffer.alloc(8);
    b.writeUInt32BE(v.seconds, 0);
    b.writeUInt32BE(v.nanos, 4);
    return b;
  },
  decode: (d: Uint8Array) => new EventTime(Buffer.from(d).readUInt32BE(0), Buffer.from(d).readUInt32BE(4)),
});
const encoder = new Encoder({ extensionCodec: codec });
export const pack = (v: unknown): Buffer => Buffer.from(encoder.encode(v));

export interface ForwardHarness {
  h: Harness;
  forward: ForwardInput;
  port: number;
  /** Log lines (parsed pino JSON) of the forward input so far. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startForward(env: Record<string, string> = {}, tls?: { cert: string; key: string }): Promise<ForwardHarness> {
  const h = await startIngest(env);
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = env['FORWARD_LOG'] === 'silent' ? createLogger({ name: 'ingest', level: 'silent' }) : pino({ level: 'debug' }, sink);
  const metrics = ingestMetrics(createMetricsRegistry({ service: 'ingest', processMetrics: false }));
  const forward = await startForwardInput({ config: { ...h.config, FORWARD_PORT: 0, FORWARD_HOST: '127.0.0.1' }, logger, metrics, enqueuer: h.app.context.enqueuer, tls });
  return {
    h,
    forward,
    port: forward.port,
    logs,
    async close() {
      await forward.close();
      await h.close();
    },
  };
}

/** A raw forward client: writes bytes, decodes every msgpack value the server sends back. */
export interface RawClient {
  socket: Socket;
  /** Values received so far (acks, HELO, PONG). */
  received: unknown[];
  write(bytes: Uint8Array): void;
  /** Resolves with the next value received (or rejects after `ms`). */
  next(ms?: number): Promise<unknown>;
  /** Resolves once the server closed the connection. */
  closed: Promise<void>;
  end(): void;
}

export async function rawClient(port: number): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const received: unknown[] = [];
  let read = 0;
  const waiters: Array<() => void> = [];
  const decoder = new Decoder({ extensionCodec: codec });
  let buf = Buffer.alloc(0);
  socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    // The server's answers are small: decode what is complete, keep the rest.
    let used = 0;
    try {
      for (const v of decoder.decodeMulti(buf)) {
        received.push(v);
        used = (decoder as unknown as { pos: number }).pos;
      }
    } catch {
      // an incomplete value: wait for more bytes
    }
    buf = buf.subarray(used);
    for (const w of waiters.splice(0)) w();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    received,
    write: (bytes) => socket.write(bytes),
    async next(ms = 5000) {
      const deadline = Date.now() + ms;
      while (read >= received.length) {
        if (Date.now() > deadline) throw new Error(`no answer within ${ms} ms`);
        await Promise.race([new Promise<void>((r) => waiters.push(r)), new Promise((r) => setTimeout(r, 20)), closed]);
        if (socket.destroyed && read >= received.length) throw new Error('connection closed');
      }
      return received[read++];
    },
    closed,
    end: () => socket.end(),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
