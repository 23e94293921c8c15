/** The console's pure helpers: page-side filters, merging polled pages, level detection. */
import { describe, expect, it } from 'vitest';
import type { Anomaly } from './api.ts';
import { applyClientFilter, headline, levelOf, mergeNewest, messageOf, query } from './format.ts';

const a = (id: string, score: number, log: string, extra: Partial<Anomaly> = {}): Anomaly => ({
  id, timestamp: '2024-05-06T10:00:00Z', log, anomaly_score: score, threshold: 0.6, model_version: 'v1', ...extra,
});

describe('console helpers', () => {
  it('filters by text (log, template, signature, host) and minimum score', () => {
    const items = [a('1-0', 0.7, 'ERROR boom'), a('2-0', 0.9, 'INFO ok', { signature: 'WFLYCTL0013' }), a('3-0', 0.65, 'x', { host: 'db-1' })];
    expect(applyClientFilter(items, { text: 'wflyctl', minScore: 0 }).map((i) => i.id)).toEqual(['2-0']);
    expect(applyClientFilter(items, { text: '', minScore: 0.68 }).map((i) => i.id)).toEqual(['1-0', '2-0']);
    expect(applyClientFilter(items, { text: 'DB-1', minScore: 0.6 }).map((i) => i.id)).toEqual(['3-0']);
  });

  it('merges a polled page newest first by stream id, without duplicates, capped', () => {
    const held = [a('1714-1', 0.7, 'b'), a('1714-0', 0.7, 'a')];
    const { items, added } = mergeNewest(held, [a('1715-0', 0.7, 'c'), a('1714-1', 0.7, 'b')], 2);
    expect(added).toBe(1);
    expect(items.map((i) => i.id)).toEqual(['1715-0', '1714-1']);
    expect(mergeNewest(held, [a('999-0', 0.7, 'old')], 10).items.at(-1)?.id).toBe('999-0');
  });

  it('reads the headline, stack frames and level of a JBoss event', () => {
    const log = '2024-05-05 03:00:00,000 ERROR [x] (t) failed\n\tat a.B.c(B.java:1)\nCaused by: java.io.IOException\n\t... 3 more';
    expect(headline(log)).toEqual({ first: '2024-05-05 03:00:00,000 ERROR [x] (t) failed', frames: 3 });
    expect(levelOf({ log })).toBe('ERROR');
    expect(levelOf({ log, level: 'warn' })).toBe('WARN');
    expect(levelOf({ log: 'no level here' })).toBeNull();
    expect(messageOf('2024-05-05 03:00:00,000 ERROR [x] (t) failed')).toBe('[x] (t) failed');
    expect(messageOf('plain text')).toBe('plain text');
    expect(query({ host: 'a b', source: '', limit: 5, since: undefined })).toBe('?host=a+b&limit=5');
  });
});
