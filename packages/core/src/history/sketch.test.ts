import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { History, emptyCounts, type EventKeys } from './history.ts';
import { CountMinSketch, hash32 } from './sketch.ts';

const keyArb = fc.string({ maxLength: 12 });
const streamArb = fc.array(keyArb, { maxLength: 400 });

function sketchOf(keys: string[], width = 256, depth = 4): CountMinSketch {
  const s = new CountMinSketch(width, depth);
  for (const k of keys) {
    s.add(hash32(k));
    s.total++;
  }
  return s;
}

function counts(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

describe('CountMinSketch', () => {
  it('merge(a, b) is exactly the sketch of both streams, and never undercounts', () => {
    fc.assert(
      fc.property(streamArb, streamArb, (a, b) => {
        const merged = sketchOf(a).merge(sketchOf(b));
        const both = sketchOf([...a, ...b]);
        expect(merged.table).toEqual(both.table);
        expect(merged.total).toBe(a.length + b.length);
        for (const [k, c] of counts([...a, ...b])) expect(merged.estimate(hash32(k))).toBeGreaterThanOrEqual(c);
      }),
    );
  });

  it('stays within the count-min error bound e/width · N on most keys', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 3000 }), (ints) => {
        const keys = ints.map((i) => `k${i}`);
        const s = sketchOf(keys, 1024, 4);
        const bound = (Math.E / 1024) * keys.length;
        const c = counts(keys);
        let over = 0;
        for (const [k, n] of c) if (s.estimate(hash32(k)) - n > bound) over++;
        // Each key exceeds the bound with probability ≤ e^-4 ≈ 1.8%; allow 3× that.
        expect(over).toBeLessThanOrEqual(Math.ceil(0.055 * c.size));
      }),
      { numRuns: 30 },
    );
  });

  it('keeps its memory fixed however many distinct keys it counts', () => {
    const s = new CountMinSketch(1 << 10, 4);
    const before = s.bytes;
    for (let i = 0; i < 200_000; i++) s.add(hash32(`distinct-${i}`));
    expect(s.bytes).toBe(before);
    expect(s.bytes).toBe(4 * 1024 * 4);
  });

  it('refuses shapes it cannot hold and merges of different shapes', () => {
    expect(() => new CountMinSketch(1000, 4)).toThrow(/power of two/);
    expect(() => new CountMinSketch(1024, 0)).toThrow(/depth/);
    expect(() => new CountMinSketch(1024, 4, new Uint32Array(10))).toThrow(/counters/);
    expect(() => new CountMinSketch(1024, 4).merge(new CountMinSketch(2048, 4))).toThrow(/cannot merge/);
  });
});

const keys = (template: string, signature: string, host = '', source = '', category = ''): EventKeys => ({ template, signature, host, source, category });

describe('History', () => {
  it('counts templates, signatures and per-entity baselines', () => {
    const h = new History(new CountMinSketch(1 << 12, 4));
    for (let i = 0; i < 90; i++) h.add(keys('t1', 'WFLYCTL0013', 'app1', 'jboss', 'org.jboss.as'));
    for (let i = 0; i < 10; i++) h.add(keys('t1', 'WFLYCTL0013', 'app3', 'jboss', 'org.jboss.as'));
    h.add(keys('t2', 'java.lang.NullPointerException', 'app1', 'jboss', 'com.shop'));
    const f = h.lookup(keys('t1', 'WFLYCTL0013', 'app3', 'jboss', 'org.jboss.as'), emptyCounts());
    expect(f).toMatchObject({ total: 101, templateCount: 100, signatureCount: 100 });
    // The same signature on a host that never logged it is rare *there*.
    const onNew = h.lookup(keys('t1', 'WFLYCTL0013', 'app9', 'other', 'x'), emptyCounts());
    expect(onNew.entity).toBe(-2); // it names entities, none of them has a baseline: as rare as it gets
    expect(onNew.entityRarity).toBeCloseTo(Math.log2(102), 9);
    expect(h.lookup(keys('t1', 'WFLYCTL0013'), emptyCounts()).entity).toBe(-1); // names none
    const npeOnApp3 = h.lookup(keys('t2', 'java.lang.NullPointerException', 'app3', 'jboss', 'org.jboss.as'), emptyCounts());
    expect(npeOnApp3.signatureCount).toBe(1);
    expect(npeOnApp3.entity).toBe(2); // category org.jboss.as: 100 events, none of them this one
    expect(npeOnApp3.entityRarity).toBeCloseTo(Math.log2(101), 9);
    const unseen = h.lookup(keys('t9', 'ISPN000136'), emptyCounts());
    expect([unseen.templateCount, unseen.signatureCount]).toEqual([0, 0]);
  });

  it('merges the histories of two workers into the history of both', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('S1', 'S2'), fc.constantFrom('h1', 'h2', '')), { maxLength: 200 }), fc.nat(200), (evs, cut) => {
        const ks = evs.map(([t, s, host]) => keys(t, s, host));
        const a = new History(new CountMinSketch(256, 3));
        const b = new History(new CountMinSketch(256, 3));
        const all = new History(new CountMinSketch(256, 3));
        ks.forEach((k, i) => (i < cut ? a : b).add(k));
        ks.forEach((k) => all.add(k));
        a.merge(b);
        expect(a.sketch.table).toEqual(all.sketch.table);
        for (const k of ks) expect(a.lookup(k, emptyCounts())).toEqual(all.lookup(k, emptyCounts()));
      }),
    );
  });

  it('word rarity is the same memoised or not, and follows new counts', () => {
    const h = new History(new CountMinSketch(1024, 4));
    const text = 'deployment of orders.war started in 120 ms';
    for (let i = 0; i < 50; i++) {
      h.addWords(i % 5 === 0 ? text : 'cache hit ratio high');
      h.add({ template: 't', signature: 's', host: '', source: '', category: '' });
    }
    const fresh = History.fromState(h.sketch.toState());
    const a = h.wordRarity(text);
    expect(h.wordRarity(text)).toBe(a);
    expect(fresh.wordRarity(text)).toBe(a);
    expect(h.wordRarity('cache hit ratio high')).toBeLessThan(a);
    for (let i = 0; i < 50; i++) {
      h.addWords(text);
      h.add({ template: 't', signature: 's', host: '', source: '', category: '' });
    }
    expect(h.wordRarity(text)).toBeLessThan(a);
    expect(h.wordRarity(text)).toBe(History.fromState(h.sketch.toState()).wordRarity(text));
  });
});
