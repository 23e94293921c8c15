import { Scorer } from '@logforest/core';
import { flag, format, formatOptions, modelOption, positiveInt, quietOption, str, type Command } from '../command.ts';
import { CliError, readInput } from '../input.ts';
import { emit, loadModel, scoreAll } from '../scoring.ts';

export const score: Command = {
  name: 'score',
  args: '<file|->',
  arity: [1, 1],
  summary: 'score the input with --model; --json/--ndjson give every verdict',
  description: `Scores every event of the input with a model written by train or import-sklearn, without
training. The table lists the anomalies, highest score first; --json and --ndjson give
every verdict in input order, each with an explanation and the 1-based line its event
starts on. Time-only JBoss lines (HH:mm:ss,SSS) are dated as by analyze: the date in the
file name, else the file's mtime in local time (a later time of day is the day before).`,
  options: {
    ...modelOption('the model to score with (required)'),
    ...formatOptions('every verdict, in input order,'),
    top: { type: 'string', value: 'N', help: 'rows in the table (default 20)' },
    all: { type: 'boolean', help: 'table: list every event, not only the anomalies' },
    ...quietOption,
  },
  examples: [
    'logforest score server.log --model model.lfm',
    'logforest score server.log --model model.lfm --ndjson > verdicts.ndjson',
  ],
  run({ args, values }) {
    const model = str(values, 'model');
    if (!model) throw new CliError('score needs --model <file> (train one with: logforest train <file> -o model.lfm)', 2);
    const o = { format: format(values), top: positiveInt(values, 'top', 20), all: flag(values, 'all') };
    const input = readInput(args[0]!);
    return emit(scoreAll(new Scorer(loadModel(model)), input, o.format === 'table' ? 'anomalies' : 'all'), o);
  },
};
