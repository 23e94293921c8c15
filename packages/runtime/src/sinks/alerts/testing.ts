/** Test helpers for alerts: a real HTTP receiver and verdicts to put through the writer. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertVerdict } from './alert-key.ts';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number;
}

export interface Receiver {
  url: string;
  /** Every request, with the status it was answered. */
  requests: Received[];
  /** Requests answered 2xx. */
  accepted(): Received[];
  /** Status for the next requests (default 200); 'hang' never answers. */
  answer: (n: number, body: unknown) => number | 'hang';
  /** Resolves once `accepted().length >= n`. */
  waitAccepted(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(answer: Receiver['answer'] = () => 200): Promise<Receiver> {
  const requests: Received[] = [];
  let server: Server;
  const r: Receiver = {
    url: '',
    requests,
    answer,
    accepted: () => requests.filter((q) => q.status >= 200 && q.status < 300),
    async waitAccepted(n, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      while (r.accepted().length < n) {
        if (Date.now() > end) throw new Error(`receiver: ${r.accepted().length} of ${n} requests accepted after ${timeoutMs} ms`);
        await new Promise((res) => setTimeout(res, 20));
      }
      return r.accepted();
    },
    close: () =>
      new Promise<void>((res) => {
        server.closeAllConnections();
        server.close(() => res());
      }),
  };
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // keep the text
      }
      const status = r.answer(requests.length + 1, body);
      if (status === 'hang') {
        requests.push({ path: req.url ?? '', headers: req.headers, body, status: 0 });
        return;
      }
      requests.push({ path: req.url ?? '', headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return r;
}

/** An anomalous verdict as the scorer makes it (without the newer fields unless given). */
export function anomalyVerdict(over: Partial<AlertVerdict> = {}): AlertVerdict {
  return {
    timestamp: '2024-05-06T10:15:02.123Z',
    log: '2024-05-06 10:15:02,123 ERROR [org.jboss.as.controller] (Controller Boot Thread) WFLYCTL0013: Operation ("add") failed\n\tat org.jboss.as.controller.AbstractOperationContext.executeStep(AbstractOperationContext.java:1052)',
    anomaly_score: 0.71,
    is_anomaly: true,
    threshold: 0.6,
    model_version: 'v1',
    host: 'app3',
    source: 'jboss',
    template: 'WFLYCTL0013: Operation (<*>) failed',
    template_id: 't42',
    explanation: [{ feature: 'template_rarity', value: 0.98, contribution: 0.6 }],
    ...over,
  };
}
