/**
 * logforest eval — detection quality against labels, with simple baselines beside the model.
 *
 *   logforest eval <file> [--labels proxy|bgl|loghub|signature|FILE]          train and test on the file
 *   logforest eval <file> --split 0.6 [--labels signature|bgl|FILE]           first 60% of events train
 *   logforest eval --train A.log [B.log …] --test C.log [D.log …] [--labels …]
 *   options: --feature-set seed,default  --contamination X|auto  --model m.lfm  --json
 */
import { parseArgs } from 'node:util';
import {
  atFlagged, bestF1, evaluate, incidentPrior, precisionAtRecall, rocAucWithin, Scorer, tiedFlagged, trainModel,
  type AtFlagged, type AtRecall, type FeatureSetName, type Metrics, type ModelArtifact,
} from '@logforest/core';
import { contaminationOption, featureSetOption, modelOption, quietOption, type Command } from '../command.ts';
import { loadModel } from '../scoring.ts';
import { CliError } from '../input.ts';
import { Progress } from '../progress.ts';
import { EVAL_PARSE, isError, isFatal, readFiles, testLabels, timeSplit, type EvalLabels, type EventSet } from './eval-data.ts';

/** Shares of events flagged at which recall and precision are reported. */
export const FLAGGED_SHARES = [0.005, 0.01, 0.02] as const;
/** Name of the rule baseline that flags every ERROR-or-worse event. */
export const ERROR_RULE = 'every ERROR/FATAL line';
/** Name of the ranking baseline: the scorer's incident prior (level × failure words) alone, no forest. */
export const PRIOR_RULE = 'incident prior alone (no forest)';

export interface EvalSpec {
  /** Training files; with `split`, the one file that is cut. */
  train: string[];
  /** Test files; [] with `split` or when training and testing on the same file. */
  test: string[];
  /** Share of the (single) file's events that train; the rest test. */
  split?: number;
  labels: EvalLabels;
  sets: FeatureSetName[];
  contamination: number | 'auto';
  /** Score with this model instead of training one per feature set. */
  model?: string;
}

export interface EvalRow extends Metrics {
  name: string;
  /** ranking: a score without a threshold (its flagged/precision/recall/F1/ties are not shown). */
  kind: 'model' | 'baseline' | 'ranking';
  bestF1: number;
  at: AtFlagged[];
  /** ROC-AUC among ERROR-or-worse test events (NaN when they hold one class only). */
  rocAucErrors: number;
  /** Flagged events whose score equals another flagged event's. */
  tiedFlagged: number;
  /** tiedFlagged / flagged (0 when nothing is flagged). */
  tiedShare: number;
  /**
   * Models only: precision of the shortest top of this model's ranking that reaches the recall of
   * the "every ERROR/FATAL line" rule (the rule and the model compared at equal recall).
   */
  atRuleRecall?: AtRecall;
}

export interface EvalReport {
  train: string[];
  test: string[];
  split?: number;
  labels: string;
  events: { train: number; test: number };
  /** Positive test events (for signature labels: novel errors). */
  positives: number;
  /** ERROR-or-worse test events. */
  errorEvents: number;
  rows: EvalRow[];
}

export const EVAL_USAGE = `usage:
  logforest eval FILE [--labels proxy|bgl|loghub|FILE.csv]             train and test on the same events
  logforest eval FILE --split 0.6 [--labels signature|bgl|FILE.csv]    first 60% of the events train, the rest test
  logforest eval --train A.log [B.log …] --test C.log [D.log …] [--labels signature|bgl|FILE.csv]

  --labels signature   an ERROR/FATAL/SEVERE test event whose signature (message code, else exception
                       class + root cause, else category + masked text) never occurred in training
                       (default with --split and --train/--test; proxy otherwise)
  --labels FILE.csv    rows "line_no,label" (1-based line of the test file, label 1/0); unlisted lines are normal
  --feature-set LIST   feature sets to train, one model each (default "seed,default")
  --contamination X    expected share of anomalies (default 0.01) or "auto"
  -m, --model FILE     score with this model instead of training
  --json               the report as JSON
Beside the models: the baselines "every ERROR/FATAL line" (and "every FATAL line" when the test has any),
and the scorer's incident prior alone (level × failure words, no forest; a ranking without a threshold).
Reported per detector: flagged, precision, recall and F1 at its threshold, best F1 over all thresholds,
ROC-AUC, PR-AUC, ROC-AUC within ERROR-or-worse events, flagged events sharing a score, recall and
precision at 0.5%/1%/2% flagged, and a model's precision at the recall of the ERROR rule.
`;

