/**
 * Seeded pseudo-random numbers for forest fitting.
 *
 * Generator: xoshiro128** (Blackman & Vigna, 2018; 128-bit state, period 2^128 - 1),
 * its four state words seeded from one 32-bit seed by splitmix32. Written from the published
 * algorithm description; all arithmetic is 32-bit (`Math.imul`, `>>> 0`) so results are identical
 * on every JavaScript engine. It is not cryptographic and need not be: it only has to be fast,
 * well distributed and reproducible from `randomState`.
 */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** @param seed - any number; its low 32 bits (after `>>> 0` of the integer part) select the stream. */
  constructor(seed: number) {
    let x = Math.trunc(seed) >>> 0;
    // splitmix32: an additive Weyl sequence passed through a 32-bit finaliser.
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // all-zero state is the one fixed point
  }

  /** Next unsigned 32-bit integer in [0, 2^32). */
  nextUint32(): number {
    const s1 = this.s1;
    const t = s1 << 9;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits (two 32-bit draws). */
  nextDouble(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * Uniform integer in [0, n) for 1 ≤ n ≤ 2^32, by Lemire's multiply-and-reject method
   * (unbiased): the 64-bit product r·n is formed exactly from 16-bit halves of r.
   */
  nextInt(n: number): number {
    if (n <= 1) return 0;
    const threshold = (4294967296 - n) % n; // 2^32 mod n
    for (;;) {
      const r = this.nextUint32();
      const a = (r >>> 16) * n; // < 2^48, exact
      const b = (r & 0xffff) * n; // < 2^48, exact
      const mid = (a % 65536) * 65536 + b; // < 2^49, exact
      const low = mid % 4294967296;
      if (low >= threshold) return Math.floor(a / 65536) + Math.floor(mid / 4294967296);
    }
  }
}
