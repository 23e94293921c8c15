/**
 * Records → events → feature rows, the part training and scoring share.
 * One pass per batch: join multi-line events, parse, match templates, fill one
 * row-major Float64Array. Per-event work allocates only the parsed event itself.
 */
import type { FeatureSet } from '../features/sets.ts';
import type { Vocabulary } from '../features/vocabulary.ts';
import { emptyCounts, type EventKeys, type History } from '../history/history.ts';
import { joinRecords, parseEvent, type ParseContext } from '../parse/index.ts';
import { maskedSignature, signatureOf } from '../signature/index.ts';
import type { LogRecord, ParsedEvent } from '../types.ts';

/** Values per row in Featurized.history: templateCount, signatureCount, entityRarity, entity, entityCount, entitySignatureCount. */
export const HISTORY_STRIDE = 6;

export interface TemplateLookup {
  (message: string): { id: string; template: string } | undefined;
}

export interface Featurized {
  /** Joined records, one per event (stack traces merged into their event). */
  records: LogRecord[];
  events: ParsedEvent[];
  templateIds: (string | undefined)[];
  templates: (string | undefined)[];
  /** Signature per event (message code, else exception class + root cause, else `tpl:<template id>`). */
  signatures: string[];
  /** Per event HISTORY_STRIDE familiarity values from the model's history; undefined when it has none. */
  history: Float64Array | undefined;
  /** Row-major matrix: events.length × set.columns.length. */
  X: Float64Array;
  nRows: number;
  nCols: number;
}

/** Join multi-line events (unless `join` is false: one event per record, e.g. for per-line labels) and parse them. */
export function parseRecords(records: LogRecord[], ctx: ParseContext = {}, join = true): { records: LogRecord[]; events: ParsedEvent[] } {
  const joined = join ? joinRecords(records) : records;
  const events = new Array<ParsedEvent>(joined.length);
  for (let i = 0; i < joined.length; i++) events[i] = parseEvent(joined[i] as LogRecord, ctx);
  return { records: joined, events };
}

export function featurize(
  parsed: { records: LogRecord[]; events: ParsedEvent[] },
  set: FeatureSet,
  vocab: Vocabulary,
  lookup: TemplateLookup | undefined,
  history?: History,
): Featurized {
  const { records, events } = parsed;
  const n = events.length;
  const d = set.columns.length;
  const X = new Float64Array(n * d);
  const templateIds = new Array<string | undefined>(n);
  const templates = new Array<string | undefined>(n);
  const signatures = new Array<string>(n);
  const hist = history && set.usesHistory ? new Float64Array(n * HISTORY_STRIDE) : undefined;
  const fam = emptyCounts();
  const keys: EventKeys = { template: '', signature: '', host: '', source: '', category: '' };
  for (let i = 0; i < n; i++) {
    const ev = events[i] as ParsedEvent;
    const rec = records[i] as LogRecord;
    const m = lookup && set.usesTemplates ? lookup(ev.message) : undefined;
    templateIds[i] = m?.id;
    templates[i] = m?.template;
    const sig = signatureOf(ev, rec.line, m === undefined ? '' : `tpl:${m.id}`) || fallbackSignature(ev, set);
    signatures[i] = sig;
    if (hist && history) {
      eventKeys(ev, rec, m?.id, sig, keys);
      history.lookup(keys, fam);
      const h = i * HISTORY_STRIDE;
      hist[h] = fam.templateCount;
      hist[h + 1] = fam.signatureCount;
      hist[h + 2] = fam.entityRarity;
      hist[h + 3] = fam.entity;
      hist[h + 4] = fam.entityCount;
      hist[h + 5] = fam.entitySignatureCount;
      set.extract(ev, m?.id, vocab, X, i * d, fam);
    } else set.extract(ev, m?.id, vocab, X, i * d, undefined);
  }
  return { records, events, templateIds, templates, signatures, history: hist, X, nRows: n, nCols: d };
}

/**
 * Signature of an event with neither a code, an exception nor a known template (a template the
 * model never saw, or a set without templates): `category|masked text` (signature/). Rare on the
 * hot path: every training event has a template.
 */
function fallbackSignature(ev: ParsedEvent, set: FeatureSet): string {
  return set.usesTemplates ? maskedSignature(ev.component, ev.message) : '';
}

/** The keys an event is counted under in a History (host from the record or the line). */
export function eventKeys(ev: ParsedEvent, rec: LogRecord, templateId: string | undefined, signature: string, out: EventKeys): EventKeys {
  out.template = templateId ?? '';
  out.signature = signature;
  out.host = typeof rec.host === 'string' && rec.host !== '' ? rec.host : ev.host;
  out.source = typeof rec.source === 'string' ? rec.source : '';
  out.category = ev.component;
  return out;
}
