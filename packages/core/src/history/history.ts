/**
 * What a model remembers of its training events: how often each template and each signature
 * occurred, overall and within each entity (host, source/tag, logger category), and how many
 * events each entity had. Everything lives in one count-min sketch (./sketch.ts), so the memory
 * is fixed by the sketch's shape, and the histories of two workers merge by adding counters.
 */
import { CountMinSketch, fmix, hash32, hashPair, type SketchState } from './sketch.ts';

/** The entities that keep their own baselines, in the order `entity` indexes use. */
export const ENTITY_KINDS = ['host', 'source', 'category'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** What one event is counted under. '' = the event has no such key (not counted there). */
export interface EventKeys {
  template: string;
  signature: string;
  host: string;
  source: string;
  category: string;
}

/** One event's familiarity, as the features and the verdict read it. */
export interface HistoryCounts {
  /** Training events of the model's history. */
  total: number;
  templateCount: number;
  signatureCount: number;
  /**
   * Largest rarity of the event's template or signature within one of its entities,
   * log2((n_e + 1) / (c + 1)) for an entity with n_e training events of which c had it; 0 when
   * no entity of the event has a baseline.
   */
  entityRarity: number;
  /**
   * Which entity gave entityRarity (index into ENTITY_KINDS); -2 when the event names entities but
   * none of them had a training event (a new host / source / category: entityRarity = log2(total + 1),
   * as rare as an unseen key gets, and `entity` names the first of them); -1 when it names none.
   */
  entity: number;
  /** Training events of that entity, and of the event's signature in it. */
  entityCount: number;
  entitySignatureCount: number;
}

const SEED_TEMPLATE = 0x7101;
const SEED_SIGNATURE = 0x5151;
const SEED_ENTITY = [0xe001, 0xe002, 0xe003] as const;
const ENTITY_TOTAL = 0x70741;
const SEED_WORD = 0x3077;
/** Words of a message that count (the rest of a long message is not looked at). */
export const MAX_WORDS = 64;

const isLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f);

/**
 * Calls `fn` with the hash of each word of `text`: runs of two or more letters, case-folded (ASCII),
 * at most MAX_WORDS of them. Digits, punctuation and single letters separate words.
 */
function eachWord(text: string, fn: (h: number) => void): void {
  let words = 0;
  let h = 0;
  let len = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if (isLetter(c)) {
      if (len === 0) h = (0x811c9dc5 ^ SEED_WORD) >>> 0;
      h ^= c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
      h = Math.imul(h, 0x01000193);
      len++;
    } else if (len > 0) {
      if (len >= 2) {
        fn(fmix(h));
        if (++words >= MAX_WORDS) return;
      }
      len = 0;
    }
  }
}

/** The key hashes of one event, computed once and used for every count. */
interface KeyHashes {
  t: number;
  s: number;
  e: [number, number, number];
  has: [boolean, boolean, boolean];
}

function hashes(k: EventKeys, out: KeyHashes): KeyHashes {
  out.t = k.template === '' ? 0 : hash32(k.template, SEED_TEMPLATE);
  out.s = k.signature === '' ? 0 : hash32(k.signature, SEED_SIGNATURE);
  const vals = [k.host, k.source, k.category];
  for (let j = 0; j < 3; j++) {
    const v = vals[j] as string;
    out.has[j] = v !== '';
    out.e[j] = v === '' ? 0 : hash32(v, SEED_ENTITY[j] as number);
  }
  return out;
}

export function emptyCounts(): HistoryCounts {
  return { total: 0, templateCount: 0, signatureCount: 0, entityRarity: 0, entity: -1, entityCount: 0, entitySignatureCount: 0 };
}

/** Slots of the word-rarity memo (a power of two). */
const WORD_MEMO = 4096;

export class History {
  private readonly h: KeyHashes = { t: 0, s: 0, e: [0, 0, 0], has: [false, false, false] };
  private readonly memoKeys = new Int32Array(WORD_MEMO);
  private readonly memoVals = new Float64Array(WORD_MEMO).fill(-1);
  private memoTotal = -1;

