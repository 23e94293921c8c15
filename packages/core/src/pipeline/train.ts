/**
 * Fit a model on events: mine templates, count the vocabulary, build feature rows,
 * fit the Isolation Forest, and package it all as a ModelArtifact.
 */
import { featureSet, type FeatureSetName } from '../features/sets.ts';
import { capCounts, countInto, emptyVocabulary, MAX_COMPONENTS, type Vocabulary } from '../features/vocabulary.ts';
import { IsolationForest } from '../forest/index.ts';
import { History } from '../history/history.ts';
import { CountMinSketch } from '../history/sketch.ts';
import type { ModelArtifact } from '../model/artifact.ts';
import type { ParseContext } from '../parse/index.ts';
import { TemplateMiner } from '../templates/index.ts';
import type { LogRecord } from '../types.ts';
import { eventKeys, featurize, parseRecords } from './featurize.ts';
import { signatureOf } from '../signature/index.ts';
import { constantColumns, noveltyScore } from './novelty.ts';
import { gradeScores } from './graded.ts';
import { offsetFromContamination } from '../forest/offset.ts';
import { summarizeScores } from './summary.ts';

export interface TrainOptions {
  /** Version label stored in the artifact. @defaultValue 'local' */
  version?: string;
  /** Feature set. @defaultValue 'default' */
  featureSet?: FeatureSetName;
  /** Expected share of anomalies; sets the threshold as scikit-learn does. @defaultValue 0.01 */
  contamination?: number | 'auto';
  /** Seed of the forest. @defaultValue 42 */
  randomState?: number;
  /** Trees. @defaultValue 100 */
  nEstimators?: number;
  /** Fewest events a model is fitted on. @defaultValue 2 */
  minEvents?: number;
  /** Parse context (file date for time-only JBoss lines, receive time). */
  parse?: ParseContext;
  /** Record training-constant columns so events differing there are flagged (pipeline/novelty.ts). @defaultValue true */
  noveltyGuard?: boolean;
  /** Join stack-trace lines into their event. false = one event per record. @defaultValue true */
  join?: boolean;
  /**
   * Shape of the familiarity history's count-min sketch (feature sets that use history):
   * counters per row (power of two) and rows. Memory = width × depth × 4 bytes.
   * @defaultValue { width: 16384, depth: 4 }
   */
  history?: { width?: number; depth?: number };
  /** Clock for createdAt. @defaultValue Date.now() */
  now?: number;
}

export class TrainingError extends Error {
  override readonly name = 'TrainingError';
}

export function trainModel(input: LogRecord[], opts: TrainOptions = {}): ModelArtifact {
  const started = performance.now();
  const set = featureSet(opts.featureSet ?? 'default');
  const contamination = opts.contamination ?? 0.01;
  const parsed = parseRecords(input, opts.parse, opts.join ?? true);
  const n = parsed.events.length;
  if (n < (opts.minEvents ?? 2)) throw new TrainingError(`need at least ${opts.minEvents ?? 2} events to train, got ${n}`);

  // Templates: learn on every message, then freeze and re-match so every event carries
  // the final (most general) template id of its cluster.
  let miner: TemplateMiner | undefined;
  const vocab: Vocabulary = emptyVocabulary();
  vocab.total = n;
  if (set.usesTemplates) {
    miner = new TemplateMiner();
    for (const ev of parsed.events) miner.add(ev.message);
  }
  const lookup = miner ? (m: string) => miner.match(m) : undefined;
  const history = set.usesHistory ? new History(new CountMinSketch(opts.history?.width ?? 1 << 14, opts.history?.depth ?? 4)) : undefined;
  const keys = { template: '', signature: '', host: '', source: '', category: '' };
  for (let i = 0; i < n; i++) {
    const ev = parsed.events[i]!;
    countInto(vocab.components, ev.component);
    const t = lookup ? lookup(ev.message) : undefined;
    if (t) countInto(vocab.templates, t.id);
    if (history) {
      const rec = parsed.records[i]!;
      history.addWords(ev.message);
      history.add(eventKeys(ev, rec, t?.id, signatureOf(ev, rec.line, t === undefined ? '' : `tpl:${t.id}`), keys));
    }
  }
  vocab.components = capCounts(vocab.components, MAX_COMPONENTS);

  const f = featurize(parsed, set, vocab, lookup, history);
  const forest = IsolationForest.fit(f.X, f.nRows, f.nCols, {
    contamination,
    randomState: opts.randomState ?? 42,
    nEstimators: opts.nEstimators ?? 100,
  });
  const scores = forest.anomalyScore(f.X, f.nRows);
  let threshold = -forest.offset;
  if (history && f.history) {
    // Scores of a model with history are graded (graded.ts): the threshold is the same percentile
    // of the graded training scores as scikit-learn's offset_ is of the forest's.
    const floor = noveltyScore(forest.toArrays().averagePathLengthMaxSamples);
    const grade = { events: f.events, signatures: f.signatures, templateIds: f.templateIds, templates: f.templates, traits: new Map(), history: f.history, model: history, novel: undefined };
    gradeScores(grade, scores, floor);
    if (contamination !== 'auto') threshold = -offsetFromContamination(scores.map((x) => -x), contamination);
  }

  // training.from/to (artifact.ts): event times from the events themselves; an event timed only
  // by the receive-time fallback (no time in its line, no ts on its record) does not count.
  const fallback = opts.parse?.receivedAt;
  let from = Infinity, to = -Infinity;
  for (let i = 0; i < n; i++) {
    const ts = parsed.events[i]!.ts;
    if (!Number.isFinite(ts) || (ts === fallback && parsed.records[i]!.ts === undefined)) continue;
    if (ts < from) from = ts;
    if (ts > to) to = ts;
  }
  return {
    format: 'logforest-model',
    version: opts.version ?? 'local',
    createdAt: new Date(opts.now ?? Date.now()).toISOString(),
    featureSet: { name: set.name, version: set.version, columns: [...set.columns] },
    contamination,
    threshold,
    miner: miner ? miner.toJSON() : null,
    vocabulary: {
      total: vocab.total,
      templates: [...vocab.templates],
      components: [...vocab.components],
    },
    novelty: { constant: opts.noveltyGuard === false ? [] : constantColumns(f.X, f.nRows, f.nCols) },
    ...(history ? { history: { kind: 'count-min' as const, ...history.sketch.toState() } } : {}),
    forest: forest.toArrays() as unknown as ModelArtifact['forest'],
    training: {
      events: n,
      ...(Number.isFinite(from) ? { from: new Date(from).toISOString(), to: new Date(to).toISOString() } : {}),
      fitMs: performance.now() - started,
      templates: vocab.templates.size,
      scores: summarizeScores(scores, threshold),
    },
  };
}
