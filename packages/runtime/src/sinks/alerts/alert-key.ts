/**
 * What identifies an alert for dedup (signature and host) and how urgent it is (severity from
 * the event's level). Verdicts carry `level`, `signature` and `familiarity` once the detection
 * side adds them; until then (or for an older worker's verdict) the signature falls back to the
 * template id and the level to what the parser reads from the event's first line.
 */
import { levelSeverity, parseEvent, type Verdict } from '@logforest/core';

/** The verdict fields alerts read (`level`, `signature`, `familiarity` are optional on Verdict, so older verdicts still work). */
export type AlertVerdict = Verdict;

/** Alertmanager-style severities, most urgent first. */
export type Severity = 'critical' | 'error' | 'warning' | 'info';

/** Stands in for a missing host in the dedup key. */
const NO_HOST = '-';

/** The signature: the verdict's own, else `tpl:<template id>`, else `tpl:<template>`. */
export function alertSignature(v: AlertVerdict): string {
  if (typeof v.signature === 'string' && v.signature !== '') return v.signature;
  if (v.template_id) return `tpl:${v.template_id}`;
  if (v.template) return `tpl:${v.template}`;
  return 'unknown';
}

/** Dedup key: `signature|host`. */
export function alertKey(v: AlertVerdict): string {
  return `${alertSignature(v)}|${v.host || NO_HOST}`;
}

/** The event's level: the verdict's, else parsed from the first line of the event ('' if none). */
export function eventLevel(v: AlertVerdict): string {
  if (typeof v.level === 'string' && v.level !== '') return v.level.toUpperCase();
  const nl = v.log.indexOf('\n');
  const first = (nl < 0 ? v.log : v.log.slice(0, nl)).slice(0, 2000);
  try {
    return parseEvent(first).level;
  } catch {
    return '';
  }
}

/** FATAL/CRIT/ALERT/EMERG → critical, ERROR/SEVERE → error, WARN → warning, anything else → info. */
export function severityOf(level: string): Severity {
  const rank = levelSeverity(level);
  if (rank >= 0 && rank <= 2) return 'critical';
  if (rank === 3) return 'error';
  if (rank === 4) return 'warning';
  return 'info';
}
