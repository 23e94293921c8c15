/**
 * One outbox entry (a batch's alerts) → one HTTP request, in the receiver's format:
 *
 * - `json`: the shape the webhook always had, `{batchId, receivedAt, scoredAt, model_version,
 *   anomalies: [...]}`, each anomaly gaining `anomaly_id`, `suppressed` and `console_url`.
 * - `alertmanager`: Alertmanager's API v2 (`POST /api/v2/alerts`, an array of alerts), labels
 *   `alertname, host, source, signature, severity` (routing and grouping keys), annotations with
 *   the event text, the console link, the score and the suppressed count.
 * - `slack`: a Slack incoming-webhook message, `text` (the notification line) plus `blocks`.
 */
import type { AnomalyDocument } from '../redis-stream/anomalies.ts';
import { alertSignature, eventLevel, severityOf, type AlertVerdict } from './alert-key.ts';
import type { OutboxAlert, OutboxEntry } from './outbox.ts';

export const ALERT_FORMATS = ['json', 'alertmanager', 'slack'] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

/** `alertname` label of every Alertmanager alert. */
export const ALERT_NAME = 'LogforestAnomaly';

export interface FormatOptions {
  /** ALERT_WEBHOOK_URL: the JSON receiver, the Alertmanager base URL, or the Slack webhook. */
  url: string;
  /** Public base URL of the web console (CONSOLE_URL); no links when unset. */
  consoleUrl?: string | undefined;
  /** Alertmanager `endsAt` = delivery time + this (an anomaly is an event, not a state), ms. */
  resolveAfterMs: number;
  /** Clock, epoch ms. */
  now: number;
}

export interface AlertRequest {
  url: string;
  body: string;
}

/** Longest event text carried in an annotation or a Slack block. */
const MAX_TEXT = 2800;
/** Most alerts detailed in one Slack message (2 blocks each; Slack allows 50 blocks). */
const SLACK_MAX_ALERTS = 20;

/** `s` without its trailing slashes (a loop, not /\/+$/, which backtracks quadratically on many slashes). */
function trimSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 47) end--;
  return s.slice(0, end);
}

/** Link to one anomaly in the console, or undefined without CONSOLE_URL. */
export function consoleLink(consoleUrl: string | undefined, a: OutboxAlert): string | undefined {
  if (!consoleUrl) return undefined;
  const base = trimSlashes(consoleUrl);
  return a.anomalyId ? `${base}/ui/#/anomalies/${encodeURIComponent(a.anomalyId)}` : `${base}/ui/`;
}

/** Alertmanager's alerts endpoint for a base URL (kept as is when it already names it). */
export function alertmanagerEndpoint(url: string): string {
  const u = new URL(url);
  if (!/\/api\/v2\/alerts\/?$/.test(u.pathname)) u.pathname = `${trimSlashes(u.pathname)}/api/v2/alerts`;
  return u.toString();
}

