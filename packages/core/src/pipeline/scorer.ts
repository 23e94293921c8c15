/**
 * Score events with a model: the hot path of the worker, /analyze and the CLI.
 * Build one Scorer per model (it compiles the forest, miner and vocabulary once),
 * then call score() once per batch.
 */
import { featureSet, type FeatureSet } from '../features/sets.ts';
import type { Vocabulary } from '../features/vocabulary.ts';
import { IsolationForest, type ForestArrays } from '../forest/index.ts';
import { ENTITY_KINDS, History } from '../history/history.ts';
import type { ModelArtifact } from '../model/artifact.ts';
import { ModelFormatError } from '../model/codec.ts';
import type { ParseContext } from '../parse/index.ts';
import { TemplateMiner } from '../templates/index.ts';
import type { Contribution, Familiarity, LogRecord, Verdict } from '../types.ts';
import { featurize, HISTORY_STRIDE, parseRecords, type Featurized, type TemplateLookup } from './featurize.ts';
import { gradeScores, type TemplateTraits } from './graded.ts';
import { IsoTime } from './iso-time.ts';
import { applyGuard, noveltyScore, type ConstantColumns } from './novelty.ts';

export interface ScoreOptions {
  /** Receive time (epoch ms) stamped on events that carry no time. @defaultValue Date.now() */
  receivedAt?: number;
  /** Which verdicts get a feature explanation. @defaultValue 'anomalies' */
  explain?: 'anomalies' | 'all' | 'none';
  /** How many features an explanation lists, largest first. @defaultValue 3 */
  explainTop?: number;
  /** Parse context (file date for time-only JBoss lines, year for RFC 3164). */
  parse?: ParseContext;
  /** Join stack-trace lines into their event. false = one event per record. @defaultValue true */
  join?: boolean;
}

export interface ScoredBatch extends Featurized {
  scores: Float64Array;
  /** Per row, guarded (training-constant) columns the event differs on; undefined when none does. */
  novel: Uint8Array | undefined;
}

export class Scorer {
  readonly version: string;
  readonly threshold: number;
  readonly set: FeatureSet;
  readonly forest: IsolationForest;
  private readonly vocab: Vocabulary;
  private readonly lookup: TemplateLookup | undefined;
  private readonly guard: ConstantColumns;
  private readonly guardFloor: number;
  /** Per template: what the incident prior and word rarity read from its text (graded.ts), filled as templates are met. */
  private readonly traits: TemplateTraits = new Map();
  /** Familiarity history (models of a set that uses one); undefined = forest score alone. */
  readonly history: History | undefined;
  private readonly iso = new IsoTime();

  constructor(readonly model: ModelArtifact) {
    try {
      this.set = featureSet(model.featureSet.name, model.featureSet.version);
      this.forest = IsolationForest.fromArrays(model.forest as unknown as ForestArrays);
      const miner = model.miner == null ? undefined : TemplateMiner.fromJSON(model.miner);
      this.history = model.history && this.set.usesHistory ? History.fromState(model.history) : undefined;
      this.lookup = miner ? (m: string) => miner.match(m) : undefined;
    } catch (err) {
      if (err instanceof ModelFormatError) throw err;
      throw new ModelFormatError(`model ${model.version} cannot be loaded: ${(err as Error).message}`, 'schema');
    }
    if (model.featureSet.columns.join(',') !== this.set.columns.join(',')) {
      throw new ModelFormatError(`model ${model.version} columns differ from feature set ${this.set.name} v${this.set.version}`, 'feature-set');
    }
    if (this.forest.nFeatures !== this.set.columns.length) {
      throw new ModelFormatError(
        `model ${model.version} has ${this.forest.nFeatures} forest features but feature set ${this.set.name} has ${this.set.columns.length}`,
        'feature-set',
      );
    }
    this.version = model.version;
    this.threshold = model.threshold;
    this.guard = (model.novelty?.constant ?? []).filter(([j]) => j < this.set.columns.length);
    this.guardFloor = noveltyScore(this.forest.toArrays().averagePathLengthMaxSamples);
    this.vocab = {
      total: model.vocabulary.total,
      templates: new Map(model.vocabulary.templates),
      components: new Map(model.vocabulary.components),
    };
  }

