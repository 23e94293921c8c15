/**
 * Body → records, shared by the routes that take events: undo Content-Encoding under
 * MAX_DECOMPRESSED_BYTES, then decode whatever format the shipper sent. Also understands the
 * seed's `{"logs": ["line", …]}` shape (a single-line `{"log": "…"}` is already a record).
 */
import type { Request } from 'express';
import { z } from 'zod';
import { decodeBody, decompressBody, type LogRecord } from '@logforest/core';
import { HttpError } from '../http/errors.ts';
import type { RouteContext } from '../context.ts';

/** The seed's request body: `{"logs": [...]}`. */
export const seedLogsSchema = z.object({
  logs: z.array(z.string({ error: 'every item of "logs" must be a string (one log line)' })),
});

export interface DecodeRequestOptions {
  receivedAt: number;
  tag?: string | undefined;
  maxEvents: number;
  /** Accept `{"logs": [...]}` (seed endpoints). @defaultValue false */
  seedShape?: boolean;
}

/** The decompressed body (empty Buffer for an empty body). */
export function requestBody(req: Request, ctx: RouteContext): Buffer {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  return decompressBody(raw, req.headers['content-encoding'], { maxDecompressedBytes: ctx.config.MAX_DECOMPRESSED_BYTES });
}

function firstByte(body: Buffer): number | undefined {
  for (let i = 0; i < body.length && i < 1024; i++) {
    const b = body[i] as number;
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf) return b;
  }
  return undefined;
}

/** Records of the seed's `{"logs": [...]}` body, or undefined when the body is another shape. */
export function seedRecords(body: Buffer, maxEvents: number): LogRecord[] | undefined {
  if (firstByte(body) !== 0x7b /* { */) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined; // NDJSON or broken JSON: the generic decoder reports it
  }
  if (typeof parsed !== 'object' || parsed === null || !Object.hasOwn(parsed, 'logs')) return undefined;
  const seed = seedLogsSchema.safeParse(parsed);
  if (!seed.success) throw new HttpError(400, 'invalid_request', z.prettifyError(seed.error).replaceAll('\n', '; '));
  if (seed.data.logs.length > maxEvents) {
    throw new HttpError(413, 'too_many_events', `${seed.data.logs.length} lines exceed the limit of ${maxEvents} per request`);
  }
  return seed.data.logs.map((line) => ({ line }));
}

/** Decode an already decompressed body into records. */
export function decodeRecords(body: Buffer, req: Request, o: DecodeRequestOptions): LogRecord[] {
  if (o.seedShape) {
    const seed = seedRecords(body, o.maxEvents);
    if (seed) return seed;
  }
  return decodeBody(body, { contentType: req.headers['content-type'], receivedAt: o.receivedAt, tag: o.tag, maxEvents: o.maxEvents });
}
