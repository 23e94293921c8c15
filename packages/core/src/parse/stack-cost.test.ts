/**
 * Trace statistics are linear in the event. Found by the adversarial scenario
 * (tools/faults/scenarios/adversarial.ts): findExceptionClass searched the whole remaining text
 * (indexOf past the end of its line) for every line of a multi-line event, so one 1 MB record of
 * 100k short lines — a single JSON `log` value, within the 1 MiB record limit — took ~8 s
 * (`\nx` lines) to ~31 s (`\nException` lines) in parseEvent, in the worker and in /analyze alike.
 */
import { describe, expect, it } from 'vitest';
import { parseEvent } from './event.ts';
import { findExceptionClass } from './stack.ts';

const MB = 1 << 20;
const timed = <T>(fn: () => T): [T, number] => {
  const t0 = performance.now();
  const v = fn();
  return [v, performance.now() - t0];
};

describe('multi-line events of many short lines', () => {
  it.each([
    ['\nx', 'x'],
    ['\nException', 'Exception'],
    ['\nCaused by: x', 'Caused by'],
  ])('1 MB of %j lines parses in well under a second', (unit) => {
    const line = `2024-05-01 12:00:00,000 ERROR [a.B] (main) boom${unit.repeat(Math.floor(MB / unit.length))}`;
    const [ev, ms] = timed(() => parseEvent({ line }));
    expect(ms).toBeLessThan(1000);
    expect(ev.continuationLines).toBe(Math.floor(MB / unit.length));
  });

  it('findExceptionClass looks only inside [from, to)', () => {
    const s = 'x Exception\nat a.b.FooException: y\nc.d.BarError';
    expect(findExceptionClass(s, 0, 11)).toBe('');
    expect(findExceptionClass(s, 12, 34)).toBe('a.b.FooException');
    expect(findExceptionClass(s, 35, s.length)).toBe('c.d.BarError');
    expect(findExceptionClass(s, 17, 34)).toBe('b.FooException');
    expect(findExceptionClass(s, 0, s.length)).toBe('a.b.FooException');
  });
});
