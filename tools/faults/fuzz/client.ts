/**
 * Sending fuzz cases over HTTP (keep-alive, bounded concurrency, 127.0.0.1 only) and judging each
 * answer: a status class, and for every refusal a JSON error with a non-empty message.
 */
import { Agent, request } from 'node:http';
import type { FuzzCase } from './cases.ts';

export interface Answer {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** Why an answer breaks the contract, or undefined when it is fine. */
export function judge(a: Answer): string | undefined {
  if (a.status >= 500) return `status ${a.status}: ${a.body.slice(0, 200)}`;
  if (a.status < 400) return undefined;
  if (!a.contentType?.includes('application/json')) return `${a.status} with Content-Type ${a.contentType ?? '(none)'}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(a.body);
  } catch {
    return `${a.status} body is not JSON: ${a.body.slice(0, 120)}`;
  }
  const error = (parsed as { error?: { message?: unknown; code?: unknown } } | null)?.error;
  if (typeof error?.message !== 'string' || error.message.trim() === '') return `${a.status} error without a message: ${a.body.slice(0, 120)}`;
  if (typeof error.code !== 'string' || error.code === '') return `${a.status} error without a code: ${a.body.slice(0, 120)}`;
  return undefined;
}

/** Counts of one phase (plain data: it crosses a worker boundary). */
export interface Tally {
  sent: number;
  classes: Record<string, number>;
  violations: number;
  examples: string[];
  transportErrors: number;
  byKind: Record<string, Record<string, number>>;
}

export const newTally = (): Tally => ({ sent: 0, classes: {}, violations: 0, examples: [], transportErrors: 0, byKind: {} });

/** Count one answer (or transport error) and judge it. */
export function record(t: Tally, c: FuzzCase, a: Answer | Error): void {
  t.sent++;
  const cls = a instanceof Error ? 'transport error' : `${Math.floor(a.status / 100)}xx`;
  t.classes[cls] = (t.classes[cls] ?? 0) + 1;
  const k = (t.byKind[c.kind] ??= {});
  k[cls] = (k[cls] ?? 0) + 1;
  const where = `${c.kind} ${c.method} ${c.path.slice(0, 60)} ct=${c.contentType} ce=${c.contentEncoding}`;
  if (a instanceof Error) {
    t.transportErrors++;
    if (t.examples.length < 8) t.examples.push(`${where}: ${a.message}`);
    return;
  }
  const why = judge(a);
  if (why !== undefined) {
    t.violations++;
    if (t.examples.length < 8) t.examples.push(`${where}: ${why}`);
  }
}

export interface Sender {
  send(c: FuzzCase): Promise<Answer>;
  close(): void;
}

export function createSender(baseUrl: string, token: string, concurrency: number): Sender {
  const url = new URL(baseUrl);
  if (url.hostname !== '127.0.0.1') throw new Error(`the fuzzer only sends to 127.0.0.1, not ${url.hostname}`);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  function send(c: FuzzCase): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { authorization: `Bearer ${token}`, 'content-length': c.body.length };
      if (c.contentType !== undefined) headers['content-type'] = c.contentType;
      if (c.contentEncoding !== undefined) headers['content-encoding'] = c.contentEncoding;
      const req = request({ host: '127.0.0.1', port: url.port, method: c.method, path: c.path, headers, agent, timeout: 60_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      let previous = '(new socket)';
      req.on('socket', (sock) => {
        const tagged = sock as typeof sock & { lastCase?: string };
        previous = tagged.lastCase ?? previous;
        tagged.lastCase = `${c.kind} ${c.method} ${c.path.slice(0, 40)} ${c.body.length}B`;
      });
      req.on('timeout', () => req.destroy(new Error('request timed out after 60 s')));
      req.on('error', (e: Error) => reject(new Error(`${e.message} (previous request on this connection: ${previous})`)));
      req.end(c.body);
    });
  }
  return { send, close: () => agent.destroy() };
}
