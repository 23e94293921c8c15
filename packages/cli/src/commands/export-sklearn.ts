/**
 * logforest export-sklearn m.lfm -o dump.json [--no-loader]
 *
 * Writes the model's forest (native fit or imported) as a `sklearn-iforest-dump/1` JSON file and,
 * beside it, `logforest_sklearn.py`, whose `load(path)` rebuilds a real
 * sklearn.ensemble.IsolationForest from the dump (tree arrays, offset_, max_samples_).
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { forestToSklearnDump, isRawModel, type ForestArrays } from '@logforest/core';
import { flag, outputOption, str, type Command } from '../command.ts';
import { loadModel } from '../scoring.ts';
import { CliError } from '../input.ts';

export const LOADER = join(import.meta.dirname, '..', '..', '..', '..', 'tools', 'sklearn', 'logforest_sklearn.py');

export const exportSklearn: Command = {
  name: 'export-sklearn',
  args: '<model.lfm>',
  arity: [1, 1],
  summary: 'write the model\'s forest for scikit-learn (-o DUMP.json), with a Python loader beside it',
  description: `Writes the forest (native fit or imported) in the sklearn-iforest-dump/1 format that
tools/sklearn reads, and logforest_sklearn.py beside it:
  from logforest_sklearn import load; forest = load("DUMP.json"); forest.score_samples(X)
rebuilds a real sklearn.ensemble.IsolationForest (tree arrays, offset_, max_samples_) that gives
the forest's scores exactly. For seed/default models X is the feature rows; logforest's event
scoring adds its novelty guard on top, which the dump does not carry.`,
  options: {
    ...outputOption('where to write the dump (required)'),
    'no-loader': { type: 'boolean', help: 'do not write logforest_sklearn.py beside the dump' },
  },
  examples: [
    'logforest train server.log -o model.lfm && logforest export-sklearn model.lfm -o dump.json',
    'python3 -c \'from logforest_sklearn import load; print(load("dump.json"))\'',
  ],
  run({ args, values }) {
    const output = str(values, 'output');
    if (!output) throw new CliError('export-sklearn needs -o <dump.json>', 2);
    const model = loadModel(args[0]!, true);
    const a = model.forest as unknown as ForestArrays;
    const dump = forestToSklearnDump(a, {
      columns: model.featureSet.columns,
      logforest: { model_version: model.version, feature_set: model.featureSet.name, feature_set_version: model.featureSet.version, created_at: model.createdAt },
    });
    try {
      writeFileSync(output, JSON.stringify(dump));
    } catch (err) {
      throw new CliError(`cannot write '${output}': ${(err as Error).message}`, 2);
    }
    let loader = '';
    if (!flag(values, 'no-loader')) {
      const target = join(dirname(output), 'logforest_sklearn.py');
      copyFileSync(LOADER, target);
      loader = ` and ${target}`;
    }
    const note = isRawModel(model) ? '' : ` (feature set ${model.featureSet.name}: the forest's scores of feature rows; event scoring's novelty guard is not in the dump)`;
    return `wrote ${output}${loader}: ${a.nEstimators} trees, ${a.nFeatures} columns, offset_ ${a.offset}${note}\n`;
  },
};
