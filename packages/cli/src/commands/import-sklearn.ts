import { readFileSync, writeFileSync } from 'node:fs';
import { encodeModel, featureSet, importSklearnDump, type FeatureSetName, type ModelArtifact } from '@logforest/core';
import { featureSetOption, featureSets, outputOption, str, type Command } from '../command.ts';
import { CliError } from '../input.ts';

export const importSklearn: Command = {
  name: 'import-sklearn',
  args: '<dump.json>',
  arity: [1, 1],
  summary: 'convert a scikit-learn IsolationForest dump into a model (-o FILE)',
  description: `Reads a dump written by tools/sklearn/export_sklearn.py (the fitted trees, offset_ and
contamination of a scikit-learn IsolationForest) and writes a logforest model that scores
exactly as scikit-learn does. The dump's columns must be those of the chosen feature set.`,
  options: {
    ...outputOption('where to write the model (required)'),
    ...featureSetOption('the feature set the dump was fitted on: seed (default) | default'),
  },
  examples: [
    'python3 tools/sklearn/export_sklearn.py --model forest.joblib --out dump.json',
    'logforest import-sklearn dump.json -o model.lfm && logforest score server.log --model model.lfm',
  ],
  run({ args, values }) {
    const output = str(values, 'output');
    if (!output) throw new CliError('import-sklearn needs -o <model file>', 2);
    const path = args[0]!;
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
    const set = featureSets(values, 'seed')[0]!;
    const model = sklearnArtifact(forest, set);
    writeFileSync(output, encodeModel(model));
    return `wrote ${output}: ${forest.nEstimators} trees, ${forest.nFeatures} features (feature set ${set}), threshold ${model.threshold}\n`;
  },
};

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
