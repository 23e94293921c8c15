/**
 * Reading the CLI's input: a file or stdin, decoded (UTF-8 or ISO-8859-1) and split into lines.
 * Every failure is a CliError with one clear sentence.
 */
import { readFileSync } from 'node:fs';
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

export function readInput(path: string, receivedAt = Date.now()): Input {
  const bytes = readBytes(path);
  const name = path === '-' ? 'stdin' : path;
  if (bytes.length === 0) throw new CliError(`${name} is empty: nothing to analyze`);
  if (looksBinary(bytes)) throw new CliError(`${name} looks like a binary file, not a text log`);
  const lines = splitLines(decodeLogBytes(bytes));
  if (lines.every((l) => l.trim() === '')) throw new CliError(`${name} has no non-blank lines: nothing to analyze`);
  const fileDate = path === '-' ? undefined : fileDateFromName(basename(path));
  const parse: ParseContext = { receivedAt, ...(fileDate !== undefined ? { fileDate } : {}) };
  const records: LogRecord[] = lines.map((line) => ({ line }));
  return { name, lines, records, parse };
}
