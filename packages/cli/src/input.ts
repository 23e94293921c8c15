/**
 * Reading the CLI's input: a file or stdin, decoded (UTF-8 or ISO-8859-1) and split into lines.
 * Every failure is a CliError with one clear sentence.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeLogBytes, fileDateFromName, splitLines, type LogRecord, type ParseContext } from '@logforest/core';

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export interface Input {
  name: string;
  lines: string[];
  records: LogRecord[];
  parse: ParseContext;
}

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new CliError(`cannot read '${path}': ${why}`, 2);
  }
}

/** True when the bytes look like a binary file rather than text logs. */
export function looksBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, 65_536);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i] as number;
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  return n > 0 && control / n > 0.1;
}

/**
 * What the CLI knows about a file's times (core does no I/O, so it is read here):
 * - `fileDate`: the `yyyy-MM-dd` in the file name (`server.log.2016-05-12`, `server-2016-05-12.log`,
 *   `server.log.2016-05-12-10`, `server.log.2016-05-12.1`) is the date of its time-only
 *   (`HH:mm:ss,SSS`) lines;
 * - otherwise those lines are placed against the file's modification time (its last line was
 *   written by then): a time of day later than the mtime's (beyond the clock-skew allowance) is
 *   the day before. stdin has no mtime: the time of the run stands in;
 * - `receivedAt`: that same reference time, the timestamp of lines that carry no time at all;
 * - `clockOffsetMs`: this machine's UTC offset at that time, as the lines were presumably
 *   written in local time (the offset of TZ; 0 under TZ=UTC).
 */
export function parseContextFor(path: string, now = Date.now()): ParseContext {
  const fileDate = path === '-' ? undefined : fileDateFromName(basename(path));
  let ref = now;
  if (path !== '-' && fileDate === undefined) {
    try {
      const m = statSync(path).mtimeMs;
      if (Number.isFinite(m) && m > 0) ref = m;
    } catch {
      // unreadable: readBytes has reported it already
    }
  }
  const clockOffsetMs = -new Date(ref).getTimezoneOffset() * 60_000;
  return { receivedAt: ref, clockOffsetMs, ...(fileDate !== undefined ? { fileDate } : {}) };
}

export function readInput(path: string, now = Date.now()): Input {
  const bytes = readBytes(path);
  const name = path === '-' ? 'stdin' : path;
  if (bytes.length === 0) throw new CliError(`${name} is empty: nothing to analyze`);
  if (looksBinary(bytes)) throw new CliError(`${name} looks like a binary file, not a text log`);
  const lines = splitLines(decodeLogBytes(bytes));
  if (lines.every((l) => l.trim() === '')) throw new CliError(`${name} has no non-blank lines: nothing to analyze`);
  const records: LogRecord[] = lines.map((line) => ({ line }));
  return { name, lines, records, parse: parseContextFor(path, now) };
}
