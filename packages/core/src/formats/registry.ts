/**
 * The static registry of body formats and `decodeBody`, which picks one by Content-Type or, when
 * the header is missing or generic, by sniffing the first non-space byte.
 *
 * Sniffing: `[` or `{` → JSON (falling back to text when it does not parse, since plain log lines
 * often start with `[`); 0x80–0x9f, 0xdc, 0xdd (a msgpack map/array header, never valid UTF-8 text
 * start) → msgpack; anything else → text. An explicit JSON or msgpack Content-Type is trusted: a
 * body that does not parse answers 400.
 */
import type { LogRecord } from '../types.ts';
import { BadRequestError, FormatError, UnsupportedMediaTypeError } from './errors.ts';
import { decodeJsonText } from './json/index.ts';
import { decodeMsgpack } from './msgpack/index.ts';
import { type DecodeContext, type DecodeOptions, resolveOptions } from './options.ts';
import { decodeInPieces } from './pieces.ts';
import { decodeTextLines } from './text/index.ts';

/** Names of the body formats `decodeBody` knows. */
export type FormatName = 'json' | 'msgpack' | 'text';

/** One entry of the registry. */
export interface BodyFormat {
  name: FormatName;
  /** Media types (lower-case, without parameters) that select this format. */
  mediaTypes: readonly string[];
  /** Decodes an already decompressed body. */
  decode(body: Buffer, ctx: DecodeContext): LogRecord[];
}

/** The registry: every body format, by name. */
export const FORMATS: Readonly<Record<FormatName, BodyFormat>> = {
  json: {
    name: 'json',
    mediaTypes: [
      'application/json',
      'text/json',
      'application/x-ndjson',
      'application/ndjson',
      'application/x-jsonlines',
      'application/jsonlines',
      'application/json-lines',
      'application/jsonl',
      'application/json-seq',
    ],
    decode: (body, ctx) => decodeInPieces(body, 'json', ctx, decodeJsonText),
  },
  msgpack: {
    name: 'msgpack',
    mediaTypes: ['application/msgpack', 'application/x-msgpack', 'application/vnd.msgpack'],
    decode: (body, ctx) => decodeMsgpack(body, ctx),
  },
  text: {
    name: 'text',
    mediaTypes: ['text/plain', 'text/csv', 'text/tab-separated-values', 'text/x-log', 'application/x-log'],
    decode: (body, ctx) => decodeInPieces(body, 'text', ctx, decodeTextLines),
  },
};

/** Media types that say nothing about the body: sniff instead. */
const GENERIC = new Set(['', '*/*', 'application/octet-stream', 'application/x-www-form-urlencoded', 'binary/octet-stream']);

/** Media types we recognise but cannot decode. */
const UNSUPPORTED = new Set(['application/x-protobuf', 'application/protobuf', 'application/grpc', 'application/avro']);

const BY_MEDIA_TYPE: ReadonlyMap<string, FormatName> = new Map(
  Object.values(FORMATS).flatMap((f) => f.mediaTypes.map((t) => [t, f.name] as const)),
);

/**
 * The format a Content-Type selects, or undefined when it is missing or generic (sniff).
 * `application/*+json` counts as JSON, other `text/*` as text; an unknown type is sniffed.
 * @throws UnsupportedMediaTypeError (415) for protobuf/gRPC/Avro bodies
 */
export function formatForContentType(contentType: string | undefined): FormatName | undefined {
  if (contentType === undefined) return undefined;
  const semi = contentType.indexOf(';');
  const type = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (GENERIC.has(type)) return undefined;
  const known = BY_MEDIA_TYPE.get(type);
  if (known !== undefined) return known;
  if (UNSUPPORTED.has(type)) {
    throw new UnsupportedMediaTypeError('unsupported_media_type', `Content-Type "${type}" is not supported`);
  }
  if (type.endsWith('+json')) return 'json';
  if (type.startsWith('text/')) return 'text';
  return undefined;
}

/** The format a body looks like, from its first non-space byte. */
export function sniffFormat(body: Uint8Array): FormatName {
  let i = 0;
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) i = 3; // UTF-8 BOM
  while (i < body.length) {
    const b = body[i] as number;
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) break;
    i++;
  }
  const b = body[i];
  if (b === undefined) return 'text';
  if (b === 0x5b || b === 0x7b) return 'json';
  if ((b >= 0x80 && b <= 0x9f) || b === 0xdc || b === 0xdd) return 'msgpack';
  return 'text';
}

/**
 * Decodes a shipper body (already decompressed, see `decompressBody`) into records.
 * @throws FormatError: BadRequestError (400), BodyTooLargeError (413), UnsupportedMediaTypeError (415)
 */
export function decodeBody(body: Buffer, opts: DecodeOptions): LogRecord[] {
  if (body.length === 0) throw new BadRequestError('empty_body', 'empty body');
  const ctx = resolveOptions(opts);
  const declared = formatForContentType(opts.contentType);
  if (declared !== undefined) return guard(() => FORMATS[declared].decode(body, ctx));
  const sniffed = sniffFormat(body);
  if (sniffed !== 'json') return guard(() => FORMATS[sniffed].decode(body, ctx));
  try {
    return decodeInPieces(body, 'json', ctx, decodeJsonText);
  } catch (err) {
    // Not JSON after all: plain log lines starting with '[' or '{'. Limits still apply.
    if (err instanceof BadRequestError && err.code === 'invalid_json') return guard(() => decodeInPieces(body, 'text', ctx, decodeTextLines));
    throw toFormatError(err);
  }
}

function guard(fn: () => LogRecord[]): LogRecord[] {
  try {
    return fn();
  } catch (err) {
    throw toFormatError(err);
  }
}

/** Anything unexpected (a bug, or an engine limit) still answers as a 400, never a 500 with a stack. */
function toFormatError(err: unknown): FormatError {
  if (err instanceof FormatError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new BadRequestError('undecodable', `body could not be decoded: ${msg}`);
}
