/**
 * The Fluentd forward input (Forward Protocol Specification v1) on FORWARD_PORT: a TCP server
 * (TLS when FORWARD_TLS_CERT/KEY are set) whose connections are served by ./connection.ts, and
 * a UDP socket on the same port answering heartbeats (`heartbeat_type udp`: any datagram is
 * answered with one NUL byte, as Fluentd's in_forward does).
 *
 *   const forward = await startForwardInput({ config, logger, metrics, enqueuer });
 *   …
 *   await forward.close();   // stop accepting, end connections, close UDP
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { hostname } from 'node:os';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from 'pino';
import type { IngestMetrics } from '@logforest/runtime';
import type { IngestConfig } from '../config.ts';
import type { Enqueuer } from '../enqueue/enqueuer.ts';
import { parseUsers } from './config.ts';
import { serveConnection } from './connection.ts';

export interface ForwardInputDeps {
  config: IngestConfig;
  logger: Logger;
  metrics: IngestMetrics;
  enqueuer: Enqueuer;
  /** PEM certificate and key (read by the caller from FORWARD_TLS_CERT / FORWARD_TLS_KEY). */
  tls?: { cert: Buffer | string; key: Buffer | string } | undefined;
  now?: () => number;
}

export interface ForwardInput {
  /** The TCP (and UDP) port actually bound. */
  port: number;
  tls: boolean;
  close(): Promise<void>;
}

export async function startForwardInput(deps: ForwardInputDeps): Promise<ForwardInput> {
  const { config, logger } = deps;
  const host = config.FORWARD_HOST ?? config.HOST;
  let closing = false;
  const sockets = new Set<Socket>();
  const handshake = config.FORWARD_SHARED_KEY === undefined
    ? undefined
    : { secrets: { sharedKey: config.FORWARD_SHARED_KEY, users: parseUsers(config.FORWARD_PASSWORDS) }, hostname: config.FORWARD_SELF_HOSTNAME ?? hostname() };
  const onConnection = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveConnection(socket, {
      enqueuer: deps.enqueuer,
      logger,
      metrics: deps.metrics,
      maxFrameBytes: config.FORWARD_MAX_FRAME_BYTES,
      maxEvents: config.MAX_EVENTS_PER_REQUEST,
      retryMs: config.FORWARD_RETRY_MS,
      keepaliveMs: config.FORWARD_KEEPALIVE_MS,
      idleTimeoutMs: config.FORWARD_IDLE_TIMEOUT_MS,
      handshake,
      now: deps.now ?? Date.now,
      closing: () => closing,
    });
  };
  const server: Server = deps.tls
    ? createTlsServer({ cert: deps.tls.cert, key: deps.tls.key, minVersion: 'TLSv1.2' }, onConnection)
    : createTcpServer(onConnection);
  if (deps.tls) server.on('tlsClientError', (err) => logger.warn({ input: 'forward', err: err.message }, 'forward: TLS handshake failed'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.FORWARD_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.error({ input: 'forward', err: err.message }, 'forward: server error'));
  const port = (server.address() as AddressInfo).port;

  const udp: UdpSocket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  udp.on('message', (_msg, rinfo) => udp.send(Buffer.from([0]), rinfo.port, rinfo.address, () => undefined));
  udp.on('error', (err) => logger.warn({ input: 'forward', err: err.message }, 'forward: UDP heartbeat socket error'));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, host, () => {
      udp.off('error', reject);
      resolve();
    });
  });

  logger.info(
    { input: 'forward', address: server.address(), tls: Boolean(deps.tls), handshake: handshake !== undefined, users: handshake?.secrets.users.size ?? 0 },
    'forward input listening',
  );
  return {
    port,
    tls: Boolean(deps.tls),
    async close() {
      closing = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Unacknowledged chunks are resent by the client; acknowledged ones are in Redis already.
        for (const s of sockets) s.end();
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 2000).unref();
      });
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}
