/**
 * Size variables parse in linear time. Found by the regexp hunt of the adversarial scenario
 * (tools/faults/scenarios/adversarial.ts): /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i took 3.6 s on
 * `0` + 64k spaces + a stray character (two \s* runs sharing one run of spaces).
 */
import { describe, expect, it } from 'vitest';
import { bytesVar } from './vars.ts';

describe('bytesVar', () => {
  const schema = bytesVar(1);

  it('refuses a value padded with 64k spaces quickly', () => {
    const t0 = performance.now();
    expect(schema.safeParse(`0${' '.repeat(65_536)}\u0000`).success).toBe(false);
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('still reads sizes with units and surrounding spaces', () => {
    expect(schema.parse(' 16 MiB ')).toBe(16 * 1024 * 1024);
    expect(schema.parse('512KiB')).toBe(512 * 1024);
    expect(schema.parse('1.5k')).toBe(1536);
    expect(schema.parse('\t2048\n')).toBe(2048);
    expect(schema.safeParse('12 parsecs').success).toBe(false);
  });
});
