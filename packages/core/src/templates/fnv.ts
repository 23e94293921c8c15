/**
 * FNV-1a 64-bit hash of a string's UTF-8 bytes, as 16 lower-case hex digits.
 * Pure arithmetic on four 16-bit limbs (no BigInt), so it is cheap and identical in every
 * process and on every platform. Used for template ids.
 */

const encoder = new TextEncoder();

export function fnv1a64(text: string): string {
  const bytes = encoder.encode(text);
  // offset basis 0xcbf29ce484222325, low limb first
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < bytes.length; i++) {
    h0 ^= bytes[i]!;
    // multiply by the prime 0x100000001b3 = 2^40 + 0x1b3, modulo 2^64
    const r0 = h0 * 0x1b3;
    const r1 = h1 * 0x1b3 + (r0 >>> 16);
    const r2 = h2 * 0x1b3 + (h0 << 8) + (r1 >>> 16);
    const r3 = h3 * 0x1b3 + (h1 << 8) + (r2 >>> 16);
    h0 = r0 & 0xffff;
    h1 = r1 & 0xffff;
    h2 = r2 & 0xffff;
    h3 = r3 & 0xffff;
  }
  return hex4(h3) + hex4(h2) + hex4(h1) + hex4(h0);
}

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}
