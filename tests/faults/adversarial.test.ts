/**
 * Adversarial lines (fast subset of tools/faults/scenarios/adversarial.ts): a sample of the probes
 * — every format prefix with a few pathological tails, each multi-line family, and every probe of
 * the other components — grows at most ~linearly from 256 KB to 1 MB, and no regexp literal of the
 * shipped code backtracks catastrophically on inputs built from its own characters.
 */
import { describe, expect, it } from 'vitest';
import { probes } from '../../tools/faults/fuzz/adversarial-probes.ts';
import { time, verdict } from '../../tools/faults/fuzz/linearity.ts';
import { probeRegex, regexLiterals } from '../../tools/faults/fuzz/regex-probe.ts';

/** Operator-set values validated before the regexp runs (the scenario's BOUNDED list). */
const bounded = (where: string, source: string) => where.startsWith('services/ingest/src/config.ts:') && source === '\\/+$';
/** parseEvent: every header prefix with these tails, and every family that has no prefix. */
const TAILS = /\+ "( |Exception)"×N$/;
/** The slower stages (miner, scorer) get a handful of the families. */
const FEW = new Set(['jboss + " "×N', 'unknown + "Exception"×N', '1M-token line (a )', 'one 1 MB token', 'one event of short lines (\\nx)',
  'keyword bait "erro"×N', '100k-frame trace, one record per frame', 'headerless records (x)']);
const SLOW = new Set(['TemplateMiner.add', 'TemplateMiner.match', 'Scorer.score (features)']);

describe('pathological input costs linear time', () => {
  const sample = probes().filter((p) => (SLOW.has(p.component) ? FEW.has(p.name) : p.component !== 'parseEvent' || !p.name.includes(' + ') || TAILS.test(p.name)));

  it('the sample covers every component', () => {
    expect(new Set(sample.map((p) => p.component)).size).toBe(new Set(probes().map((p) => p.component)).size);
    expect(sample.length).toBeGreaterThan(50);
  });

  // Shares two cores with the other suites: allow 8× for 4× the input (a quadratic cost is 16×);
  // the harness (`pnpm test:faults --only adversarial`) holds every probe to ~5× on a quiet machine.
  it('every sampled probe: 4× the input (256 KB → 1 MB) costs clearly less than quadratic time', async () => {
    const failures: string[] = [];
    for (const p of sample) {
      const why = verdict(await time(p, [1 << 20], 2), 8);
      if (why) failures.push(`${p.component} / ${p.name}: ${why}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('no regexp literal of the shipped code backtracks catastrophically', () => {
    const lits = regexLiterals();
    expect(lits.length).toBeGreaterThan(30);
    const slow = lits
      .filter((l) => !bounded(l.where, l.source))
      .map((l) => probeRegex(l, 256 * 1024, true))
      .filter((r) => r.points.at(-1)![1] > 5 && r.ratio > 5)
      .map((r) => `${r.where} /${r.source}/ on ${r.worst}`);
    expect(slow).toEqual([]);
  }, 60_000);

  it('the regexp hunt does catch a quadratic pattern (the old Authorization parser)', () => {
    const r = probeRegex({ where: 'old auth.ts', source: '^\\s*(\\S+)\\s+(.+?)\\s*$', flags: '' }, 256 * 1024, true);
    expect(r.ratio).toBeGreaterThan(8);
  });
});