const labelName = (l: EvalLabels): string => (typeof l === 'string' ? l : `file ${l.file}`);

function row(name: string, kind: EvalRow['kind'], scores: ArrayLike<number>, flags: ArrayLike<boolean | number>, y: Uint8Array, errors: Uint8Array): EvalRow {
  return {
    name, kind, ...evaluate(scores, flags, y),
    bestF1: bestF1(scores, y).f1,
    at: FLAGGED_SHARES.map((f) => atFlagged(scores, y, f)),
    rocAucErrors: rocAucWithin(scores, y, errors),
    tiedFlagged: tiedFlagged(scores, flags),
    tiedShare: 0,
  };
}

/** Fills the fields of a row that depend on others: tie share, and precision at the rule's recall. */
function finish(rows: EvalRow[], scores: Map<EvalRow, Float64Array>, y: Uint8Array): void {
  const rule = rows.find((r) => r.name === ERROR_RULE);
  for (const r of rows) {
    r.tiedShare = r.flagged === 0 ? 0 : r.tiedFlagged / r.flagged;
    const s = scores.get(r);
    if (s && rule) r.atRuleRecall = precisionAtRecall(s, y, rule.recall);
  }
}

function fit(train: EventSet, set: FeatureSetName, contamination: number | 'auto'): ModelArtifact {
  const p = new Progress(`training ${set} on ${train.records.length.toLocaleString()} events`);
  try {
    return trainModel(train.records, { featureSet: set, contamination, parse: EVAL_PARSE, join: false });
  } catch (err) {
    throw new CliError(`cannot train on ${train.files.join(', ')}: ${(err as Error).message}`);
  } finally {
    p.done();
  }
}

/** Run one evaluation: load, split, label, train (or load) each model, score the test events, measure. */
export function runEval(spec: EvalSpec): EvalReport {
  if (spec.train.length === 0) throw new CliError('eval needs a file, or --train FILE… with --test FILE…', 2);
  let train = readFiles(spec.train, spec.labels);
  let test = train;
  if (spec.split !== undefined) ({ train, test } = timeSplit(train, spec.split));
  else if (spec.test.length) test = readFiles(spec.test, spec.labels);
  const y = testLabels(spec.labels, train, test);
  const errors = Uint8Array.from(test.parsed, (ev) => (isError(ev) ? 1 : 0));
  const rows: EvalRow[] = [];
  const modelScores = new Map<EvalRow, Float64Array>();
  for (const set of spec.model ? ['model' as const] : spec.sets) {
    const model = set === 'model' ? loadModel(spec.model as string) : fit(train, set, spec.contamination);
    const p = new Progress(`scoring ${test.records.length.toLocaleString()} events`);
    const verdicts = new Scorer(model).score(test.records, { parse: EVAL_PARSE, receivedAt: EVAL_PARSE.receivedAt, explain: 'none', join: false });
    p.done();
    const scores = Float64Array.from(verdicts, (v) => v.anomaly_score);
    const r = row(`${model.featureSet.name} (${model.version})`, 'model', scores, verdicts.map((v) => v.is_anomaly), y, errors);
    modelScores.set(r, scores);
    rows.push(r);
  }
  rows.push(row(ERROR_RULE, 'baseline', errors, errors, y, errors));
  const fatal = Uint8Array.from(test.parsed, (ev) => (isFatal(ev) ? 1 : 0));
  if (fatal.some(Boolean)) rows.push(row('every FATAL line', 'baseline', fatal, fatal, y, errors));
  const prior = Float64Array.from(test.parsed, (ev) => incidentPrior(ev.level, ev.message));
  const p = row(PRIOR_RULE, 'ranking', prior, new Uint8Array(prior.length), y, errors);
  modelScores.set(p, prior);
  rows.push(p);
  finish(rows, modelScores, y);
  let positives = 0;
  for (const v of y) positives += v;
  return {
    train: train.files, test: test.files,
    ...(spec.split !== undefined ? { split: spec.split } : {}),
    labels: labelName(spec.labels),
    events: { train: train.records.length, test: test.records.length },
    positives, errorEvents: errors.reduce((a, b) => a + b, 0), rows,
  };
}

