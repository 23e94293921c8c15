/**
 * The work shared by analyze, score, train and eval: load or train a model, score a whole input,
 * and turn verdicts into the table or machine output.
 */
import { readFileSync } from 'node:fs';
import { decodeModel, joinRecords, Scorer, trainModel, type FeatureSetName, type ModelArtifact, type Verdict } from '@logforest/core';
import { CliError, type Input } from './input.ts';
import { Progress } from './progress.ts';
import { renderTable } from './render.ts';

/** A verdict of a file input: `line` is the 1-based line where its event starts. */
export type FileVerdict = Verdict & { line: number };

export interface TrainSettings {
  featureSet: FeatureSetName;
  contamination: number | 'auto';
}

/** Read and decode a model file; raw-feature models (score-matrix, export-sklearn) only when `allowRaw`. */
export function loadModel(path: string, allowRaw = false): ModelArtifact {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new CliError(`cannot read model '${path}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, 2);
  }
  try {
    return decodeModel(bytes, { allowRaw });
  } catch (err) {
    throw new CliError(`'${path}' is not a usable model: ${(err as Error).message}`, 2);
  }
}

export function train(input: Input, o: TrainSettings, join = true): ModelArtifact {
  const p = new Progress(`training on ${input.records.length.toLocaleString('en-US')} lines`);
  try {
    return trainModel(input.records, { featureSet: o.featureSet, contamination: o.contamination, parse: input.parse, join });
  } catch (err) {
    throw new CliError(`cannot train on ${input.name}: ${(err as Error).message}`);
  } finally {
    p.done();
  }
}

/**
 * Join stack traces over the whole input first, then score in slices of events (join: false)
 * so progress can move and no event is cut at a slice boundary. Verdicts come in input order,
 * each with the line its event starts on (every record is one line of the input).
 */
export function scoreAll(scorer: Scorer, input: Input, explain: 'anomalies' | 'all' | 'none'): FileVerdict[] {
  const events = joinRecords(input.records);
  const slice = 50_000;
  const out: FileVerdict[] = [];
  const p = new Progress('scoring', events.length, 'events');
  let line = 1;
  for (let i = 0; i < events.length; i += slice) {
    const part = events.slice(i, i + slice);
    const verdicts = scorer.score(part, { parse: input.parse, receivedAt: input.parse.receivedAt, explain, join: false });
    if (verdicts.length !== part.length) throw new Error(`scorer returned ${verdicts.length} verdicts for ${part.length} events`);
    for (let k = 0; k < part.length; k++) {
      out.push({ ...(verdicts[k] as Verdict), line });
      line += lineCount((part[k] as { line: string }).line);
    }
    p.tick(part.length);
  }
  p.done();
  return out;
}

function lineCount(s: string): number {
  let n = 1;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

export interface EmitOptions {
  format: 'table' | 'json' | 'ndjson';
  /** Table rows. */
  top: number;
  /** Table: every event, not only the anomalies. */
  all: boolean;
}

/**
 * Machine output (json, ndjson): every verdict, in input order. The table: the anomalies (or
 * every event with `all`), highest score first, at most `top` rows.
 */
export function* emit(verdicts: FileVerdict[], o: EmitOptions): Iterable<string> {
  if (o.format === 'ndjson') {
    for (let i = 0; i < verdicts.length; i += 1000) {
      yield verdicts.slice(i, i + 1000).map((v) => `${JSON.stringify(v)}\n`).join('');
    }
    return;
  }
  if (o.format === 'json') {
    if (verdicts.length === 0) return yield '[]\n';
    yield '[\n';
    for (let i = 0; i < verdicts.length; i += 1000) {
      const part = verdicts.slice(i, i + 1000).map((v) => `  ${JSON.stringify(v, null, 2).replaceAll('\n', '\n  ')}`);
      yield `${i > 0 ? ',\n' : ''}${part.join(',\n')}`;
    }
    return yield '\n]\n';
  }
  const anomalies = verdicts.filter((v) => v.is_anomaly);
  const rows = (o.all ? [...verdicts] : anomalies).sort((a, b) => b.anomaly_score - a.anomaly_score).slice(0, o.top);
  yield renderTable(rows, { total: verdicts.length, anomalies: anomalies.length });
}