  constructor(readonly sketch: CountMinSketch = new CountMinSketch()) {}

  static fromState(s: SketchState): History {
    return new History(CountMinSketch.fromState(s));
  }

  get total(): number {
    return this.sketch.total;
  }

  /** Count one training event. */
  add(keys: EventKeys): void {
    this.memoTotal = -1;
    const h = hashes(keys, this.h);
    const sk = this.sketch;
    sk.total++;
    if (keys.template !== '') sk.add(h.t);
    if (keys.signature !== '') sk.add(h.s);
    for (let j = 0; j < 3; j++) {
      if (!h.has[j]) continue;
      const e = h.e[j] as number;
      sk.add(hashPair(e, ENTITY_TOTAL));
      if (keys.template !== '') sk.add(hashPair(e, h.t));
      if (keys.signature !== '') sk.add(hashPair(e, h.s));
    }
  }

  /** Count the words of one training event's message (see wordRarity). */
  addWords(text: string): void {
    this.memoTotal = -1;
    eachWord(text, (h) => this.sketch.add(h));
  }

  /**
   * Mean rarity of the words of `text` among the training messages, each word's
   * log2((N + 1) / (c + 1)) / log2(N + 1) clamped to [0, 1] (N = training events, c = the word's
   * occurrences): 1 when no word was ever seen, near 0 for everyday words. 0 for a text without words.
   */
  wordRarity(text: string): number {
    const sk = this.sketch;
    const top = Math.log2(sk.total + 1);
    if (top === 0) return 0;
    let sum = 0;
    let n = 0;
    const keys = this.memoKeys;
    const vals = this.memoVals;
    eachWord(text, (h) => {
      // A word's rarity is a pure function of its hash while the sketch is unchanged: memoised in a
      // small direct-mapped table (a server log's vocabulary is small), cleared whenever the sketch counts more (add, addWords, merge).
      const slot = h & (WORD_MEMO - 1);
      let r: number;
      if (this.memoTotal === sk.total && keys[slot] === (h | 0) && (vals[slot] as number) >= 0) r = vals[slot] as number;
      else {
        if (this.memoTotal !== sk.total) {
          vals.fill(-1);
          this.memoTotal = sk.total;
        }
        r = Math.max(0, Math.log2((sk.total + 1) / (sk.estimate(h) + 1)) / top);
        keys[slot] = h | 0;
        vals[slot] = r;
      }
      sum += r;
      n++;
    });
    return n === 0 ? 0 : sum / n;
  }

  /** Merge another history of the same sketch shape into this one. */
  merge(other: History): this {
    this.memoTotal = -1;
    this.sketch.merge(other.sketch);
    return this;
  }

  /** Fill `out` with the event's familiarity (no allocation). */
  lookup(keys: EventKeys, out: HistoryCounts): HistoryCounts {
    const h = hashes(keys, this.h);
    const sk = this.sketch;
    out.total = sk.total;
    out.templateCount = keys.template === '' ? 0 : sk.estimate(h.t);
    out.signatureCount = keys.signature === '' ? 0 : sk.estimate(h.s);
    out.entityRarity = 0;
    out.entity = -1;
    out.entityCount = 0;
    out.entitySignatureCount = 0;
    let named = false;
    for (let j = 0; j < 3; j++) {
      if (!h.has[j]) continue;
      named = true;
      const e = h.e[j] as number;
      const n = sk.estimate(hashPair(e, ENTITY_TOTAL));
      if (n === 0) continue;
      const cs = keys.signature === '' ? n : Math.min(n, sk.estimate(hashPair(e, h.s)));
      const ct = keys.template === '' ? n : Math.min(n, sk.estimate(hashPair(e, h.t)));
      const r = Math.log2((n + 1) / (Math.min(cs, ct) + 1));
      if (out.entity < 0 || r > out.entityRarity) {
        out.entityRarity = r;
        out.entity = j;
        out.entityCount = n;
        out.entitySignatureCount = cs;
      }
    }
    if (out.entity === -1 && named && sk.total > 0) {
      out.entity = -2;
      out.entityRarity = Math.log2(sk.total + 1);
    }
    return out;
  }
}
