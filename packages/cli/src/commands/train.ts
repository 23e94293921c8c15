import { writeFileSync } from 'node:fs';
import { encodeModel } from '@logforest/core';
import { contamination, contaminationOption, featureSetOption, featureSets, outputOption, quietOption, str, type Command } from '../command.ts';
import { CliError, readInput } from '../input.ts';
import { train as trainOn } from '../scoring.ts';

export const train: Command = {
  name: 'train',
  args: '<file|->',
  arity: [1, 1],
  summary: 'train a model on the input and write it (-o FILE)',
  description: `Trains an Isolation Forest on the input's events (stack traces joined) and writes the
model file that analyze --model and score --model read.`,
  options: {
    ...outputOption('where to write the model (required)'),
    ...featureSetOption('default | seed (default: default; seed is scikit-learn-exact)'),
    ...contaminationOption,
    ...quietOption,
  },
  examples: [
    'logforest train server.log.2016-04-23 -o model.lfm',
    'logforest train server.log -o model.lfm --feature-set seed --contamination auto',
  ],
  run({ args, values }) {
    const output = str(values, 'output');
    if (!output) throw new CliError('train needs -o <model file>', 2);
    const model = trainOn(readInput(args[0]!), { featureSet: featureSets(values, 'default')[0]!, contamination: contamination(values) });
    writeFileSync(output, encodeModel(model));
    const t = model.training;
    return `wrote ${output}: ${t.events} events, ${t.templates} templates, feature set ${model.featureSet.name} v${model.featureSet.version}, threshold ${model.threshold.toFixed(4)}, fit ${t.fitMs.toFixed(0)} ms\n`;
  },
};
