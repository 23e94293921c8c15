import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TemplateMiner, WILDCARD } from './index.ts';

const WORDS = [
  'Failed', 'password', 'for', 'user', 'from', 'port', 'error', 'session', 'opened', 'closed',
  'WFLYSRV0027:', 'JBAS015876:', 'Deployed', '"shop.war"', "'a b'", 'uid=0', 'user=root', 'blk_-12',
  'blk_7', '10.0.0.1:80', 'fe80::1', '(java)', 'Jul', 'Mon', '3', '/var/log/x', 'ops@example.com',
  'http://x.org/a', 'task-9', '"', "'", '=', '(', '<*>', 'a.b.com', 'org.acme.Foo', '123ms', '',
];
const SEPARATORS = [' ', '  ', '\t', ' \n ', '\r\n'];

/** Log-like lines: known words, random ints and random strings, joined by assorted whitespace. */
const logLine = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...WORDS) },
      { weight: 2, arbitrary: fc.integer().map(String) },
      { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    ),
    { maxLength: 24 },
  )
  .chain((words) =>
    fc.array(fc.constantFrom(...SEPARATORS), { minLength: words.length, maxLength: words.length }).map((seps) =>
      words.map((w, i) => w + seps[i]).join(''),
    ),
  );

const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 200 }), logLine);

const wsChunks = (s: string): number => s.split(/[ \t\n\v\f\r]+/).filter((x) => x.length > 0).length;
const templateTokens = (t: string): string[] => (t === '' ? [] : t.split(' '));

describe('TemplateMiner properties', () => {
  it('add() and match() never throw and return templates consistent with the message tokens', () => {
    fc.assert(
      fc.property(fc.array(anyString, { minLength: 1, maxLength: 30 }), fc.integer({ min: 2, max: 40 }), (messages, maxTokens) => {
        const miner = new TemplateMiner({ maxTokens });
        for (const msg of messages) {
          const toks = miner.tokens(msg);
          expect(toks.length).toBeLessThanOrEqual(Math.min(maxTokens, wsChunks(msg)));
          const r = miner.add(msg);
          const tt = templateTokens(r.template);
          // same token count as the message; every template token is the message token or <*>
          expect(tt).toHaveLength(toks.length);
          tt.forEach((t, i) => expect(t === WILDCARD || t === toks[i]).toBe(true));
          expect(r.id).toMatch(/^[0-9a-f]{16}$/);
          // right after learning, match() finds the same cluster with its current id
          const m = miner.match(msg);
          expect(m?.cluster).toBe(r.cluster);
          expect(m?.id).toBe(r.id);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('match() on arbitrary strings never throws and never learns', () => {
    fc.assert(
      fc.property(fc.array(logLine, { maxLength: 20 }), fc.array(anyString, { maxLength: 20 }), (train, probes) => {
        const miner = new TemplateMiner();
        for (const t of train) miner.add(t);
        const before = JSON.stringify(miner.toJSON());
        for (const p of probes) {
          const m = miner.match(p);
          if (m) expect(templateTokens(m.template)).toHaveLength(miner.tokens(p).length);
        }
        expect(JSON.stringify(miner.toJSON())).toBe(before);
      }),
      { numRuns: 200 },
    );
  });

  it('toJSON/fromJSON gives identical match results and keeps memory bounded', () => {
    fc.assert(
      fc.property(fc.array(logLine, { maxLength: 60 }), fc.array(logLine, { maxLength: 20 }), fc.integer({ min: 1, max: 6 }), (train, probes, maxClusters) => {
        const a = new TemplateMiner({ maxClusters });
        for (const t of train) {
          a.add(t);
          expect(a.clusterCount).toBeLessThanOrEqual(maxClusters);
        }
        const b = TemplateMiner.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
        for (const p of [...probes, ...train]) expect(b.match(p)).toEqual(a.match(p));
        expect(b.templates()).toEqual(a.templates());
      }),
      { numRuns: 200 },
    );
  });
});
