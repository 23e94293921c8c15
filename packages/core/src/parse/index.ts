/**
 * Per-line parsing, multi-line joining and byte decoding (see event.ts, join.ts, bytes.ts).
 */
export { parseEvent } from './event.ts';
export { type ParseContext, CONSOLE_CLOCK_SKEW_MS, fileDateFromName, zoneOffsetMs } from './context.ts';
export { EventJoiner, joinRecords, type JoinOptions } from './join.ts';
export { decodeLogBytes, splitLines } from './bytes.ts';
export { isHeaderLine } from './header.ts';
export { levelSeverity } from './scan.ts';
