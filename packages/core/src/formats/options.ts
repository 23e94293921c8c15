/**
 * Options shared by the body decoders, with their defaults, and the resolved context the format
 * decoders receive.
 */
import type { RecordContext } from './record/index.ts';

/** Default for {@link DecodeOptions.maxEvents}. */
export const DEFAULT_MAX_EVENTS = 100_000;
/** Default for {@link DecodeOptions.maxDepth}. */
export const DEFAULT_MAX_DEPTH = 64;
/** Default for {@link DecodeOptions.maxRecordBytes}: 1 MiB. */
export const DEFAULT_MAX_RECORD_BYTES = 1 << 20;

/** Options of `decodeBody` (and `decodeBulk`). */
export interface DecodeOptions {
  /**
   * The request's Content-Type header, parameters allowed (`application/json; charset=UTF-8`).
   * Missing or generic (`application/octet-stream`, `application/x-www-form-urlencoded` as
   * `curl -d` sends, `*\/*`) → the format is sniffed from the first non-space byte.
   */
  contentType?: string | undefined;
  /**
   * Receipt time, epoch ms. Records keep `ts` undefined when the shipper sent no time (the caller
   * stamps receipt time); `receivedAt` only bounds which values are believable times: a record
   * time before 1990 or more than a day after receipt is ignored (and kept in `fields`).
   */
  receivedAt: number;
  /** Source for records that name none, e.g. the `:tag` of `POST /ingest/:tag`. */
  tag?: string | undefined;
  /** Most events accepted in one body; more answers 413 (`too_many_events`). Default 100,000. */
  maxEvents?: number | undefined;
  /**
   * Deepest nesting of objects/arrays accepted in one record (a record object is level 1);
   * deeper answers 400 (`too_deep`). Protects JSON.stringify and every later consumer. Default 64.
   */
  maxDepth?: number | undefined;
  /**
   * Largest single record, in bytes of msgpack or characters of JSON/text (the same for ASCII);
   * larger answers 413 (`record_too_large`). Default 1 MiB.
   */
  maxRecordBytes?: number | undefined;
}

/** Options resolved to numbers, as the format decoders see them. */
export interface DecodeContext extends RecordContext {
  maxEvents: number;
  maxDepth: number;
  maxRecordBytes: number;
}

/** Applies defaults. */
export function resolveOptions(opts: DecodeOptions): DecodeContext {
  return {
    receivedAt: opts.receivedAt,
    tag: opts.tag,
    maxEvents: opts.maxEvents ?? DEFAULT_MAX_EVENTS,
    maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxRecordBytes: opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
  };
}
