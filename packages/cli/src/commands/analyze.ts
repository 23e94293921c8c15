import { Scorer } from '@logforest/core';
import { contamination, contaminationOption, featureSetOption, featureSets, flag, format, formatOptions, modelOption, positiveInt, quietOption, str, type Command } from '../command.ts';
import { readInput } from '../input.ts';
import { emit, loadModel, scoreAll, train } from '../scoring.ts';

export const analyze: Command = {
  name: 'analyze',
  args: '<file|->',
  arity: [1, 1],
  summary: 'train on the input (or use --model) and list its anomalies, highest score first',
  description: `Reads a log file (or stdin with -), joins Java stack traces into their event, trains an
Isolation Forest on it (unless --model is given) and scores every event with it.
The table lists the anomalies, highest score first. --json and --ndjson give every
event's verdict in input order: {timestamp, log, anomaly_score, is_anomaly, threshold,
model_version, template, explanation, line}, where line is the 1-based line the event
starts on. Time-only JBoss lines (HH:mm:ss,SSS) take their date from the file name
when it has one (server.log.2016-04-24, server-2016-04-24.log), else from the file's
modification time, in local time (TZ): a time of day later than the mtime's (more
than 5 minutes) is the day before. stdin: the time of the run stands in for the mtime.`,
  options: {
    ...modelOption('score with this model (from train or import-sklearn) instead of training on the input'),
    ...formatOptions('every verdict, in input order,'),
    top: { type: 'string', value: 'N', help: 'rows in the table (default 20)' },
    all: { type: 'boolean', help: 'table: list every event, not only the anomalies' },
    ...featureSetOption('features of the model trained on the input: default | seed (default: default)'),
    ...contaminationOption,
    ...quietOption,
  },
  examples: [
    'logforest analyze /var/log/wildfly/server.log',
    'logforest analyze server.log.2016-04-24 --top 50',
    'logforest analyze server.log --ndjson | jq -c "select(.is_anomaly)"',
    'logforest analyze today.log --model model.lfm',
    'zcat server.log.gz | logforest analyze -',
  ],
  run({ args, values }) {
    const o = { format: format(values), top: positiveInt(values, 'top', 20), all: flag(values, 'all') };
    const settings = { featureSet: featureSets(values, 'default')[0]!, contamination: contamination(values) };
    const input = readInput(args[0]!);
    const model = str(values, 'model') ? loadModel(str(values, 'model')!) : train(input, settings);
    return emit(scoreAll(new Scorer(model), input, 'anomalies'), o);
  },
};
