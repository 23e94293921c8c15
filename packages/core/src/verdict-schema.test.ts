import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { Scorer } from './pipeline/scorer.ts';
import { trainModel } from './pipeline/train.ts';
import { syntheticJboss } from './testing/synthetic.ts';
import type { Verdict } from './types.ts';
import { verdictSchema } from './verdict-schema.ts';

// The declared fields (the loose schema's index signature aside).
const declared = z.object(verdictSchema.shape);
type Wire = z.infer<typeof declared>;

describe('verdictSchema', () => {
  it('describes the Verdict interface, both ways (checked by tsc)', () => {
    expectTypeOf<Verdict>().toExtend<Wire>();
    expectTypeOf<Wire>().toExtend<Verdict>();
    expectTypeOf<keyof Wire>().toEqualTypeOf<keyof Verdict>();
  });

  it('accepts every verdict a default-set scorer writes, explanations and familiarity included', () => {
    const log = syntheticJboss(600, 3, 4);
    const records = log.lines.map((line) => ({ line }));
    const verdicts = new Scorer(trainModel(records, { contamination: 0.01 })).score(records, { explain: 'all' });
    expect(verdicts.some((v) => v.familiarity !== undefined && v.explanation !== undefined)).toBe(true);
    for (const v of verdicts) expect(verdictSchema.safeParse(JSON.parse(JSON.stringify(v))).error).toBeUndefined();
  });

  it('names the field that is wrong', () => {
    const r = verdictSchema.safeParse({ timestamp: 't', log: 'x', anomaly_score: '0.7', is_anomaly: true, threshold: 0.6, model_version: 'v1' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['anomaly_score']);
  });
});
