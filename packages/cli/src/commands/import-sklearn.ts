/**
 * logforest import-sklearn DUMP -o m.lfm [--feature-set seed|default] [--raw]
 *
 * A dump whose columns are a feature set's (same names, or unnamed with the same count) scores log
 * events with that set; any other dump, or --raw, makes a raw-feature model over its named columns
 * (core model/raw.ts), which `logforest score-matrix` scores.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { encodeModel, featureSet, importSklearnDump, rawColumnsSchema, rawModel, type FeatureSetName, type ModelArtifact } from '@logforest/core';
import { z } from 'zod';
import { featureSetOption, flag, outputOption, str, type Command } from '../command.ts';
import { CliError } from '../input.ts';

type Forest = ReturnType<typeof importSklearnDump>;

const namesSchema = z.object({ columns: z.array(z.string()).optional() });
/** Names export_sklearn.py invents when its CSV had no header: x0, x1, … */
const invented = (cols: string[]) => cols.every((c, i) => c === `x${i}`);

function featureSetArtifact(forest: Forest, set: FeatureSetName): ModelArtifact {
  const fs = featureSet(set);
  const columns = [...fs.columns];
  if (forest.nFeatures !== columns.length) {
    throw new CliError(`the dump has ${forest.nFeatures} features; feature set ${set} has ${columns.length} (leave out --feature-set for a raw-feature model)`, 2);
  }
  const z0 = { p50: 0, p90: 0, p99: 0, max: 0, mean: 0, flagRate: 0 };
  return {
    format: 'logforest-model', version: 'sklearn', createdAt: new Date().toISOString(),
    featureSet: { name: fs.name, version: fs.version, columns },
    contamination: forest.contamination,
    threshold: -forest.offset,
    miner: null,
    vocabulary: { total: 0, templates: [], components: [] },
    forest: forest.toArrays() as unknown as ModelArtifact['forest'],
    training: { events: 0, fitMs: 0, templates: 0, scores: z0 },
  };
}

/** The feature set a dump's columns match, or undefined (→ raw). */
function matchingSet(names: string[] | undefined, nFeatures: number, asked: FeatureSetName | undefined): FeatureSetName | undefined {
  if (asked) return asked;
  if (names && !invented(names)) return (['seed', 'default'] as const).find((s) => featureSet(s).columns.join('\0') === names.join('\0'));
  return featureSet('seed').columns.length === nFeatures ? 'seed' : undefined;
}

export const importSklearn: Command = {
  name: 'import-sklearn',
  args: '<dump.json>',
  arity: [1, 1],
  summary: 'convert a scikit-learn IsolationForest dump into a model (-o FILE)',
  description: `Reads a dump written by tools/sklearn/export_sklearn.py (the fitted trees, offset_ and
contamination of a scikit-learn IsolationForest) and writes a logforest model that scores
exactly as scikit-learn does. A dump whose columns are a feature set's (by name, or unnamed
with the same count: seed) scores log events. Any other dump, or --raw, gives a raw-feature
model over the dump's named columns (x0, x1, … when it names none): score it with
logforest score-matrix.`,
  options: {
    ...outputOption('where to write the model (required)'),
    ...featureSetOption('the feature set the dump was fitted on: seed | default (default: matched from the columns)'),
    raw: { type: 'boolean', help: 'a raw-feature model over the dump\'s columns, whatever they are' },
  },
  examples: [
    'python3 tools/sklearn/export_sklearn.py --model forest.joblib --out dump.json',
    'logforest import-sklearn dump.json -o model.lfm && logforest score server.log --model model.lfm',
    'logforest import-sklearn any-columns.json -o raw.lfm && logforest score-matrix --model raw.lfm rows.csv',
  ],
  run({ args, values }) {
    const output = str(values, 'output');
    if (!output) throw new CliError('import-sklearn needs -o <model file>', 2);
    const asked = str(values, 'feature-set');
    if (asked !== undefined && asked !== 'seed' && asked !== 'default') throw new CliError(`unknown feature set "${asked}" (known: seed, default)`, 2);
    if (asked && flag(values, 'raw')) throw new CliError('--raw and --feature-set exclude each other', 2);
    const path = args[0]!;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new CliError(`cannot read scikit-learn dump '${path}': ${(err as Error).message}`, 2);
    }
    let forest: Forest;
    try {
      forest = importSklearnDump(json);
    } catch (err) {
      throw new CliError(`'${path}' is not a usable scikit-learn dump: ${(err as Error).message}`, 2);
    }
    const named = namesSchema.safeParse(json);
    const names = named.success ? named.data.columns : undefined;
    if (names && names.length !== forest.nFeatures) throw new CliError(`'${path}' names ${names.length} columns but its forest has ${forest.nFeatures} features`, 2);
    const set = flag(values, 'raw') ? undefined : matchingSet(names, forest.nFeatures, asked as FeatureSetName | undefined);
    let model: ModelArtifact;
    if (set) model = featureSetArtifact(forest, set);
    else {
      const columns = names ?? Array.from({ length: forest.nFeatures }, (_, i) => `x${i}`);
      const ok = rawColumnsSchema.safeParse(columns);
      if (!ok.success) throw new CliError(`'${path}' columns cannot name a raw model: ${ok.error.issues[0]?.message}`, 2);
      model = rawModel(forest.toArrays(), columns);
    }
    writeFileSync(output, encodeModel(model));
    const cols = model.featureSet.columns;
    const what = set ? `feature set ${set}` : `raw columns ${cols.slice(0, 8).join(', ')}${cols.length > 8 ? ', …' : ''}; score with: logforest score-matrix --model ${output} FILE.csv`;
    return `wrote ${output}: ${forest.nEstimators} trees, ${forest.nFeatures} features (${what}), threshold ${model.threshold}\n`;
  },
};
