/**
 * Reading the Authorization header costs time linear in its length. Found by the adversarial
 * scenario (tools/faults/scenarios/adversarial.ts): the regexp /^\s*(\S+)\s+(.+?)\s*$/ took time
 * quadratic in a run of spaces inside the value, so `Bearer a<16,000 spaces>b` (within Node's
 * 16 KB header limit) cost ~200 ms of CPU per request — before authentication, from anyone.
 */
import { describe, expect, it } from 'vitest';
import { presentedSecrets } from './auth.ts';

const cost = (value: string): number => {
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) presentedSecrets({ authorization: value });
  return (performance.now() - t0) / 20;
};

describe('Authorization header parsing', () => {
  it('a 16 KB header with a long inner run of spaces is cheap', () => {
    expect(cost(`Bearer a${' '.repeat(16_000)}b`)).toBeLessThan(5);
    expect(cost(`Basic ${'\t '.repeat(8_000)}x`)).toBeLessThan(5);
    expect(presentedSecrets({ authorization: `Bearer a${' '.repeat(1000)}b` })).toEqual([`a${' '.repeat(1000)}b`]);
  });

  it('splits scheme and value; a blank value presents nothing', () => {
    expect(presentedSecrets({ authorization: '  Bearer   tok  ' })).toEqual(['tok']);
    expect(presentedSecrets({ authorization: 'bearer\ttok' })).toEqual(['tok']);
    expect(presentedSecrets({ authorization: 'Bearer' })).toEqual([]);
    expect(presentedSecrets({ authorization: 'Bearer   ' })).toEqual([]);
    expect(presentedSecrets({ authorization: `ApiKey ${Buffer.from('id:key').toString('base64')}` })).toEqual([Buffer.from('id:key').toString('base64'), 'key']);
  });
});
