/**
 * Graded novelty: how the scorer combines the forest score with the model's history, for models
 * that carry one (feature sets with `usesHistory`). Documented in packages/core/src/features/README.md
 * ("Graded novelty"); models without history (seed set, imported scikit-learn models) keep the
 * forest score alone.
 *
 * Every row gets a familiarity grade h in [0, 1): how unfamiliar it is,
 *
 *   h = 0.45·[signature never seen] + 0.15·rarity + 0.15·word rarity + 0.15·entity rarity + 0.10·forest
 *
 * (rarity = 0.75·signature rarity + 0.25·template rarity, log-scaled as the features are and divided
 * by log2(N + 1); word rarity = History.wordRarity of the template text, or of the message without
 * a known template; entity rarity = the largest rarity of the template or signature within the
 * event's host / source / category, divided by log2(N + 1)),
 * divided by 1 + 0.02·log2(1 + r), where r counts the earlier events of the same signature in the
 * batch (the first of a storm outranks its repeats, by little).
 *
 * A *novel* row — it differs from training on a training-constant column (the novelty guard: a new
 * template, a new signature, a first stack trace, …) — whose incident prior is at least BAND_PRIOR
 * (a WARN or worse, or a failure word) scores in the band above the guard floor
 * f = 2^(-1/c(ψ)), by severity first (0 TRACE … 6 EMERG) and by h within a severity:
 *
 *   score = f + (1 − f) · (severity + h) / 7
 *
 * Any other row scores below the band, from its incident prior p (prior.ts: level × failure
 * vocabulary, state dumps damped), its forest score s and its grade h:
 *
 *   score = f · (0.6·p + 0.3·s + 0.1·h)
 *
 * Both add a tie-break of at most 10⁻⁹ from a hash of the signature (TIE_BREAK).
 *
 * The forest alone ranks what is *unusual*; on a log where failures recur (BGL: a node's
 * `data TLB error interrupt` 60 times, 204 FATAL register-dump lines rarer than it) unusual is not
 * what an operator must read first. The prior says how much a line reads like an incident, the
 * forest and the grade order lines of like prior (and everything routine) by how unusual and how
 * unfamiliar they are, and the repeat term in h keeps a storm's repeats from tying.
 */
import { severityScore } from '../features/sets.ts';
import type { History } from '../history/history.ts';
import type { ParsedEvent } from '../types.ts';
import { hash32 } from '../history/sketch.ts';
import { HISTORY_STRIDE } from './featurize.ts';
import { priorOf, textTraits } from './prior.ts';

export const GRADE_WEIGHTS = { newSignature: 0.45, rarity: 0.15, words: 0.15, entity: 0.15, forest: 0.1 } as const;
/** How fast repeats of one signature in a batch fall. */
export const REPEAT_DECAY = 0.02;
/** Weights of a non-novel row's score (they sum to 1): incident prior, forest score, familiarity grade. */
export const MIX = { prior: 0.6, forest: 0.3, grade: 0.1 } as const;
/**
 * Last-resort order: events equal on every signal (two unrelated new errors of one level, length
 * and wording) are ordered by a hash of their signature, at most TIE_BREAK apart, so that no two
 * unrelated events share a score; events of one signature keep equal terms (their repeats are
 * ordered by the repeat term). This order means nothing beyond "not the same problem".
 */
export const TIE_BREAK = 1e-9;
/**
 * Least incident prior of a novel row that scores in the novelty band: a WARN, or an INFO line with
 * a failure word (prior.ts). A new routine line (INFO or below, no failure word, or a state dump)
 * is new but not an incident: it keeps the mix below the band, where its grade (a new signature
 * weighs 0.45 of it) ranks it above the routine lines it resembles.
 */
export const BAND_PRIOR = 0.24;
const SEED_TIE = 0x71e;

/** Per template id: textTraits of its text and the word rarity of its words (pure functions of the text and the model). */
export type TemplateTraits = Map<string, { traits: number; words: number }>;

export interface GradeInput {
  events: ParsedEvent[];
  signatures: string[];
  /** Featurized.templateIds / templates: an event with a known template is read through its template. */
  templateIds: (string | undefined)[];
  templates: (string | undefined)[];
  /** Memo of TemplateTraits, kept by the caller across batches of one model. */
  traits: TemplateTraits;
  /** Featurized.history (HISTORY_STRIDE values per row). */
  history: Float64Array;
  /** The model's history. */
  model: History;
  /** Per row, guarded columns broken (applyGuard); undefined = none. */
  novel: Uint8Array | undefined;
}

/** Rarity in [0, 1]: 1 for a signature and template never seen, 0 for ones every training event had. */
export function unfamiliarity(signatureCount: number, templateCount: number, total: number): number {
  if (total <= 0) return 1;
  const top = Math.log2(total + 1);
  const s = Math.log2((total + 1) / (Math.min(signatureCount, total) + 1)) / top;
  const t = Math.log2((total + 1) / (Math.min(templateCount, total) + 1)) / top;
  return 0.75 * s + 0.25 * t;
}

/**
 * Rewrite `scores` (forest scores, guard floor not applied) in place as described above.
 * Returns the grade h of every row (for tests and explanations).
 */
export function gradeScores(g: GradeInput, scores: Float64Array, floor: number): Float64Array {
  const n = scores.length;
  const grades = new Float64Array(n);
  const seen = new Map<number, number>();
  const total = g.model.total;
  const top = Math.log2(total + 1);
  const W = GRADE_WEIGHTS;
  for (let i = 0; i < n; i++) {
    const o = i * HISTORY_STRIDE;
    const ev = g.events[i] as ParsedEvent;
    const sig = g.signatures[i] as string;
    const sh = hash32(sig, SEED_TIE);
    const r = seen.get(sh) ?? 0;
    seen.set(sh, r + 1);
    const s = scores[i] as number;
    const fresh = (g.history[o + 1] as number) === 0 ? 1 : 0;
    const unf = unfamiliarity(g.history[o + 1] as number, g.history[o] as number, total);
    const ent = top > 0 ? Math.min(1, (g.history[o + 2] as number) / top) : 0;
    const tid = g.templateIds[i];
    const tpl = tid === undefined ? undefined : g.templates[i];
    let t = tid === undefined ? undefined : g.traits.get(tid);
    if (t === undefined && tid !== undefined && tpl !== undefined) {
      t = { traits: textTraits(tpl), words: g.model.wordRarity(tpl) };
      g.traits.set(tid, t);
    }
    const traits = t ? t.traits : textTraits(ev.message);
    const words = t ? t.words : g.model.wordRarity(ev.message);
    const raw = W.newSignature * fresh + W.rarity * unf + W.words * words + W.entity * ent + W.forest * s;
    const h = Math.min(raw, 1 - 1e-9) / (1 + REPEAT_DECAY * Math.log2(1 + r));
    grades[i] = h;
    const u = TIE_BREAK * (sh / 4294967296);
    const p = priorOf(ev.level, traits);
    scores[i] = g.novel?.[i] && p >= BAND_PRIOR
      ? floor + ((1 - floor) * (severityScore(ev.level) + h + u)) / 7
      : floor * Math.min(MIX.prior * p + MIX.forest * s + MIX.grade * h + u, 1 - 1e-12);
  }
  return grades;
}
