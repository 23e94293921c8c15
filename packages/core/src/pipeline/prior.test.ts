import { describe, expect, it } from 'vitest';
import { dumpShaped, failureVocabulary, incidentPrior, priorOf, textTraits } from './prior.ts';
import { Scorer } from './scorer.ts';
import { trainModel } from './train.ts';

describe('dumpShaped', () => {
  it('knows register and setting dumps', () => {
    for (const t of [
      'instruction address: 0x00004ed8',
      'core configuration register: 0x00002000',
      'machine check enable..............0',
      'program interrupt: unimplemented operation..1',
      'program interrupt: fp cr field .............0',
      'r24=0x0000a2c0 r25=0x00000000 r26=0x1ee0c8a0 r27=0x00000001',
      'lr:00004ed8 cr:28422448 xer:20000002 ctr:00000000',
      'fpr29=0x7ff00000',
      'special purpose registers:',
    ]) expect(dumpShaped(t), t).toBe(true);
  });

  it('leaves events alone, prose with dots and ranges included', () => {
    for (const t of [
      'data TLB error interrupt',
      'rts: kernel terminated for reason 1004',
      'Loading... done in 12 ms',
      'retrying pages 1..5 of the report',
      'WFLYCTL0013: Operation ("add") failed - address: ([("subsystem" => "undertow")])',
      'Order 123456 placed in 42 ms',
      'connection to db-1 failed: code=500 after 3 retries',
      '',
    ]) expect(dumpShaped(t), t).toBe(false);
  });

  it('scans a long adversarial line in linear time', () => {
    const evil = `${'a.'.repeat(50_000)}${'x=1 '.repeat(20_000)}y:`;
    expect(typeof dumpShaped(evil)).toBe('boolean');
    expect(typeof failureVocabulary('e'.repeat(100_000), false)).toBe('number');
  });
});

describe('textTraits on a template', () => {
  it('reads a template (parameters as <*>) as it reads the messages it stands for', () => {
    const pairs: Array<[string, string]> = [
      ['instruction address: <*>', 'instruction address: 0x00004ed8'],
      ['machine check enable..............<*>', 'machine check enable..............0'],
      ['<*>=<*> dbsr=<*> <*>=<*>', 'dbcr0=0x00000000 dbsr=0x00000000 ccr0=0x40002000'],
      ['rts: kernel terminated for reason <*>', 'rts: kernel terminated for reason 1004'],
      ['ciod: LOGIN chdir(<*>) failed: No such file or directory', 'ciod: LOGIN chdir(/home/ann) failed: No such file or directory'],
    ];
    for (const [tpl, msg] of pairs) {
      expect(textTraits(tpl), tpl).toBe(textTraits(msg));
      expect(priorOf('FATAL', textTraits(tpl))).toBe(incidentPrior('FATAL', msg));
    }
    expect(textTraits('instruction address: <*>')).toBe(-1);
  });
});

describe('failureVocabulary', () => {
  it('ranks a system failure above a generic error above a missing input above none', () => {
    const sys = failureVocabulary('ciod: Error reading message prefix on socket to 10.0.0.7:4242, Link has been severed', false);
    const generic = failureVocabulary('Lustre mount FAILED : io12 : point /p/scratch', false);
    const missing = failureVocabulary('ciod: Error loading /home/ann/a.out: invalid or missing program image, No such file or directory', false);
    const none = failureVocabulary('Order 123456 placed in 42 ms', false);
    expect([sys, generic, missing, none]).toEqual([1, 0.5, 0.25, 0]);
    expect(failureVocabulary('Connection reset by peer', false)).toBe(1);
    expect(failureVocabulary('exception syndrome register: 0x00800000', true)).toBe(0);
  });
});

describe('incidentPrior', () => {
  it('grows with severity and with the failure vocabulary, and damps dumps', () => {
    const text = 'Error receiving packet on tree network';
    const byLevel = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'EMERG'].map((l) => incidentPrior(l, text));
    for (let i = 1; i < byLevel.length; i++) expect(byLevel[i]).toBeGreaterThan(byLevel[i - 1]!);
    expect(incidentPrior('FATAL', 'rts: kernel terminated for reason 1004')).toBeGreaterThan(incidentPrior('FATAL', text));
    expect(incidentPrior('FATAL', text)).toBeGreaterThan(incidentPrior('FATAL', 'ciod: LOGIN chdir(/home/ann) failed: No such file or directory'));
    expect(incidentPrior('FATAL', 'ciod: LOGIN chdir(/home/ann) failed: No such file or directory')).toBeGreaterThan(incidentPrior('FATAL', 'instruction address: 0x00004ed8'));
    expect(incidentPrior('ERROR', text)).toBeGreaterThan(incidentPrior('INFO', 'MACHINE CHECK read timeout (mc=1)'));
    expect(incidentPrior('INFO', '')).toBeCloseTo(1 / 6, 12);
    for (const p of byLevel) expect(p).toBeLessThanOrEqual(1);
  });
});

describe('the prior in the score (trained and scored on the same supercomputer-style log)', () => {
  // A node log written here: routine INFO, a failure that recurs 40 times on one node, and the
  // register dump (rarer lines, each a handful of times) that accompanies every crash.
  const stamp = (i: number) => `${1117838570 + i} 2005.06.03 R02-M1-N${i % 4}-C:J12-U11 2005-06-03-15.42.${String(i % 60).padStart(2, '0')}.675872 R02-M1-N${i % 4}-C:J12-U11 RAS`;
  const lines: string[] = [];
  const kinds: string[] = [];
  const dumps = ['instruction address: 0x00004ed8', 'machine check enable..............0', 'exception syndrome register: 0x00800000', 'r24=0x0000a2c0 r25=0x00000000'];
  for (let i = 0; i < 1200; i++) {
    if (i % 30 === 7) {
      lines.push(`- ${stamp(i)} KERNEL FATAL data TLB error interrupt`);
      kinds.push('failure');
      lines.push(`- ${stamp(i)} KERNEL FATAL ${dumps[(i / 30) % 4 | 0]}`);
      kinds.push('dump');
    } else {
      lines.push(`- ${stamp(i)} KERNEL INFO generating core.${i % 97}`);
      kinds.push('routine');
    }
  }
  const recs = lines.map((line) => ({ line }));
  const model = trainModel(recs, { join: false, now: 0 });
  const scores = new Scorer(model).scoreBatch(recs, { join: false, receivedAt: 0 }).scores;
  const of = (k: string) => Array.from(scores).filter((_, i) => kinds[i] === k);

  it('ranks every recurring failure above every rarer register dump, and dumps above routine lines', () => {
    expect(Math.min(...of('failure'))).toBeGreaterThan(Math.max(...of('dump')));
    expect(Math.min(...of('dump'))).toBeGreaterThan(Math.max(...of('routine')));
  });

  it('gives the repeats of the failure different scores (no tie among them)', () => {
    const f = of('failure');
    expect(new Set(f).size).toBe(f.length);
  });

  it('keeps non-novel scores below the novelty floor', () => {
    for (const s of scores) expect(s).toBeLessThan(2 ** (-1 / 10));
  });
});
