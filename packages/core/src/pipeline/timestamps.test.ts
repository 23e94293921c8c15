/**
 * A timestamp no Date can hold must not fail scoring. Found by the ingest fuzzer
 * (tools/faults/scenarios/fuzz.ts): a JSON line `{"@timestamp":-6.3e226}` posted to /analyze made
 * parseEvent read -6.3e226 as epoch ms and Scorer.score threw RangeError in toISOString — a 500, and
 * in the worker a whole batch failing every retry.
 */
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../parse/index.ts';
import { syntheticJboss } from '../testing/synthetic.ts';
import { Scorer } from './scorer.ts';
import { trainModel } from './train.ts';

const receivedAt = Date.UTC(2024, 4, 6, 12);

describe('out-of-range times', () => {
  it('parseEvent ignores a JSON epoch outside the Date range', () => {
    for (const t of [-6.306109209912342e226, 1e300, 8.64e15 + 1]) {
      const ev = parseEvent({ line: JSON.stringify({ '@timestamp': t, level: 'INFO', message: 'm' }) }, { receivedAt });
      expect(ev.format).toBe('wildfly-json');
      expect(ev.ts).toBe(receivedAt);
    }
    expect(parseEvent(JSON.stringify({ timestamp: 1714564800000, message: 'm' })).ts).toBe(1714564800000);
  });

  it('Scorer.score answers a verdict for every event, stamping receipt time when the time is unusable', () => {
    const scorer = new Scorer(trainModel(syntheticJboss(300, 3, 2).lines.map((line) => ({ line }))));
    const verdicts = scorer.score(
      [
        { line: '{"@timestamp":-6.306109209912342e+226,"M":"NaN"}' },
        { line: 'plain line', ts: 1e300 },
        { line: 'another', ts: -1e20 },
      ],
      { receivedAt, explain: 'all', join: false },
    );
    expect(verdicts.map((v) => v.timestamp)).toEqual(Array(3).fill(new Date(receivedAt).toISOString()));
  });
});
