/**
 * Errors raised while turning an HTTP body into records. Each carries the HTTP status the ingest
 * layer should answer with and a stable machine-readable `code`, so a handler can do
 * `if (isFormatError(e)) res.status(e.status).json({ error: e.code, message: e.message })`.
 * Anything else thrown out of `formats/` is a bug.
 */

/** Machine-readable reasons, stable across releases (used in responses and metrics labels). */
export type FormatErrorCode =
  | 'empty_body'
  | 'invalid_json'
  | 'invalid_msgpack'
  | 'invalid_bulk'
  | 'invalid_compression'
  | 'too_deep'
  | 'too_many_events'
  | 'record_too_large'
  | 'body_too_large'
  | 'unsupported_encoding'
  | 'unsupported_media_type'
  | 'undecodable';

/** Base class: a body the decoders refuse, with the HTTP status to answer. */
export class FormatError extends Error {
  /** HTTP status to answer with (400, 413 or 415). */
  readonly status: number;
  /** Stable reason code. */
  readonly code: FormatErrorCode;
  /**
   * Where in the (decompressed) body the problem was found, when known: a character offset for
   * text formats, a byte offset for msgpack.
   */
  readonly offset: number | undefined;

  constructor(status: number, code: FormatErrorCode, message: string, offset?: number) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.offset = offset;
  }
}

/** 400: the body is malformed (bad JSON/msgpack, corrupt or truncated compression, empty, too deep). Shippers drop it. */
export class BadRequestError extends FormatError {
  constructor(code: FormatErrorCode, message: string, offset?: number) {
    super(400, code, message, offset);
  }
}

/**
 * 413: the body (once decompressed), one record, or the number of events passes a limit.
 * Filebeat answers 413 by splitting the batch and retrying; other shippers drop or retry.
 */
export class BodyTooLargeError extends FormatError {
  constructor(code: 'body_too_large' | 'record_too_large' | 'too_many_events', message: string, offset?: number) {
    super(413, code, message, offset);
  }
}

/** 415: a Content-Encoding (snappy, zstd, …) or Content-Type we cannot decode. */
export class UnsupportedMediaTypeError extends FormatError {
  constructor(code: 'unsupported_encoding' | 'unsupported_media_type', message: string) {
    super(415, code, message);
  }
}

/** Type guard for the whole family. */
export function isFormatError(err: unknown): err is FormatError {
  return err instanceof FormatError;
}