const f3 = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));
const pct = (x: number): string => `${+(x * 100).toFixed(2)}%`;
/** "precision (events flagged)" at the rule's recall; the rule's own row shows its precision. */
function atRule(x: EvalRow): string {
  if (x.name === ERROR_RULE) return `${f3(x.precision)} (${x.flagged})`;
  const a = x.atRuleRecall;
  return a === undefined ? '—' : Number.isNaN(a.precision) ? 'n/a' : `${f3(a.precision)} (${+a.flagged.toFixed(1)})`;
}

/** The two markdown tables of a report: thresholded + ranking metrics, then recall/precision at fixed shares flagged. */
export function renderEvalTables(r: EvalReport): string {
  const a = [
    '| detector | flagged | precision | recall | F1 | best F1 | ROC-AUC | PR-AUC | ROC-AUC within errors | flagged sharing a score |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.rows.map((x) => x.kind === 'ranking'
      ? `| ${x.name} | — | — | — | — | ${f3(x.bestF1)} | ${f3(x.rocAuc)} | ${f3(x.prAuc)} | ${f3(x.rocAucErrors)} | — |`
      : `| ${x.name} | ${x.flagged} | ${f3(x.precision)} | ${f3(x.recall)} | ${f3(x.f1)} | ${f3(x.bestF1)} | ${f3(x.rocAuc)} | ${f3(x.prAuc)} | ${f3(x.rocAucErrors)} | ${x.tiedFlagged} (${pct(x.tiedShare)}) |`),
  ];
  const shares = r.rows[0]?.at ?? [];
  const rule = r.rows.find((x) => x.name === ERROR_RULE);
  const ruleCol = rule ? ` precision at the ERROR rule's recall (${f3(rule.recall)}) |` : '';
  const b = [
    `| detector | ${shares.map((s) => `recall @${pct(s.fraction)} (${s.k}) | precision @${pct(s.fraction)}`).join(' | ')} |${ruleCol}`,
    `|---|${shares.map(() => '---|---').join('|')}|${rule ? '---|' : ''}`,
    ...r.rows.map((x) => `| ${x.name} | ${x.at.map((s) => `${f3(s.recall)} | ${f3(s.precision)}`).join(' | ')} |${rule ? ` ${atRule(x)} |` : ''}`),
  ];
  return `${a.join('\n')}\n\n${b.join('\n')}\n`;
}

export function renderEval(r: EvalReport): string {
  const same = r.test.join() === r.train.join() && r.split === undefined;
  const where = r.split !== undefined
    ? `${r.train.join(', ')}: first ${pct(r.split)} of events train (${r.events.train}), the rest test (${r.events.test})`
    : same ? `${r.train.join(', ')}: trained and tested on the same ${r.events.test} events`
    : `train ${r.train.join(', ')} (${r.events.train} events); test ${r.test.join(', ')} (${r.events.test} events)`;
  const what = r.labels === 'signature' ? 'novel errors (ERROR-or-worse events whose signature training never saw)' : 'positives';
  return `${where}\nlabels: ${r.labels} — ${r.positives} ${what}; ${r.errorEvents} ERROR-or-worse events\n\n${renderEvalTables(r)}`;
}

function parseContamination(v: string | undefined): number | 'auto' {
  if (v === undefined) return 0.01;
  if (v === 'auto') return 'auto';
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0 || x > 0.5) throw new CliError(`--contamination must be "auto" or a number in (0, 0.5], got "${v}"`, 2);
  return x;
}

function parseLabels(v: string | undefined, fallback: EvalLabels): EvalLabels {
  if (v === undefined) return fallback;
  if (v === 'signature' || v === 'bgl' || v === 'loghub' || v === 'proxy') return v;
  if (/^[a-z]+$/.test(v)) throw new CliError(`--labels must be signature, bgl, loghub, proxy or a line_no,label CSV file, got "${v}"`, 2);
  return { file: v };
}

