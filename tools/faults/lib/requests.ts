/**
 * What the scenarios send: real JBoss/WildFly lines (../shared/data/jboss, cycled) or, on a fresh
 * clone, the project's synthetic WildFly log — as NDJSON bodies the way Fluent Bit's `json_lines`
 * posts them. Every request goes to `/ingest/<tag>` with a tag of its own, so the per-source
 * counters written by the workers tell, request by request, whether its events got verdicts
 * (and how many times). The expected verdict count of a request is computed here with the same
 * decoder and joiner the services use.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBody, joinRecords } from '@logforest/core';
import { syntheticJboss } from '@logforest/core/testing';
import { ROOT } from '../../../tests/stack/proc.ts';

export interface LinePool {
  lines: string[];
  /** Where the lines come from (for the report). */
  origin: string;
}

/** The real JBoss logs when present (LOGFOREST_DATA or ../shared/data/jboss), else synthetic ones. */
export function linePool(opts: { synthetic?: boolean } = {}): LinePool {
  const dir = process.env['LOGFOREST_DATA'] ?? join(ROOT, '../shared/data/jboss');
  if (!opts.synthetic && existsSync(dir)) {
    const files = readdirSync(dir).filter((f) => f.includes('server.log')).sort();
    const lines = files.flatMap((f) => readFileSync(join(dir, f), 'utf8').split(/\r?\n/)).filter((l) => l.trim() !== '');
    if (lines.length > 0) return { lines, origin: `${files.length} real JBoss/WildFly server.log files (${lines.length} lines, cycled)` };
  }
  const { lines } = syntheticJboss(6000, 11, 30);
  return { lines, origin: `synthetic WildFly server.log (core/testing syntheticJboss, ${lines.length} lines, cycled)` };
}

/** Lines to train the scenario's model on (a slice of the pool, so few events look anomalous). */
export function trainingLines(pool: LinePool, max = 4000): string[] {
  return pool.lines.length <= max ? pool.lines : pool.lines.slice(0, max);
}

export interface IngestRequest {
  seq: number;
  tag: string;
  body: Buffer;
  /** Records in the body (what ingest answers as `accepted`). */
  records: number;
  /** Verdicts the workers must write for it (records after multi-line joining). */
  events: number;
}

export interface RequestFactory {
  next(): IngestRequest;
  /** Requests made so far. */
  readonly made: number;
}

/**
 * Requests of `linesPerRequest` lines each, cut from the pool in order (the pool is cycled in whole
 * chunks, so each distinct body is built once and reused: the client costs next to nothing); each
 * carries tag `<run>-<seq>`. Keep `linesPerRequest` ≤ ingest's BATCH_MAX_EVENTS so one request is
 * one job.
 */
export function requestFactory(pool: LinePool, run: string, linesPerRequest: number): RequestFactory {
  const chunks = Math.max(1, Math.floor(pool.lines.length / linesPerRequest));
  const built = new Map<number, { body: Buffer; records: number; events: number }>();
  const build = (chunk: number): { body: Buffer; records: number; events: number } => {
    const date = Date.now() / 1000;
    const parts: string[] = [];
    for (let i = 0; i < linesPerRequest; i++) {
      parts.push(JSON.stringify({ date, log: pool.lines[(chunk * linesPerRequest + i) % pool.lines.length] }));
    }
    const body = Buffer.from(`${parts.join('\n')}\n`);
    const records = decodeBody(body, { contentType: 'application/x-ndjson', receivedAt: Date.now(), tag: run, maxEvents: 1_000_000 });
    // The worker gives records without a source the route tag; one source for all, as here.
    const tagged = records.map((r) => (r.source === undefined ? { ...r, source: run } : r));
    return { body, records: records.length, events: joinRecords(tagged).length };
  };
  let seq = 0;
  return {
    get made() {
      return seq;
    },
    next() {
      const chunk = seq % chunks;
      seq++;
      let b = built.get(chunk);
      if (!b) {
        b = build(chunk);
        built.set(chunk, b);
      }
      return { seq, tag: `${run}-${seq}`, ...b };
    },
  };
}
