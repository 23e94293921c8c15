/**
 * Feature sets: how a parsed event becomes a row of numbers for the forest.
 * Each set has a name and a version; a model records both, and a process refuses a
 * model whose set it does not know. Change a set's columns or semantics → bump its version.
 * The table of every feature is in ./README.md.
 */
import type { HistoryCounts } from '../history/history.ts';
import type { ParsedEvent } from '../types.ts';
import { rarity, type Vocabulary } from './vocabulary.ts';

export interface FeatureSet {
  readonly name: string;
  readonly version: number;
  readonly columns: readonly string[];
  /** Whether rows need template ids (the miner runs only when they do). */
  readonly usesTemplates: boolean;
  /** Whether rows read the model's history (template / signature / entity counts). */
  readonly usesHistory: boolean;
  /**
   * Write the event's row into `out` at `offset` (columns.length values). `fam` is the event's
   * familiarity from the model's history; undefined when the model has none (imported models).
   */
  extract(ev: ParsedEvent, templateId: string | undefined, vocab: Vocabulary, out: Float64Array, offset: number, fam: HistoryCounts | undefined): void;
}

const AUTH_FAILURE = /authentication failure/i;
const FAILED_PASSWORD = /failed password/i;
const KW_ERROR = /error|exception|fatal|severe|critical|panic|segfault|oops/i;
const KW_FAIL = /fail|denied|refused|invalid|unable|cannot|could not|illegal|not found|unknown/i;
const KW_NET = /timeout|timed out|unreachable|reset by peer|disconnect|broken pipe|break-in|address already in use/i;

/** Level names → severity 0..6. Unknown or missing levels count as INFO (2). */
const SEVERITY: Record<string, number> = {
  TRACE: 0, FINEST: 0, FINER: 0, FINE: 1, DEBUG: 1, CONFIG: 1,
  INFO: 2, NOTICE: 2, '': 2,
  WARN: 3, WARNING: 3,
  ERROR: 4, ERR: 4, SEVERE: 4,
  CRIT: 5, CRITICAL: 5, FATAL: 5, ALERT: 6, EMERG: 6, PANIC: 6,
};

export function severityScore(level: string): number {
  return SEVERITY[level] ?? 2;
}

/** Hour 0–23 of the wall clock as the log wrote it; -1 when the event has no time. */
function hourOf(wall: number): number {
  return Number.isFinite(wall) ? Math.floor((((wall / 3_600_000) % 24) + 24) % 24) : -1;
}

/** Day of week with 0 = Monday (pandas' convention, as the seed used); -1 when unknown. */
function dayOfWeekOf(wall: number): number {
  if (!Number.isFinite(wall)) return -1;
  const days = Math.floor(wall / 86_400_000);
  return (((days + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday (3 with Monday = 0)
}

/** The seed's five features, exactly: hour, dayofweek, pid, auth_failure, failed_password. */
export const seedFeatures: FeatureSet = {
  name: 'seed',
  version: 1,
  columns: ['hour', 'dayofweek', 'pid', 'auth_failure', 'failed_password'],
  usesTemplates: false,
  usesHistory: false,
  extract(ev, _t, _v, out, o) {
    const text = ev.message;
    out[o] = hourOf(ev.wall);
    out[o + 1] = dayOfWeekOf(ev.wall);
    out[o + 2] = ev.pid;
    out[o + 3] = AUTH_FAILURE.test(text) ? 1 : 0;
    out[o + 4] = FAILED_PASSWORD.test(text) ? 1 : 0;
  },
};

/**
 * The default set for JBoss/WildFly and syslog: severity, rarity, exceptions, shape, keywords,
 * and familiarity from the model's history (v2). v3: same columns; the scorer combines the forest
 * score with an incident prior (pipeline/prior.ts) and the model's threshold is set on that score.
 * No hour / dayofweek: on BGL_2k they lowered ROC-AUC from 0.895 to 0.858 (EVALUATION.md);
 * server logs run around the clock, so time of day mostly adds noise for isolation.
 */
export const defaultFeatures: FeatureSet = {
  name: 'default',
  version: 3,
  columns: [
    'level', 'template_rarity', 'component_rarity', 'stack_depth', 'exception',
    'msg_len', 'kw_error', 'kw_fail', 'kw_net', 'auth_failure', 'failed_password', 'unknown_format',
    'template_new', 'signature_new', 'level_unfamiliar', 'entity_rarity',
  ],
  usesTemplates: true,
  usesHistory: true,
  extract(ev, templateId, vocab, out, o, fam) {
    const text = ev.message;
    const total = vocab.total;
    out[o] = severityScore(ev.level);
    out[o + 1] = rarity(templateId === undefined ? 0 : (vocab.templates.get(templateId) ?? 0), total);
    out[o + 2] = rarity(vocab.components.get(ev.component) ?? 0, total);
    out[o + 3] = Math.log2(1 + ev.stackDepth + ev.causes);
    out[o + 4] = ev.exceptionClass !== '' || ev.causes > 0 ? 1 : 0;
    out[o + 5] = Math.log2(1 + text.length);
    out[o + 6] = KW_ERROR.test(text) ? 1 : 0;
    out[o + 7] = KW_FAIL.test(text) ? 1 : 0;
    out[o + 8] = KW_NET.test(text) ? 1 : 0;
    out[o + 9] = AUTH_FAILURE.test(text) ? 1 : 0;
    out[o + 10] = FAILED_PASSWORD.test(text) ? 1 : 0;
    out[o + 11] = ev.format === 'unknown' ? 1 : 0;
    if (fam === undefined || fam.total === 0) {
      out[o + 12] = out[o + 13] = out[o + 14] = out[o + 15] = 0;
      return;
    }
    out[o + 12] = fam.templateCount === 0 ? 1 : 0;
    out[o + 13] = fam.signatureCount === 0 ? 1 : 0;
    // Level × familiarity: a known WARN is not a new ERROR.
    out[o + 14] = Math.max(0, (out[o] as number) - 2) * (out[o + 13] as number);
    out[o + 15] = fam.entityRarity;
  },
};

/** Every feature set this build knows, by name. A model naming another set or version is refused. */
export const FEATURE_SETS: Readonly<Record<string, FeatureSet>> = {
  seed: seedFeatures,
  default: defaultFeatures,
};

export type FeatureSetName = 'seed' | 'default';

export function featureSet(name: string, version?: number): FeatureSet {
  const set = FEATURE_SETS[name];
  if (!set) throw new Error(`unknown feature set "${name}" (this build knows: ${Object.keys(FEATURE_SETS).join(', ')})`);
  if (version !== undefined && version !== set.version) {
    throw new Error(`feature set "${name}" version ${version} is not supported (this build has version ${set.version})`);
  }
  return set;
}

/** Proxy label as the seed defines it: 1 if auth_failure or failed_password. */
export function proxyLabel(message: string): 0 | 1 {
  return AUTH_FAILURE.test(message) || FAILED_PASSWORD.test(message) ? 1 : 0;
}
