/**
 * The hand-built answer of /analyze is byte for byte what `Buffer.from(JSON.stringify(…))` gives,
 * and `JSON.parse` reads it back to the same verdicts, on arbitrary strings (control characters,
 * quotes, backslashes, non-ASCII, astral and lone surrogates) and numbers (NaN, ±Infinity, -0).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Verdict } from '@logforest/core';
import { JsonWriter, verdictsJson } from './verdict-json.ts';

const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\r', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udc00', 'a', 'é') }));
const num = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 1e21, 5e-324));

/** Verdicts with every optional member present or absent, members in the scorer's order. */
const verdict: fc.Arbitrary<Verdict> = fc
  .record(
    {
      timestamp: text,
      log: text,
      anomaly_score: num,
      is_anomaly: fc.boolean(),
      threshold: num,
      model_version: text,
      host: text,
      source: text,
      template: text,
      template_id: text,
      level: fc.option(text, { nil: null }),
      signature: text,
      familiarity: fc.record(
        { signature: text, seen_in_training: fc.boolean(), template_count: num, signature_count: num, entity: text },
        { requiredKeys: ['signature', 'seen_in_training', 'template_count', 'signature_count'] },
      ),
      explanation: fc.array(fc.record({ feature: text, value: num, contribution: num }), { maxLength: 4 }),
    },
    { requiredKeys: ['timestamp', 'log', 'anomaly_score', 'is_anomaly', 'threshold', 'model_version'] },
  )
  .map((v) => v as Verdict);

describe('verdictsJson', () => {
  it('writes the bytes of Buffer.from(JSON.stringify(verdicts)), the envelope too', () => {
    const w = new JsonWriter(16); // small: growing is exercised
    fc.assert(
      fc.property(fc.array(verdict, { maxLength: 8 }), text, (verdicts, version) => {
        expect(verdictsJson(w, verdicts).toString('latin1')).toBe(Buffer.from(JSON.stringify(verdicts)).toString('latin1'));
        const env = verdictsJson(w, verdicts, { modelVersion: version });
        expect(env.equals(Buffer.from(JSON.stringify({ model_version: version, verdicts })))).toBe(true);
        expect(JSON.parse(env.toString('utf8'))).toEqual(JSON.parse(JSON.stringify({ model_version: version, verdicts })));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves out members set to undefined, as JSON.stringify does', () => {
    const v = { timestamp: 't', log: 'l', anomaly_score: 0.5, is_anomaly: false, threshold: 0.6, model_version: 'v1', host: undefined, familiarity: { signature: 's', seen_in_training: true, template_count: 1, signature_count: 2, entity: undefined } } as Verdict;
    expect(verdictsJson(new JsonWriter(), [v]).toString()).toBe(JSON.stringify([v]));
  });

  it('gives each answer its own bytes (the writer buffer is reused)', () => {
    const w = new JsonWriter();
    const a = verdictsJson(w, []);
    const b = verdictsJson(w, [{ timestamp: 'x', log: 'y', anomaly_score: 1, is_anomaly: true, threshold: 0, model_version: 'v' }]);
    expect(a.toString()).toBe('[]');
    expect(JSON.parse(b.toString())[0].log).toBe('y');
  });

  it('keeps big answers intact while the writer goes on (they take its buffer, small ones are copied)', () => {
    const w = new JsonWriter(1024);
    const big = (tag: string): Verdict[] => Array.from({ length: 400 }, (_, i) => ({ timestamp: 't', log: `${tag} ${i} ${'x'.repeat(80)}`, anomaly_score: 0.5, is_anomaly: false, threshold: 0.6, model_version: 'v1' }));
    const a = big('a');
    const b = big('b');
    const first = verdictsJson(w, a);
    const small = verdictsJson(w, a.slice(0, 1));
    const second = verdictsJson(w, b);
    verdictsJson(w, a.slice(0, 2));
    expect(first.length).toBeGreaterThan(16 * 1024);
    expect(first.equals(Buffer.from(JSON.stringify(a)))).toBe(true);
    expect(small.equals(Buffer.from(JSON.stringify(a.slice(0, 1))))).toBe(true);
    expect(second.equals(Buffer.from(JSON.stringify(b)))).toBe(true);
  });

  it('starts each answer afresh, even after one failed half-way', () => {
    const w = new JsonWriter();
    const ok: Verdict[] = [{ timestamp: 't', log: 'fine', anomaly_score: 0.5, is_anomaly: false, threshold: 0.6, model_version: 'v1' }];
    const broken = [{ ...ok[0], log: null }] as unknown as Verdict[];
    expect(() => verdictsJson(w, broken)).toThrow();
    expect(verdictsJson(w, ok).equals(Buffer.from(JSON.stringify(ok)))).toBe(true);
  });
});
