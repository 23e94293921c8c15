/**
 * Token vocabulary: every constant token that appears in a learned template, interned once.
 *
 * The tokenizer hashes each plain token while scanning and looks it up here without slicing the
 * message, so match() allocates nothing for words it knows and maps words it does not know to
 * {@link UNKNOWN}, which equals no template token. Templates and looked-up tokens share string
 * instances, so comparisons are mostly identity checks.
 *
 * Open addressing (linear probing) over parallel typed arrays; entries are reference-counted by the
 * clusters that use them. Entries whose count drops to 0 stay until dead entries outnumber live
 * ones, then the table is rebuilt, so memory follows the live clusters (maxClusters).
 */

/**
 * Stands for a token that is in no template. Holds a space and NULs, which no token read from a
 * message can hold (quoted values with spaces are always masked), so it never equals a real token.
 */
export const UNKNOWN = '\u0000 \u0000';

/** FNV-1a 32 step over one UTF-16 code unit; start from {@link HASH_SEED}. */
export const HASH_SEED = 0x811c9dc5 | 0;

export function hashRange(s: string, a: number, b: number): number {
  let h = HASH_SEED;
  for (let i = a; i < b; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** Never evicted (the date masks in the tokenizer must see them even in match()). */
const PERMANENT = 1 << 30;

export class Vocabulary {
  private hashes = new Int32Array(64);
  private strs: Array<string | undefined> = new Array<string | undefined>(64).fill(undefined);
  private refs = new Int32Array(64);
  private used = 0; // occupied slots (live + dead)
  private dead = 0; // occupied slots with refs 0

  constructor(permanent: Iterable<string> = []) {
    for (const s of permanent) {
      this.ref(s);
      this.refs[this.slot(s)] = PERMANENT;
    }
  }

  /** Number of live entries. */
  get size(): number {
    return this.used - this.dead;
  }

  /** The interned string equal to msg[a, b), or undefined. `h` = hashRange(msg, a, b). */
  lookup(msg: string, a: number, b: number, h: number): string | undefined {
    const hashes = this.hashes;
    const strs = this.strs;
    const mask = hashes.length - 1;
    const len = b - a;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = strs[i];
      if (s === undefined) return undefined;
      if (hashes[i] === h && s.length === len && msg.startsWith(s, a)) return s;
    }
  }

  /** Add one reference to `s`; returns the interned instance. */
  ref(s: string): string {
    const i = this.slot(s);
    if (this.refs[i] === 0) this.dead--;
    this.refs[i] = this.refs[i]! + 1;
    return this.strs[i]!;
  }

  /** Drop one reference to `s` (which must have been ref'd). */
  unref(s: string): void {
    const i = this.find(s);
    if (i < 0 || this.refs[i]! <= 0) return;
    if (--this.refs[i]! === 0) {
      this.dead++;
      if (this.dead > 1024 && this.dead > this.used - this.dead) this.rebuild(this.hashes.length);
    }
  }

  private find(s: string): number {
    const h = hashRange(s, 0, s.length);
    const mask = this.hashes.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const t = this.strs[i];
      if (t === undefined) return -1;
      if (this.hashes[i] === h && t === s) return i;
    }
  }

  /** Slot of `s`, inserting it (refs 0, counted dead) when missing. */
  private slot(s: string): number {
    let i = this.find(s);
    if (i >= 0) return i;
    if ((this.used + 1) * 2 > this.hashes.length) this.rebuild(this.hashes.length * 2);
    const h = hashRange(s, 0, s.length);
    const mask = this.hashes.length - 1;
    i = h & mask;
    while (this.strs[i] !== undefined) i = (i + 1) & mask;
    this.hashes[i] = h;
    this.strs[i] = s;
    this.refs[i] = 0;
    this.used++;
    this.dead++;
    return i;
  }

  /** Re-insert live entries into a table of `capacity` slots (a power of two). */
  private rebuild(capacity: number): void {
    const { hashes, strs, refs } = this;
    let cap = capacity;
    const live = this.used - this.dead;
    while (live * 2 >= cap) cap *= 2;
    this.hashes = new Int32Array(cap);
    this.strs = new Array<string | undefined>(cap).fill(undefined);
    this.refs = new Int32Array(cap);
    this.used = 0;
    this.dead = 0;
    const mask = cap - 1;
    for (let k = 0; k < strs.length; k++) {
      const s = strs[k];
      if (s === undefined || refs[k] === 0) continue;
      let i = hashes[k]! & mask;
      while (this.strs[i] !== undefined) i = (i + 1) & mask;
      this.hashes[i] = hashes[k]!;
      this.strs[i] = s;
      this.refs[i] = refs[k]!;
      this.used++;
    }
  }
}
