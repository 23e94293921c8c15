import { afterEach, describe, expect, it } from 'vitest';
import { configureProgress, Progress } from './progress.ts';

/** A fake clock and stderr: what Progress writes, and when. */
function harness(o: { tty: boolean; quiet?: boolean }) {
  let now = 1_000_000;
  const out: string[] = [];
  configureProgress({ tty: o.tty, quiet: o.quiet ?? false, intervalMs: 3000, write: (s) => out.push(s), now: () => now });
  return { out, advance: (ms: number) => (now += ms) };
}

afterEach(() => configureProgress({}));

describe('Progress when stderr is not a terminal', () => {
  it('prints a line every few seconds with events, rate and ETA, and the end of a phase that spoke', () => {
    const h = harness({ tty: false });
    const p = new Progress('scoring', 1_000_000, 'events');
    h.advance(1000);
    p.tick(100_000); // 1 s in: too early for a line
    expect(h.out).toEqual([]);
    h.advance(2000);
    p.tick(100_000); // 3 s, 200k done: 66,667 events/s, 800k left → 12 s
    expect(h.out).toEqual(['logforest: scoring 200,000/1,000,000 events (20%), 66,667 events/s, ETA 12s\n']);
    h.advance(1000);
    p.tick(100_000); // 1 s after the last line: silent
    expect(h.out).toHaveLength(1);
    h.advance(2000);
    p.tick(200_000); // 6 s, 500k
    expect(h.out[1]).toBe('logforest: scoring 500,000/1,000,000 events (50%), 83,333 events/s, ETA 6s\n');
    h.advance(6000);
    p.tick(500_000);
    p.done();
    expect(h.out.at(-1)).toBe('logforest: scoring done in 12s (1,000,000 events, 83,333 events/s)\n');
  });

  it('says nothing for a short run', () => {
    const h = harness({ tty: false });
    const t = new Progress('training on 800 lines');
    h.advance(200);
    t.done();
    const p = new Progress('scoring', 800, 'events');
    h.advance(300);
    p.tick(800);
    p.done();
    expect(h.out).toEqual([]);
  });

  it('a phase without steps (training) is announced when it starts a few seconds into the run', () => {
    const h = harness({ tty: false });
    h.advance(4000); // reading a big file took 4 s
    const t = new Progress('training on 3,000,000 lines');
    h.advance(9000);
    t.done();
    expect(h.out).toEqual(['logforest: training on 3,000,000 lines… (0s)\n', 'logforest: training on 3,000,000 lines done in 9s\n']);
  });

  it('--quiet writes nothing, terminal or not', () => {
    for (const tty of [true, false]) {
      const h = harness({ tty, quiet: true });
      const p = new Progress('scoring', 100, 'events');
      h.advance(10_000);
      p.tick(50);
      p.done();
      expect(h.out).toEqual([]);
    }
  });

  it('on a terminal draws a bar in place and clears it at the end', () => {
    const h = harness({ tty: true });
    const p = new Progress('scoring', 100, 'events');
    h.advance(500);
    p.tick(50);
    p.done();
    expect(h.out).toEqual([`\rscoring [${'.'.repeat(30)}] 0%\x1b[K`, `\rscoring [${'#'.repeat(15)}${'.'.repeat(15)}] 50%\x1b[K`, '\r\x1b[K']);
  });
});