  /** Join, parse, featurise and score; the raw material for verdicts and evaluation. */
  scoreBatch(records: LogRecord[], opts: ScoreOptions = {}): ScoredBatch {
    const ctx: ParseContext = { ...opts.parse, receivedAt: opts.receivedAt ?? opts.parse?.receivedAt ?? Date.now() };
    const f = featurize(parseRecords(records, ctx, opts.join ?? true), this.set, this.vocab, this.lookup, this.history);
    const scores = this.forest.anomalyScore(f.X, f.nRows);
    if (this.history === undefined || f.history === undefined) {
      return { ...f, scores, novel: applyGuard(this.guard, f.X, f.nRows, f.nCols, scores, this.guardFloor) };
    }
    // Graded novelty (graded.ts): novel rows are ranked in the band above the guard floor, the
    // others keep their forest score (ties ranked by familiarity).
    const novel = applyGuard(this.guard, f.X, f.nRows, f.nCols, scores, -Infinity);
    gradeScores(
      { events: f.events, signatures: f.signatures, templateIds: f.templateIds, templates: f.templates, traits: this.traits, history: f.history, model: this.history, novel },
      scores,
      this.guardFloor,
    );
    return { ...f, scores, novel };
  }

  /** One verdict per event (stack-trace lines are joined to their event first). */
  score(records: LogRecord[], opts: ScoreOptions = {}): Verdict[] {
    const receivedAt = opts.receivedAt ?? Date.now();
    const b = this.scoreBatch(records, { ...opts, receivedAt });
    const explain = opts.explain ?? 'anomalies';
    const top = opts.explainTop ?? 3;
    const out = new Array<Verdict>(b.nRows);
    for (let i = 0; i < b.nRows; i++) {
      const rec = b.records[i] as LogRecord;
      const ev = b.events[i]!;
      const score = b.scores[i] as number;
      const isAnomaly = score > this.threshold;
      const ts = Number.isFinite(ev.ts) ? ev.ts : (rec.ts ?? receivedAt);
      const v: Verdict = {
        // A time no Date can hold (|ms| > 8.64e15, e.g. a job's ts: 1e300) must not fail the batch.
        timestamp: this.iso.format(Math.abs(ts) <= 8.64e15 ? ts : receivedAt),
        log: rec.line,
        anomaly_score: score,
        is_anomaly: isAnomaly,
        threshold: this.threshold,
        model_version: this.version,
      };
      const host = rec.host ?? (ev.host || undefined);
      if (host !== undefined) v.host = host;
      if (rec.source !== undefined) v.source = rec.source;
      const tmpl = b.templates[i];
      if (tmpl !== undefined) {
        v.template = tmpl;
        v.template_id = b.templateIds[i] as string;
      }
      v.level = ev.level === '' ? null : ev.level;
      v.signature = b.signatures[i] as string;
      if (b.history) v.familiarity = this.familiarity(b, i);
      if (explain === 'all' || (explain === 'anomalies' && isAnomaly)) {
        v.explanation = b.novel?.[i] ? this.explainNovel(b.X, i, top) : this.explainRow(b.X, i, top);
      }
      out[i] = v;
    }
    return out;
  }

  /** The verdict's `familiarity`: what the model's history says about row `i`. */
  familiarity(b: Featurized, i: number): Familiarity {
    const h = b.history as Float64Array;
    const o = i * HISTORY_STRIDE;
    const sigCount = h[o + 1] as number;
    let kind = h[o + 3] as number;
    let entity: string | undefined;
    const ev = b.events[i]!;
    const rec = b.records[i]!;
    const values = [rec.host || ev.host, rec.source ?? '', ev.component];
    if (kind === -2) kind = values.findIndex((x) => x !== ''); // a new entity: name the first
    if (kind >= 0) entity = `${ENTITY_KINDS[kind]}=${values[kind]}`;
    return {
      signature: b.signatures[i] as string,
      seen_in_training: sigCount > 0,
      template_count: h[o] as number,
      signature_count: sigCount,
      ...(entity !== undefined ? { entity } : {}),
    };
  }

  /** Columns constant in training that row `i` differs on, sharing the explanation equally. */
  explainNovel(X: Float64Array, i: number, top = 3): Contribution[] {
    const d = this.set.columns.length;
    const hit = this.guard.filter(([j, v]) => X[i * d + j] !== v).slice(0, top);
    return hit.map(([j]) => ({ feature: this.set.columns[j] as string, value: X[i * d + j] as number, contribution: 1 / hit.length }));
  }

  /** Features that isolated row `i` fastest, with their values and shares. */
  explainRow(X: Float64Array, i: number, top = 3): Contribution[] {
    const d = this.set.columns.length;
    const weights = this.forest.explain(X, i * d);
    const idx = Array.from({ length: d }, (_, k) => k).sort((a, b) => (weights[b] as number) - (weights[a] as number));
    return idx.slice(0, top).map((k) => ({
      feature: this.set.columns[k] as string,
      value: X[i * d + k] as number,
      contribution: weights[k] as number,
    }));
  }
}
