/**
 * Shipper payload decoding: HTTP body bytes → LogRecord[]. Pure functions, no I/O.
 *
 *   const raw = decompressBody(req.body, req.headers['content-encoding'], { maxDecompressedBytes });
 *   const records = decodeBody(raw, { contentType: req.headers['content-type'], receivedAt: Date.now(), tag });
 *   // Elasticsearch-compatible endpoint:
 *   const { records, items } = decodeBulk(raw, { receivedAt, index: req.params.index });
 *   res.status(200).type('application/json').send(bulkResponse(items, took, req.query.filter_path));
 *
 * Every refusal is a FormatError carrying the HTTP status (400, 413, 415) and a stable code.
 */
export {
  BadRequestError,
  BodyTooLargeError,
  FormatError,
  type FormatErrorCode,
  isFormatError,
  UnsupportedMediaTypeError,
} from './errors.ts';
export { type DecompressLimits, decompressBody } from './compression/index.ts';
export {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_EVENTS,
  DEFAULT_MAX_RECORD_BYTES,
  type DecodeOptions,
} from './options.ts';
export {
  type BodyFormat,
  decodeBody,
  type FormatName,
  FORMATS,
  formatForContentType,
  sniffFormat,
} from './registry.ts';
export {
  applyFilterPath,
  type BulkAction,
  type BulkDecodeOptions,
  type BulkDecodeResult,
  type BulkItem,
  type BulkItemError,
  bulkResponse,
  decodeBulk,
} from './es-bulk/index.ts';
export { toRecord as recordFromShipperValue, type RecordContext } from './record/index.ts';
