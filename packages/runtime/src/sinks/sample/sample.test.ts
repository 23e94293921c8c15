import fc from 'fast-check';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../../../../tests/setup/redis.ts';
import { encodeSampleRecord, readSample, sampleIndices, SAMPLE_FIELD } from './sample.ts';

describe('sample encoding', () => {
  it('writes exactly what JSON.stringify writes for {line, ts?, host?, source?}', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 });
    fc.assert(
      fc.property(
        fc.record({ line: text, ts: fc.option(fc.double(), { nil: undefined }), host: fc.option(text, { nil: undefined }), source: fc.option(text, { nil: undefined }) }),
        (r) => {
          const o: Record<string, unknown> = { line: r.line };
          if (r.ts !== undefined && Number.isFinite(r.ts)) o['ts'] = r.ts;
          if (r.host !== undefined) o['host'] = r.host;
          if (r.source !== undefined) o['source'] = r.source;
          expect(encodeSampleRecord(r)).toBe(JSON.stringify(o));
        },
      ),
      { numRuns: 2000 },
    );
    expect(encodeSampleRecord({ line: 'a "quoted"\nline\u2028', ts: -0, host: 'h' })).toBe('{"line":"a \\"quoted\\"\\nline\u2028","ts":0,"host":"h"}');
  });
});

describe('sample selection', () => {
  it('keeps everything by default, and is deterministic per batch id', () => {
    expect(sampleIndices(5, 'b')).toEqual([0, 1, 2, 3, 4]);
    const a = sampleIndices(1000, 'batch-1', { rate: 0.1 });
    expect(sampleIndices(1000, 'batch-1', { rate: 0.1 })).toEqual(a);
    expect(a.length).toBeGreaterThan(50);
    expect(a.length).toBeLessThan(150);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
  });

  it('cuts to the per-batch cap uniformly, keeping order', () => {
    const idx = sampleIndices(1000, 'b', { maxPerBatch: 100 });
    expect(idx).toHaveLength(100);
    expect(new Set(idx).size).toBe(100);
    expect([...idx].sort((x, y) => x - y)).toEqual(idx);
    expect(idx[idx.length - 1]).toBeGreaterThan(500);
    expect(sampleIndices(10, 'b', { rate: 0 })).toEqual([]);
  });

  it('reads the newest records oldest first and skips junk entries', async () => {
    const redis = new Redis(testRedisUrl());
    const key = `${uniquePrefix('sample')}:sample`;
    try {
      for (let i = 0; i < 25; i++) await redis.xadd(key, '*', SAMPLE_FIELD, JSON.stringify({ line: `l${i}`, ts: i }));
      await redis.xadd(key, '*', SAMPLE_FIELD, 'not json');
      await redis.xadd(key, '*', 'other', 'x');
      const got = await readSample(redis, key, 10);
      expect(got.map((r) => r.line)).toEqual(['l15', 'l16', 'l17', 'l18', 'l19', 'l20', 'l21', 'l22', 'l23', 'l24']);
      expect((await readSample(redis, key, 1000)).length).toBe(25);
    } finally {
      await redis.quit();
    }
  });
});
