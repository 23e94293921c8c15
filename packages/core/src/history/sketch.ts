/**
 * Count-min sketch (Cormode & Muthukrishnan, 2005): bounded, mergeable event counts.
 *
 * `depth` rows of `width` counters; a key hashes to one counter per row, `add` increments them
 * all and `estimate` takes the smallest. Estimates never undercount; with N counted events an
 * estimate exceeds the true count by more than (e / width)·N with probability ≤ e^-depth. The
 * memory is width × depth × 4 bytes whatever the number of keys, and two sketches of the same
 * shape merge by adding their counters: merge(a, b) is exactly the sketch of both streams.
 *
 * Keys are two 32-bit hashes (see `hashKey`); the row index is h1 + i·h2 (Kirsch–Mitzenmacher),
 * so one key costs one string hash, not one per row.
 */

/** Largest width accepted (2^22 counters per row: 16 MiB per row), to bound what an artifact can ask for. */
export const MAX_SKETCH_WIDTH = 1 << 22;
export const MAX_SKETCH_DEPTH = 8;

export interface SketchState {
  width: number;
  depth: number;
  /** Events counted (the N of the error bound). */
  total: number;
  /** depth × width counters, row-major. */
  table: Uint32Array;
}

/** FNV-1a 32-bit over UTF-16 code units, with a seed mixed into the basis. */
export function hash32(s: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix(h);
}

/** MurmurHash3's finaliser: spreads every input bit over the output. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combine two hashes into one (order matters: (a, b) ≠ (b, a)). */
export function hashPair(a: number, b: number): number {
  return fmix((Math.imul(a, 0x9e3779b1) ^ b) >>> 0);
}

export class CountMinSketch {
  readonly width: number;
  readonly depth: number;
  total: number;
  readonly table: Uint32Array;
  private readonly mask: number;

  constructor(width = 1 << 14, depth = 4, table?: Uint32Array, total = 0) {
    if (!Number.isInteger(width) || width < 16 || width > MAX_SKETCH_WIDTH || (width & (width - 1)) !== 0) {
      throw new RangeError(`sketch width must be a power of two in [16, ${MAX_SKETCH_WIDTH}], got ${width}`);
    }
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_SKETCH_DEPTH) {
      throw new RangeError(`sketch depth must be an integer in [1, ${MAX_SKETCH_DEPTH}], got ${depth}`);
    }
    if (table !== undefined && table.length !== width * depth) {
      throw new RangeError(`sketch table has ${table.length} counters, width × depth is ${width * depth}`);
    }
    if (!Number.isInteger(total) || total < 0) throw new RangeError(`sketch total must be a non-negative integer, got ${total}`);
    this.width = width;
    this.depth = depth;
    this.mask = width - 1;
    this.table = table ?? new Uint32Array(width * depth);
    this.total = total;
  }

  static fromState(s: SketchState): CountMinSketch {
    return new CountMinSketch(s.width, s.depth, s.table, s.total);
  }

  toState(): SketchState {
    return { width: this.width, depth: this.depth, total: this.total, table: this.table };
  }

  /** Count `n` more occurrences of the key `h` (a hash from hash32 / hashPair). Saturates at 2^32 − 1. */
  add(h: number, n = 1): void {
    const h2 = fmix(h ^ 0x5bd1e995) | 1;
    const t = this.table;
    for (let i = 0, idx = h; i < this.depth; i++, idx = (idx + h2) >>> 0) {
      const k = i * this.width + (idx & this.mask);
      const v = (t[k] as number) + n;
      t[k] = v > 0xffffffff ? 0xffffffff : v;
    }
  }

  /** Estimated count of the key `h`: never below the true count. */
  estimate(h: number): number {
    const h2 = fmix(h ^ 0x5bd1e995) | 1;
    const t = this.table;
    let min = 0xffffffff;
    for (let i = 0, idx = h; i < this.depth; i++, idx = (idx + h2) >>> 0) {
      const v = t[i * this.width + (idx & this.mask)] as number;
      if (v < min) min = v;
    }
    return min;
  }

  /** Add another sketch of the same shape into this one (counts of both streams). */
  merge(other: CountMinSketch): this {
    if (other.width !== this.width || other.depth !== this.depth) {
      throw new RangeError(`cannot merge a ${other.depth}×${other.width} sketch into a ${this.depth}×${this.width} one`);
    }
    const t = this.table, o = other.table;
    for (let k = 0; k < t.length; k++) {
      const v = (t[k] as number) + (o[k] as number);
      t[k] = v > 0xffffffff ? 0xffffffff : v;
    }
    this.total += other.total;
    return this;
  }

  /** Bytes the counters take (the whole of the sketch's memory, apart from a few fields). */
  get bytes(): number {
    return this.table.byteLength;
  }
}
