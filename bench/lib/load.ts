/**
 * The load generator of the end-to-end bench: NDJSON bodies the way Fluent Bit's `json_lines`
 * output sends them (`{"date":…,"log":…}` per line), posted by `concurrency` clients spread over
 * the ingest processes (client c → ingest c mod n), retrying 503 like a shipper.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Non-empty lines of every `*server.log*` file under `dir`. */
export function jbossLines(dir: string): string[] {
  const files = readdirSync(dir).filter((f) => f.includes('server.log'));
  const lines = files.flatMap((f) => readFileSync(join(dir, f), 'utf8').split(/\r?\n/)).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error(`no JBoss lines (files named *server.log*) under ${dir}`);
  return lines;
}

/**
 * `count` distinct bodies of `batch` lines each, cycling through `lines`. Built before the clock
 * starts so the load generator, which shares the cores with the services, spends its time
 * sending rather than encoding.
 */
export function buildBodies(lines: string[], batch: number, gzip: boolean, count = 64): Buffer[] {
  const bodies: Buffer[] = [];
  let cursor = 0;
  for (let b = 0; b < count; b++) {
    const out: string[] = [];
    for (let i = 0; i < batch; i++) out.push(JSON.stringify({ date: Date.now() / 1000, log: lines[cursor++ % lines.length] }));
    const raw = Buffer.from(out.join('\n') + '\n');
    bodies.push(gzip ? gzipSync(raw, { level: 1 }) : raw);
  }
  return bodies;
}

export interface LoadOptions {
  /** Ingest base URLs; clients are spread over them. */
  bases: string[];
  bodies: Buffer[];
  /** Lines in each body. */
  batch: number;
  gzip: boolean;
  concurrency: number;
  seconds: number;
  /** Offered lines/s across all clients (paced); as fast as answered when omitted. */
  rate?: number | undefined;
  /** Stop once this many lines were accepted (rounded up to whole requests). */
  maxLines?: number | undefined;
}

export interface LoadResult {
  /** Lines acknowledged (202). */
  accepted: number;
  /** 503 answers (each retried after 100 ms). */
  refused: number;
  seconds: number;
}

export async function load(o: LoadOptions): Promise<LoadResult> {
  let next = 0;
  let accepted = 0;
  let refused = 0;
  let claimed = 0;
  const started = performance.now();
  const deadline = started + o.seconds * 1000;
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson', ...(o.gzip ? { 'content-encoding': 'gzip' } : {}) };
  const gap = o.rate ? (o.concurrency * o.batch * 1000) / o.rate : 0; // ms between one client's requests
  const client = async (c: number) => {
    const url = `${o.bases[c % o.bases.length]}/ingest/bench`;
    let due = started + (gap * c) / o.concurrency;
    while (performance.now() < deadline) {
      if (o.maxLines !== undefined && claimed >= o.maxLines) return;
      claimed += o.batch;
      if (gap) {
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        due += gap;
      }
      const body = o.bodies[next++ % o.bodies.length] as Buffer;
      for (;;) {
        const res = await fetch(url, { method: 'POST', body, headers });
        await res.arrayBuffer();
        if (res.status === 202) {
          accepted += o.batch;
          break;
        }
        if (res.status !== 503) throw new Error(`ingest answered ${res.status}`);
        refused++;
        await sleep(100);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, c) => client(c)));
  return { accepted, refused, seconds: (performance.now() - started) / 1000 };
}
