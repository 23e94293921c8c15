/**
 * Records → events → feature rows, the part training and scoring share.
 * One pass per batch: join multi-line events, parse, match templates, fill one
 * row-major Float64Array. Per-event work allocates only the parsed event itself.
 */
import type { FeatureSet } from '../features/sets.ts';
import type { Vocabulary } from '../features/vocabulary.ts';
import { joinRecords, parseEvent, type ParseContext } from '../parse/index.ts';
import type { LogRecord, ParsedEvent } from '../types.ts';

export interface TemplateLookup {
  (message: string): { id: string; template: string } | undefined;
}

export interface Featurized {
  /** Joined records, one per event (stack traces merged into their event). */
  records: LogRecord[];
  events: ParsedEvent[];
  templateIds: (string | undefined)[];
  templates: (string | undefined)[];
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
): Featurized {
  const { records, events } = parsed;
  const n = events.length;
  const d = set.columns.length;
  const X = new Float64Array(n * d);
  const templateIds = new Array<string | undefined>(n);
  const templates = new Array<string | undefined>(n);
  for (let i = 0; i < n; i++) {
    const ev = events[i] as ParsedEvent;
    const m = lookup && set.usesTemplates ? lookup(ev.message) : undefined;
    templateIds[i] = m?.id;
    templates[i] = m?.template;
    set.extract(ev, m?.id, vocab, X, i * d);
  }
  return { records, events, templateIds, templates, X, nRows: n, nCols: d };
}