/** `logforest eval …` (argv after the command word) → output text. */
export function evalMain(argv: string[]): string {
  const { values, tokens } = parseArgs({
    args: argv, allowPositionals: true, tokens: true,
    options: {
      train: { type: 'string', multiple: true }, test: { type: 'string', multiple: true },
      split: { type: 'string' }, labels: { type: 'string' }, 'feature-set': { type: 'string' },
      contamination: { type: 'string' }, model: { type: 'string', short: 'm' }, json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }, quiet: { type: 'boolean', short: 'q' },
    },
  });
  if (values.help) return EVAL_USAGE;
  // `--train A B C`: positionals right after --train / --test belong to it.
  const lists: Record<'train' | 'test' | 'files', string[]> = { train: [...(values.train ?? [])], test: [...(values.test ?? [])], files: [] };
  let open: 'train' | 'test' | 'files' = 'files';
  for (const t of tokens) {
    if (t.kind === 'option') open = t.name === 'train' || t.name === 'test' ? t.name : 'files';
    else if (t.kind === 'positional') lists[open].push(t.value);
  }
  const { train, test, files } = lists;
  if (files.length && (train.length || test.length)) throw new CliError(`give either a file or --train/--test, not both (extra: ${files.join(' ')})`, 2);
  if (files.length > 1) throw new CliError(`eval takes one file (or --train/--test), got ${files.join(' ')}`, 2);
  if (train.length && !test.length) throw new CliError('--train needs --test FILE…', 2);
  if (test.length && !train.length) throw new CliError('--test needs --train FILE…', 2);
  let split: number | undefined;
  if (values.split !== undefined) {
    split = Number(values.split);
    if (!(split > 0 && split < 1)) throw new CliError(`--split must be a fraction between 0 and 1, got "${values.split}"`, 2);
    if (!files.length) throw new CliError('--split cuts one file: logforest eval FILE --split 0.6', 2);
  }
  const legacy = files.length === 1 && split === undefined;
  const labels = parseLabels(values.labels, legacy ? 'proxy' : 'signature');
  if (labels === 'signature' && legacy) throw new CliError('--labels signature needs training data apart from the test: use --split or --train/--test', 2);
  if (labels === 'loghub' && !legacy) throw new CliError('--labels loghub reads the structured CSV beside one file: use it without --split or --train/--test', 2);
  const sets = (values['feature-set'] ?? 'seed,default').split(',').map((s) => s.trim());
  for (const n of sets) if (n !== 'seed' && n !== 'default') throw new CliError(`unknown feature set "${n}" (known: seed, default)`, 2);
  const report = runEval({
    train: files.length ? files : train, test, labels, sets: sets as FeatureSetName[],
    contamination: parseContamination(values.contamination),
    ...(split !== undefined ? { split } : {}), ...(values.model ? { model: values.model } : {}),
  });
  return values.json ? `${JSON.stringify(report, null, 2)}\n` : renderEval(report);
}

/** The `eval` entry of the command table (commands/index.ts); evalMain parses its own argv. */
export const evalCommand: Command = {
  name: 'eval',
  args: 'FILE | --train A.log … --test B.log …',
  arity: [0, Infinity],
  summary: 'detection quality against labels (precision, recall, F1, ROC-AUC, PR-AUC), with baselines',
  description: `Trains one model per feature set and measures its verdicts against labels, beside the
baselines "every ERROR/FATAL line" (and "every FATAL line" when the test has any) and the
scorer's incident prior alone (level × failure words, no forest).
  logforest eval FILE                    train and test on the same events (labels: proxy by default)
  logforest eval FILE --split 0.6        first 60% of the events train, the rest test
  logforest eval --train A… --test B…    train on some files, test on others
Labels: proxy ("authentication failure"/"failed password"), bgl (BGL's label token), loghub
(the Label column of the <file>_structured.csv beside FILE), signature (an ERROR-or-worse
test event whose signature training never saw; default with --split and --train/--test),
or FILE.csv with rows "line_no,label" (1-based line of the test file).
Reports per detector: flagged, precision, recall and F1 at its threshold, best F1, ROC-AUC,
PR-AUC, ROC-AUC within ERROR-or-worse events, flagged events sharing a score, recall and
precision at 0.5%/1%/2% flagged, and a model's precision at the ERROR rule's recall.`,
  options: {
    train: { type: 'string', multiple: true, value: 'FILE', help: 'training files (the following file names belong to it too)' },
    test: { type: 'string', multiple: true, value: 'FILE', help: 'test files' },
    split: { type: 'string', value: 'F', help: 'share of FILE\'s events (in time order) that train, e.g. 0.6' },
    labels: { type: 'string', value: 'SRC', help: 'proxy | bgl | loghub | signature | FILE.csv' },
    ...featureSetOption('comma list of feature sets, one model each (default "seed,default")'),
    ...contaminationOption,
    ...modelOption('score with this model instead of training'),
    json: { type: 'boolean', help: 'the report as JSON' },
    ...quietOption,
  },
  examples: [
    'logforest eval BGL_2k.log --labels bgl',
    'logforest eval server.log.2016-04-24 --split 0.6 --labels signature',
    'logforest eval --train server.log.2016-04-23 --test server.log.2016-04-24',
  ],
  run: ({ argv }) => evalMain(argv),
};
