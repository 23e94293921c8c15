import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IsoTime } from './iso-time.ts';

const MIN = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const MAX = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

describe('IsoTime.format', () => {
  it('equals Date.toISOString for any millisecond in years 0000–9999, in any order', () => {
    const iso = new IsoTime();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: MIN, max: MAX }), { minLength: 1, maxLength: 20 }), (times) => {
        for (const t of times) expect(iso.format(t)).toBe(new Date(t).toISOString());
      }),
      { numRuns: 2000 },
    );
  });

  it('stays exact across day, month, year and leap-day boundaries and within one day', () => {
    const iso = new IsoTime();
    const edges = [Date.UTC(2024, 1, 28, 23, 59, 59, 999), Date.UTC(2024, 1, 29), Date.UTC(2024, 2, 1) - 1, Date.UTC(1969, 11, 31, 23, 59, 59, 999), 0, -1, MIN, MAX];
    for (const e of edges) for (const d of [-1001, -1, 0, 1, 999, 1000, 86_399_999]) {
      const t = e + d;
      if (t >= MIN && t <= MAX) expect(iso.format(t)).toBe(new Date(t).toISOString());
    }
  });

  it('falls back to Date outside its fast path: fractions, extended years, invalid times', () => {
    const iso = new IsoTime();
    iso.format(Date.UTC(2024, 0, 1));
    for (const t of [Date.UTC(2024, 0, 1) + 0.5, MAX + 1, MIN - 1, 8.64e15, -8.64e15]) expect(iso.format(t)).toBe(new Date(t).toISOString());
    expect(() => iso.format(Number.NaN)).toThrow(RangeError);
    expect(() => iso.format(8.64e15 + 1)).toThrow(RangeError);
  });
});
