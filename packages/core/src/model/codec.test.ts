/**
 * decodeModel refuses everything a Scorer would refuse. Found by the model-safety scenario
 * (tools/faults/scenarios/model.ts): a valid container and checksum around an artifact whose
 * forest had another width than its feature set, whose forest trees were broken (a cycle), or
 * whose miner state was malformed passed decodeModel, so the CLI reported it as an "unexpected
 * error" (exit 1) instead of "not a usable model"; an artifact listing other columns than its
 * feature set was accepted by decodeModel and the Scorer alike.
 */
import { describe, expect, it } from 'vitest';
import { Scorer } from '../pipeline/scorer.ts';
import { trainModel } from '../pipeline/train.ts';
import { syntheticJboss } from '../testing/synthetic.ts';
import type { ModelArtifact } from './artifact.ts';
import { decodeModel, encodeModel, ModelFormatError } from './codec.ts';

const records = syntheticJboss(300, 4, 2).lines.map((line) => ({ line }));
const good = trainModel(records, { version: 'v1', nEstimators: 20 });
const seed = trainModel(records, { version: 'v1', featureSet: 'seed', nEstimators: 20 });

function refusal(fn: () => unknown): ModelFormatError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ModelFormatError) return err;
    throw err;
  }
  throw new Error('expected a ModelFormatError');
}

describe('decodeModel refuses artifacts a Scorer cannot load', () => {
  const forest = good.forest as Record<string, unknown>;
  const left = Int32Array.from(forest['left'] as Int32Array);
  left[0] = 0;
  const cases: Array<[string, ModelArtifact, string, RegExp]> = [
    ['a forest narrower than the feature set', { ...good, forest: seed.forest }, 'feature-set', /5 forest features but feature set default has 16/],
    ['columns other than the feature set', { ...good, featureSet: { ...good.featureSet, columns: ['hour', 'pid'] } }, 'feature-set', /columns/],
    ['a forest tree with a cycle', { ...good, forest: { ...forest, left } } as ModelArtifact, 'schema', /invalid forest arrays/],
    ['a malformed miner state', { ...good, miner: { format: 'logforest.template-miner', clusters: 'nope' } }, 'schema', /template miner/],
  ];

  it.each(cases)('%s', (_name, artifact, reason, message) => {
    const err = refusal(() => decodeModel(encodeModel(artifact)));
    expect(err.reason).toBe(reason);
    expect(err.message).toMatch(message);
    expect(() => new Scorer(artifact)).toThrow(ModelFormatError);
  });

  it('a miner state carrying custom mask regexes (code, not data)', () => {
    const miner = good.miner as { options: Record<string, unknown> };
    const hostile = { ...good, miner: { ...miner, options: { ...miner.options, extraMasks: [{ source: '(a+)+$', flags: '', replacement: '<*>' }] } } };
    const err = refusal(() => decodeModel(encodeModel(hostile)));
    expect(err.reason).toBe('schema');
    expect(err.message).toMatch(/custom mask pattern/);
  });

  it('still loads good models of both feature sets', () => {
    expect(new Scorer(decodeModel(encodeModel(good))).version).toBe('v1');
    expect(decodeModel(encodeModel(seed)).featureSet.name).toBe('seed');
  });
});