function clip(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function explanationText(doc: AnomalyDocument): string {
  return (doc.explanation ?? [])
    .slice(0, 3)
    .map((c) => `${c.feature}=${Number(c.value.toPrecision(4))}`)
    .join(', ');
}

function familiarityText(v: AlertVerdict): string {
  const f = v.familiarity;
  if (!f) return '';
  const parts: string[] = [];
  if (f.seen_in_training === false) parts.push('never seen in training');
  if (typeof f.signature_count === 'number') parts.push(`signature seen ${f.signature_count}× in training`);
  if (f.entity) parts.push(`on ${f.entity}`);
  return parts.join(', ');
}

interface Described {
  doc: AnomalyDocument;
  verdict: AlertVerdict;
  signature: string;
  level: string;
  severity: ReturnType<typeof severityOf>;
  link: string | undefined;
  alert: OutboxAlert;
}

function describe(a: OutboxAlert, consoleUrl: string | undefined): Described {
  const verdict = a.anomaly as AlertVerdict;
  const level = eventLevel(verdict);
  return { doc: a.anomaly, verdict, signature: alertSignature(verdict), level, severity: severityOf(level), link: consoleLink(consoleUrl, a), alert: a };
}

function jsonBody(entry: OutboxEntry, o: FormatOptions): unknown {
  return {
    ...entry.header,
    anomalies: entry.alerts.map((a) => ({ ...a.anomaly, anomaly_id: a.anomalyId, suppressed: a.suppressed, ...(o.consoleUrl ? { console_url: consoleLink(o.consoleUrl, a) } : {}) })),
  };
}

function alertmanagerBody(entry: OutboxEntry, o: FormatOptions): unknown {
  const endsAt = new Date(o.now + o.resolveAfterMs).toISOString();
  return entry.alerts.map((a) => {
    const d = describe(a, o.consoleUrl);
    const labels: Record<string, string> = { alertname: ALERT_NAME, severity: d.severity, signature: d.signature };
    if (d.doc.host) labels['host'] = d.doc.host;
    if (d.doc.source) labels['source'] = d.doc.source;
    const annotations: Record<string, string> = {
      summary: `Unusual ${d.level || 'log'} event${d.doc.host ? ` on ${d.doc.host}` : ''}: ${d.signature}`,
      description: clip(d.doc.log),
      score: d.doc.anomaly_score.toFixed(3),
      threshold: d.doc.threshold.toFixed(3),
      model_version: d.doc.model_version,
      suppressed: String(a.suppressed),
      event_time: d.doc.timestamp,
    };
    if (d.doc.template) annotations['template'] = clip(d.doc.template, 500);
    const why = explanationText(d.doc);
    if (why) annotations['explanation'] = why;
    const fam = familiarityText(d.verdict);
    if (fam) annotations['familiarity'] = fam;
    if (d.link) annotations['console_url'] = d.link;
    const startsAt = new Date(Math.min(d.doc.scoredAt, o.now)).toISOString();
    return { labels, annotations, startsAt, endsAt, ...(d.link ? { generatorURL: d.link } : {}) };
  });
}

/** Slack mrkdwn needs &, < and > escaped. */
function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function slackBody(entry: OutboxEntry, o: FormatOptions): unknown {
  const described = entry.alerts.map((a) => describe(a, o.consoleUrl));
  const first = described[0];
  const more = described.length > 1 ? ` (+${described.length - 1} more)` : '';
  const text = first
    ? `logforest: unusual ${first.level || 'log'} event${first.doc.host ? ` on ${first.doc.host}` : ''}: ${first.signature}${more}`
    : 'logforest: no alerts';
  const blocks: unknown[] = [];
  for (const d of described.slice(0, SLACK_MAX_ALERTS)) {
    const head = `*${slackEscape(d.signature)}*  ${d.severity}${d.doc.host ? ` · host \`${slackEscape(d.doc.host)}\`` : ''}${d.doc.source ? ` · source \`${slackEscape(d.doc.source)}\`` : ''}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`${head}\n\`\`\`${slackEscape(clip(d.doc.log, 2500))}\`\`\``) } });
    const context = [`score ${d.doc.anomaly_score.toFixed(3)} (threshold ${d.doc.threshold.toFixed(3)})`, `model ${d.doc.model_version}`];
    if (d.alert.suppressed > 0) context.push(`${d.alert.suppressed} similar suppressed`);
    const fam = familiarityText(d.verdict);
    if (fam) context.push(fam);
    if (d.link) context.push(`<${d.link}|open in console>`);
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(context.join(' · ')) }] });
  }
  if (described.length > SLACK_MAX_ALERTS) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${described.length - SLACK_MAX_ALERTS} more anomalies in batch ${entry.header.batchId}` }] });
  }
  return { text, blocks };
}

/** The request that delivers `entry` in `format`. */
export function buildAlertRequest(format: AlertFormat, entry: OutboxEntry, o: FormatOptions): AlertRequest {
  switch (format) {
    case 'alertmanager':
      return { url: alertmanagerEndpoint(o.url), body: JSON.stringify(alertmanagerBody(entry, o)) };
    case 'slack':
      return { url: o.url, body: JSON.stringify(slackBody(entry, o)) };
    default:
      return { url: o.url, body: JSON.stringify(jsonBody(entry, o)) };
  }
}
