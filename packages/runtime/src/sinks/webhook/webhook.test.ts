import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookSink, type AlertPayload } from './webhook.ts';

const logger = pino({ level: 'silent' });
const payload = (batchId: string): AlertPayload => ({ batchId, receivedAt: 1, scoredAt: 2, model_version: 'v1', anomalies: [{ log: 'x' }] });

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function listen(handler: (req: IncomingMessage, body: string, n: number) => number | 'hang'): Promise<string> {
  let n = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const status = handler(req, body, ++n);
      if (status !== 'hang') res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/hook?token=secret`;
}

describe('alert webhook', () => {
  it('posts the batch anomalies as JSON and retries 5xx', async () => {
    const bodies: unknown[] = [];
    const url = await listen((req, body, n) => {
      bodies.push({ ct: req.headers['content-type'], body: JSON.parse(body) });
      return n === 1 ? 503 : 204;
    });
    const sink = createWebhookSink({ url, logger, backoffMs: 10 });
    sink.notify(payload('b1'));
    await sink.close();
    expect(sink.stats).toEqual({ sent: 1, failed: 0, dropped: 0 });
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toEqual({ ct: 'application/json', body: payload('b1') });
  });

  it('gives up after bounded retries, does not retry 4xx, and never throws', async () => {
    let calls = 0;
    const url = await listen((_req, body) => {
      calls++;
      return (JSON.parse(body) as AlertPayload).batchId === 'bad' ? 400 : 500;
    });
    const sink = createWebhookSink({ url, logger, retries: 2, backoffMs: 5 });
    sink.notify(payload('bad'));
    sink.notify(payload('down'));
    await sink.close();
    expect(sink.stats).toEqual({ sent: 0, failed: 2, dropped: 0 });
    expect(calls).toBe(1 + 3);
  });

  it('times out a hanging receiver without blocking notify, and drops alerts when saturated', async () => {
    const url = await listen(() => 'hang');
    const sink = createWebhookSink({ url, logger, timeoutMs: 100, retries: 0, maxInFlight: 2 });
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) sink.notify(payload(`b${i}`));
    expect(Date.now() - t0).toBeLessThan(50);
    await sink.close(2000);
    expect(sink.stats).toEqual({ sent: 0, failed: 2, dropped: 3 });
    server?.closeAllConnections();
  });
});
