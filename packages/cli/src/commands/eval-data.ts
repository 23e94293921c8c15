/**
 * Data for `logforest eval`: files read into events (stack traces joined, or one event per line
 * for per-line labels), an optional time split, and the ground truth of the test events.
 *
 * Labels:
 *   signature — an ERROR/FATAL/SEVERE (or worse) test event whose signature (core `signatureOf`,
 *               falling back to logger category + masked text) never occurred in the training events;
 *   bgl       — BGL's leading label token ('-' = normal), stripped before scoring;
 *   loghub    — the Label column of `<file>_structured.csv` beside the file;
 *   proxy     — the seed's proxy label (auth failure / failed password in the message);
 *   FILE      — a CSV of `line_no,label` (1-based line of the test file; label 1/0, true/false;
 *               lines not listed are normal). An event is positive when any of its lines is.
 */
import { readFileSync } from 'node:fs';
import {
  joinRecords, maskedSignature, parseEvent, proxyLabel, signatureOf, type LogRecord, type ParseContext, type ParsedEvent,
} from '@logforest/core';
import { CliError, readInput } from '../input.ts';
import { applyLabels, csvFields } from '../labels.ts';

export type EvalLabels = 'signature' | 'bgl' | 'loghub' | 'proxy' | { file: string };

/** Levels that count as an error for the signature labels and the "every ERROR/FATAL line" baseline. */
const ERROR_LEVELS = new Set(['ERROR', 'SEVERE', 'FATAL', 'CRIT', 'CRITICAL', 'ALERT', 'EMERG']);
const FATAL_LEVELS = new Set(['FATAL', 'CRIT', 'CRITICAL', 'ALERT', 'EMERG']);

/** Events of one or more files, in order, with what evaluation needs beside the text. */
export interface EventSet {
  files: string[];
  records: LogRecord[];
  parsed: ParsedEvent[];
  /** 1-based first line of each event in its own file. */
  firstLine: Int32Array;
  /** Lines each event spans. */
  lineCount: Int32Array;
  /** Per-line labels carried by the file (bgl, loghub), per event; undefined otherwise. */
  lineLabels?: Uint8Array;
}

/** One parse context for every file: files with a date in their name stamp it on their records. */
export const EVAL_PARSE: ParseContext = { receivedAt: Date.UTC(2000, 0, 1) };

export function perLine(labels: EvalLabels): boolean {
  return labels === 'bgl' || labels === 'loghub';
}

/** Read one file into events. */
function readFile(path: string, labels: EvalLabels): EventSet {
  const input = readInput(path);
  const stamp = input.parse.fileDate;
  let records: LogRecord[];
  let lineLabels: Uint8Array | undefined;
  if (perLine(labels)) {
    const l = applyLabels(labels as 'bgl' | 'loghub', path, input.records);
    records = l.records;
    lineLabels = l.labels;
  } else records = joinRecords(input.records);
  // The last instant of the file's day: the reference a time-only line may not lie after (parse
  // context.ts), so every `HH:mm:ss,SSS` line lands on the day the name gives.
  if (stamp !== undefined) records = records.map((r) => ({ ...r, ts: stamp + 86_400_000 - 1 }));
  const firstLine = new Int32Array(records.length);
  const lineCount = new Int32Array(records.length);
  let line = 1;
  records.forEach((r, i) => {
    let n = 1;
    for (let k = r.line.indexOf('\n'); k >= 0; k = r.line.indexOf('\n', k + 1)) n++;
    firstLine[i] = line;
    lineCount[i] = n;
    line += n;
  });
  if (line - 1 !== input.lines.length) throw new Error(`internal: events of ${path} span ${line - 1} lines, the file has ${input.lines.length}`);
  const parsed = records.map((r) => parseEvent(r, EVAL_PARSE));
  return { files: [input.name], records, parsed, firstLine, lineCount, ...(lineLabels ? { lineLabels } : {}) };
}

function concat(sets: EventSet[]): EventSet {
  if (sets.length === 1) return sets[0] as EventSet;
  const cat = (f: (s: EventSet) => Int32Array) => Int32Array.from(sets.flatMap((s) => Array.from(f(s))));
  const withLabels = sets.every((s) => s.lineLabels);
  return {
    files: sets.flatMap((s) => s.files),
    records: sets.flatMap((s) => s.records),
    parsed: sets.flatMap((s) => s.parsed),
    firstLine: cat((s) => s.firstLine),
    lineCount: cat((s) => s.lineCount),
    ...(withLabels ? { lineLabels: Uint8Array.from(sets.flatMap((s) => Array.from(s.lineLabels as Uint8Array))) } : {}),
  };
}

