/**
 * Many bad lines in one bulk body cost linear time. Found by the adversarial scenario
 * (tools/faults/scenarios/adversarial.ts): each bad line's error message counted lines from the top
 * of the body (describeOffset), so 256 KB of malformed action lines took 2.3 s and 1 MB ~37 s,
 * blocking ingest's event loop. Positions are now named from the line itself, with the same text.
 */
import { describe, expect, it } from 'vitest';
import { decodeBulk } from './index.ts';

describe('bulk bodies full of bad lines', () => {
  it('1 MB of malformed action lines decodes in seconds', () => {
    const n = Math.floor((1 << 20) / 11);
    const body = Buffer.from(`{"index":{}}\n{"m":1}\n${'{"create":\n'.repeat(n)}`);
    const t0 = performance.now();
    const { items } = decodeBulk(body, { receivedAt: 0, maxEvents: 1e9 });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(items).toHaveLength(1 + Math.ceil(n / 2)); // a malformed action line takes the next line as its document
  });

  it('names the physical line and column of a bad document, blank lines and indentation included', () => {
    const body = '\n  {"index":{}}\n\n {"a":1,}\n{"index":{}}\r\n{"x":"\n';
    const reasons = decodeBulk(Buffer.from(body), { receivedAt: 0 }).items.map((i) => i.error?.reason);
    expect(reasons[0]).toMatch(/^failed to parse document at line \[2\]: invalid JSON at line 4, column 9: /);
    expect(reasons[1]).toBe('failed to parse document at line [4]: invalid JSON: string opened at line 6, column 6 is never closed (truncated body?)');
  });
});
