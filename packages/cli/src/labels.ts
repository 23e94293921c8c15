/**
 * Ground truth for `logforest eval`:
 *   proxy   — the seed's proxy label: 1 if the message has "authentication failure" or "failed password";
 *   bgl     — BGL's leading label token ('-' = normal, anything else = alert), stripped before scoring;
 *   loghub  — the `Label` column of Loghub's `<file>_structured.csv` beside the input ('-' = normal).
 */
import { existsSync, readFileSync } from 'node:fs';
import { proxyLabel, type LogRecord } from '@logforest/core';
import { CliError } from './input.ts';

/** BGL/Thunderbird alert tags: capitals and digits (`KERNDTLB`, `APPSEV`, `VAPI`). */
const ALERT_TAG = /^[A-Z][A-Z0-9_]{0,31}$/;

export type LabelSource = 'proxy' | 'bgl' | 'loghub';

export interface Labelled {
  records: LogRecord[];
  /** One label per record, or undefined when labels come from the events (proxy). */
  labels?: Uint8Array;
}

/** Split one CSV line (RFC 4180 quoting). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function applyLabels(source: LabelSource, inputPath: string, records: LogRecord[]): Labelled {
  if (source === 'proxy') return { records };
  if (source === 'bgl') {
    const labels = new Uint8Array(records.length);
    const stripped = records.map((r, i) => {
      const sp = r.line.indexOf(' ');
      const token = sp < 0 ? r.line : r.line.slice(0, sp);
      if (token !== '-' && !ALERT_TAG.test(token)) {
        throw new CliError(`--labels bgl: ${inputPath} line ${i + 1} does not start with BGL's label token ('-' or an alert tag such as KERNDTLB), got "${token.slice(0, 40)}"`, 2);
      }
      labels[i] = token === '-' ? 0 : 1;
      return { ...r, line: sp < 0 ? '' : r.line.slice(sp + 1) };
    });
    return { records: stripped, labels };
  }
  const csv = `${inputPath}_structured.csv`;
  if (!existsSync(csv)) throw new CliError(`--labels loghub needs ${csv} beside the input`, 2);
  const rows = readFileSync(csv, 'utf8').split(/\r?\n/).filter((l) => l !== '');
  const header = csvFields(rows[0] ?? '');
  const col = header.indexOf('Label');
  if (col < 0) throw new CliError(`${csv} has no Label column (only BGL and Thunderbird carry labels)`, 2);
  if (rows.length - 1 !== records.length) {
    throw new CliError(`${csv} has ${rows.length - 1} rows but the input has ${records.length} lines`, 2);
  }
  const labels = new Uint8Array(records.length);
  for (let i = 1; i < rows.length; i++) labels[i - 1] = csvFields(rows[i] as string)[col] === '-' ? 0 : 1;
  // Loghub's BGL/Thunderbird lines also start with the label token: strip it as for bgl.
  return { records: applyLabels('bgl', inputPath, records).records, labels };
}