export function readFiles(paths: string[], labels: EvalLabels): EventSet {
  return concat(paths.map((p) => readFile(p, labels)));
}

function slice(s: EventSet, from: number, to: number): EventSet {
  return {
    files: s.files,
    records: s.records.slice(from, to),
    parsed: s.parsed.slice(from, to),
    firstLine: s.firstLine.slice(from, to),
    lineCount: s.lineCount.slice(from, to),
    ...(s.lineLabels ? { lineLabels: s.lineLabels.slice(from, to) } : {}),
  };
}

/**
 * Time split of one file: its first `fraction` of events (in file order, which is time order for
 * a server log) train, the rest test. Throws a CliError when either part would be empty.
 */
export function timeSplit(s: EventSet, fraction: number): { train: EventSet; test: EventSet } {
  const cut = Math.round(s.records.length * fraction);
  if (cut < 2 || cut >= s.records.length) {
    throw new CliError(`--split ${fraction} leaves ${cut} of ${s.records.length} events to train and ${s.records.length - cut} to test; each part needs events`, 2);
  }
  return { train: slice(s, 0, cut), test: slice(s, cut, s.records.length) };
}

export const isError = (ev: ParsedEvent): boolean => ERROR_LEVELS.has(ev.level);
export const isFatal = (ev: ParsedEvent): boolean => FATAL_LEVELS.has(ev.level);

/** The signature used by the evaluation labels. */
export function evalSignature(ev: ParsedEvent, text: string): string {
  return signatureOf(ev, text, '') || maskedSignature(ev.component, ev.message);
}

/** `line_no,label` CSV → set of positive line numbers. A first row that is not numeric is a header. */
function readLabelFile(path: string): Set<number> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read labels '${path}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, 2);
  }
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out = new Set<number>();
  let data = 0;
  rows.forEach((row, i) => {
    if (row.trim() === '') return;
    const [a = '', b = '', ...rest] = csvFields(row).map((c) => c.trim());
    if (data === 0 && i === 0 && !/^\d+$/.test(a)) return; // header
    data++;
    const where = `${path} line ${i + 1}`;
    if (rest.length || b === '') throw new CliError(`${where}: expected "line_no,label", got "${row}"`, 2);
    if (!/^\d+$/.test(a) || Number(a) < 1) throw new CliError(`${where}: line_no must be a positive integer, got "${a}"`, 2);
    const v = b.toLowerCase();
    if (v === '1' || v === 'true') out.add(Number(a));
    else if (v !== '0' && v !== 'false') throw new CliError(`${where}: label must be 1/0 or true/false, got "${b}"`, 2);
  });
  if (data === 0) throw new CliError(`${path} holds no labels`, 2);
  return out;
}

/** Ground truth of the test events (1 = anomaly). */
export function testLabels(labels: EvalLabels, train: EventSet, test: EventSet): Uint8Array {
  const n = test.records.length;
  if (labels === 'bgl' || labels === 'loghub') return test.lineLabels as Uint8Array;
  if (labels === 'proxy') return Uint8Array.from(test.parsed, (ev) => proxyLabel(ev.message));
  if (labels === 'signature') {
    const seen = new Set<string>();
    train.parsed.forEach((ev, i) => seen.add(evalSignature(ev, (train.records[i] as LogRecord).line)));
    return Uint8Array.from(test.parsed, (ev, i) => (isError(ev) && !seen.has(evalSignature(ev, (test.records[i] as LogRecord).line)) ? 1 : 0));
  }
  if (new Set(test.files).size !== 1) throw new CliError('a labels file refers to the lines of one test file; give one --test file', 2);
  const positive = readLabelFile(labels.file);
  const last = n === 0 ? 0 : (test.firstLine[n - 1] as number) + (test.lineCount[n - 1] as number) - 1;
  for (const l of positive) if (l > last) throw new CliError(`${labels.file}: line ${l} is past the end of ${test.files[0]} (${last} lines)`, 2);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = test.firstLine[i] as number;
    for (let l = a; l < a + (test.lineCount[i] as number); l++) if (positive.has(l)) y[i] = 1;
  }
  return y;
}
