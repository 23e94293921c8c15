/**
 * The CLI's commands. Each takes parsed options and returns its output text;
 * main.ts maps errors to messages and exit codes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  decodeModel, encodeModel, featureSet, importSklearnDump, joinRecords, Scorer, trainModel,
  type FeatureSetName, type ModelArtifact, type Verdict,
} from '@logforest/core';
import { CliError, readInput, type Input } from './input.ts';
import { renderTable } from './render.ts';
import { Progress } from './progress.ts';

export interface CommonOptions {
  model?: string;
  featureSet: FeatureSetName;
  contamination: number | 'auto';
  output?: string;
  format: 'table' | 'json' | 'ndjson';
  top: number;
  all: boolean;
}

export function loadModel(path: string): ModelArtifact {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new CliError(`cannot read model '${path}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, 2);
  }
  try {
    return decodeModel(bytes);
  } catch (err) {
    throw new CliError(`'${path}' is not a usable model: ${(err as Error).message}`, 2);
  }
}

function train(input: Input, o: CommonOptions, join = true): ModelArtifact {
  const p = new Progress(`training on ${input.records.length.toLocaleString()} lines`);
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
 * so a progress bar can move and no event is cut at a slice boundary.
 */
function scoreAll(scorer: Scorer, input: Input, explain: 'anomalies' | 'all' | 'none'): Verdict[] {
  const events = joinRecords(input.records);
  const slice = 50_000;
  const out: Verdict[] = [];
  const p = new Progress('scoring', events.length);
  for (let i = 0; i < events.length; i += slice) {
    const part = events.slice(i, i + slice);
    for (const v of scorer.score(part, { parse: input.parse, receivedAt: input.parse.receivedAt, explain, join: false })) out.push(v);
    p.tick(part.length);
  }
  p.done();
  return out;
}

function emit(verdicts: Verdict[], o: CommonOptions, onlyAnomalies: boolean): string {
  const chosen = onlyAnomalies && !o.all ? verdicts.filter((v) => v.is_anomaly) : verdicts;
  const sorted = [...chosen].sort((a, b) => b.anomaly_score - a.anomaly_score);
  if (o.format === 'json') return `${JSON.stringify(sorted, null, 2)}\n`;
  if (o.format === 'ndjson') return sorted.map((v) => JSON.stringify(v)).join('\n') + (sorted.length ? '\n' : '');
  return renderTable(sorted.slice(0, o.top), { total: verdicts.length, anomalies: verdicts.filter((v) => v.is_anomaly).length });
}

export function analyzeCommand(path: string, o: CommonOptions): string {
  const input = readInput(path);
  const model = o.model ? loadModel(o.model) : train(input, o);
  return emit(scoreAll(new Scorer(model), input, 'anomalies'), o, true);
}

export function scoreCommand(path: string, o: CommonOptions): string {
  if (!o.model) throw new CliError('score needs --model <file> (train one with: logforest train <file> -o model.lfm)', 2);
  const input = readInput(path);
  return emit(scoreAll(new Scorer(loadModel(o.model)), input, o.format === 'table' ? 'anomalies' : 'all'), { ...o, all: true }, false);
}

export function trainCommand(path: string, o: CommonOptions): string {
  if (!o.output) throw new CliError('train needs -o <model file>', 2);
  const model = train(readInput(path), o);
  writeFileSync(o.output, encodeModel(model));
  const t = model.training;
  return `wrote ${o.output}: ${t.events} events, ${t.templates} templates, feature set ${model.featureSet.name} v${model.featureSet.version}, threshold ${model.threshold.toFixed(4)}, fit ${t.fitMs.toFixed(0)} ms\n`;
}

export function importSklearnCommand(path: string, o: CommonOptions): string {
  if (!o.output) throw new CliError('import-sklearn needs -o <model file>', 2);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read scikit-learn dump '${path}': ${(err as Error).message}`, 2);
  }
  let forest;
  try {
    forest = importSklearnDump(json);
  } catch (err) {
    throw new CliError(`'${path}' is not a usable scikit-learn dump: ${(err as Error).message}`, 2);
  }
  const set = o.featureSet;
  const model = sklearnArtifact(forest, set);
  writeFileSync(o.output, encodeModel(model));
  return `wrote ${o.output}: ${forest.nEstimators} trees, ${forest.nFeatures} features (feature set ${set}), threshold ${model.threshold}\n`;
}

function sklearnArtifact(forest: ReturnType<typeof importSklearnDump>, set: FeatureSetName): ModelArtifact {
  const fs = featureSet(set);
  const columns = [...fs.columns];
  if (forest.nFeatures !== columns.length) {
    throw new CliError(`the dump has ${forest.nFeatures} features; feature set ${set} has ${columns.length}`, 2);
  }
  const z = { p50: 0, p90: 0, p99: 0, max: 0, mean: 0, flagRate: 0 };
  return {
    format: 'logforest-model', version: 'sklearn', createdAt: new Date().toISOString(),
    featureSet: { name: fs.name, version: fs.version, columns },
    contamination: forest.contamination,
    threshold: -forest.offset,
    miner: null,
    vocabulary: { total: 0, templates: [], components: [] },
    forest: forest.toArrays() as unknown as ModelArtifact['forest'],
    training: { events: 0, fitMs: 0, templates: 0, scores: z },
  };
}
