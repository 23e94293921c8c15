/**
 * logforest — find unusual events in a log file, no Redis needed.
 *
 *   logforest analyze <file|->  [--model m.lfm] [--json|--ndjson] [--top N] [--all]
 *   logforest train   <file|->  -o model.lfm
 *   logforest score   <file|->  --model model.lfm [--json|--ndjson]
 *   logforest eval    <file> | --train A… --test B…   [--split 0.6] [--labels signature|bgl|FILE]  (commands/eval.ts)
 *   logforest import-sklearn <dump.json> -o model.lfm [--feature-set seed]
 */
import { parseArgs } from 'node:util';
import type { FeatureSetName } from '@logforest/core';
import { analyzeCommand, importSklearnCommand, scoreCommand, trainCommand, type CommonOptions } from './commands.ts';
import { CliError } from './input.ts';
import { evalMain } from './commands/eval.ts';

const USAGE = `usage: logforest <command> [options]

commands:
  analyze <file|->         train on the input (or use --model) and list its anomalies, highest score first
  train <file|-> -o FILE   train a model on the input and write it
  score <file|->           score the input with --model; --ndjson/--json give every verdict
  eval <file> | --train A… --test B…
                           detection quality against labels, baselines beside ('logforest eval -h')
  import-sklearn <dump> -o FILE
                           convert a scikit-learn IsolationForest dump (tools/sklearn/export_sklearn.py)

options:
  -m, --model FILE         model to score with (from 'train' or 'import-sklearn')
  -o, --output FILE        where 'train' / 'import-sklearn' write the model
  --json | --ndjson        verdicts as JSON ({timestamp, log, anomaly_score, is_anomaly, threshold, template, explanation})
  --top N                  rows in the table (default 20)
  --all                    list every event, not only anomalies
  --feature-set NAME       default | seed
  --contamination X        expected share of anomalies (default 0.01) or "auto"
  -h, --help               this text
`;

function parseContamination(v: string | undefined): number | 'auto' {
  if (v === undefined) return 0.01;
  if (v === 'auto') return 'auto';
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0 || x > 0.5) throw new CliError(`--contamination must be "auto" or a number in (0, 0.5], got "${v}"`, 2);
  return x;
}

function parseSets(v: string | undefined, fallback: string): FeatureSetName[] {
  const names = (v ?? fallback).split(',').map((s) => s.trim());
  for (const n of names) if (n !== 'seed' && n !== 'default') throw new CliError(`unknown feature set "${n}" (known: seed, default)`, 2);
  return names as FeatureSetName[];
}

export function run(argv: string[]): string {
  if (argv[0] === 'eval') return evalMain(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string', short: 'm' },
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      ndjson: { type: 'boolean' },
      top: { type: 'string' },
      all: { type: 'boolean' },
      'feature-set': { type: 'string' },
      contamination: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, file, ...extra] = positionals;
  if (values.help || !command) return USAGE;
  if (!file) throw new CliError(`${command} needs an input file (or - for stdin)\n\n${USAGE}`, 2);
  if (extra.length) throw new CliError(`unexpected arguments: ${extra.join(' ')}`, 2);
  const top = values.top === undefined ? 20 : Number(values.top);
  if (!Number.isInteger(top) || top <= 0) throw new CliError(`--top must be a positive integer, got "${values.top}"`, 2);
  const o: CommonOptions = {
    featureSet: parseSets(values['feature-set'], command === 'import-sklearn' ? 'seed' : 'default')[0] as FeatureSetName,
    contamination: parseContamination(values.contamination),
    format: values.json ? 'json' : values.ndjson ? 'ndjson' : 'table',
    top,
    all: Boolean(values.all),
    ...(values.model ? { model: values.model } : {}),
    ...(values.output ? { output: values.output } : {}),
  };
  switch (command) {
    case 'analyze':
      return analyzeCommand(file, o);
    case 'score':
      return scoreCommand(file, o);
    case 'train':
      return trainCommand(file, o);
    case 'import-sklearn':
      return importSklearnCommand(file, o);
    default:
      throw new CliError(`unknown command "${command}"\n\n${USAGE}`, 2);
  }
}

function main(): void {
  try {
    process.stdout.write(run(process.argv.slice(2)));
  } catch (err) {
    const code = err instanceof CliError ? err.exitCode : (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
    const msg = err instanceof CliError || code === 2 ? (err as Error).message : `unexpected error: ${(err as Error).message}`;
    process.stderr.write(`logforest: ${msg}\n`);
    process.exitCode = code;
  }
}

if (process.argv[1] && /(main\.ts|logforest(\.mjs)?)$/.test(process.argv[1])) main();
