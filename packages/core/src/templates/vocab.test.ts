import { describe, expect, it } from 'vitest';
import { TemplateMiner } from './miner.ts';
import { Vocabulary, hashRange } from './vocab.ts';

describe('Vocabulary', () => {
  it('interns strings and finds them inside a larger string without slicing', () => {
    const v = new Vocabulary();
    const a = v.ref('password');
    expect(v.ref('pass' + 'word')).toBe(a);
    const msg = 'Failed password for root';
    expect(v.lookup(msg, 7, 15, hashRange(msg, 7, 15))).toBe(a);
    expect(v.lookup(msg, 0, 6, hashRange(msg, 0, 6))).toBeUndefined();
    expect(v.size).toBe(1);
  });

  it('keeps permanent entries and drops unreferenced ones when rebuilding', () => {
    const v = new Vocabulary(['Jan']);
    for (let i = 0; i < 5000; i++) v.ref(`w${i}`);
    expect(v.size).toBe(5001);
    for (let i = 0; i < 5000; i++) v.unref(`w${i}`);
    expect(v.size).toBe(1);
    v.ref('again');
    expect(v.lookup('Jan', 0, 3, hashRange('Jan', 0, 3))).toBe('Jan');
    expect(v.lookup('w7', 0, 2, hashRange('w7', 0, 2))).toBeUndefined();
  });

  it('stays bounded while a miner with maxClusters churns through templates', () => {
    const miner = new TemplateMiner({ maxClusters: 50 });
    for (let i = 0; i < 20_000; i++) miner.add(`job k${i.toString(36)}x started by scheduler q${(i * 7).toString(36)}y`);
    expect(miner.clusterCount).toBeLessThanOrEqual(50);
    const vocab = (miner as unknown as { vocab: Vocabulary }).vocab;
    expect(vocab.size).toBeLessThan(50 * 6 + 100);
  });
});
