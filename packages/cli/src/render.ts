/** Human-readable output: the anomaly table. */
import type { Verdict } from '@logforest/core';

const firstLine = (s: string): string => {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : `${s.slice(0, nl)} (+${s.split('\n').length - 1} lines)`;
};
const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function renderTable(verdicts: Array<Verdict & { line?: number }>, counts: { total: number; anomalies: number }): string {
  const head = `${counts.anomalies} anomalies in ${counts.total} events (threshold ${verdicts[0]?.threshold.toFixed(4) ?? '-'})\n`;
  if (verdicts.length === 0) return `${head}`;
  const rows = verdicts.map((v, i) => [
    String(i + 1),
    v.line === undefined ? '-' : String(v.line),
    v.anomaly_score.toFixed(4),
    v.timestamp.replace('T', ' ').replace('Z', ''),
    (v.explanation ?? []).map((e) => e.feature).join(','),
    clip(firstLine(v.log), 110),
  ]);
  const header = ['#', 'line', 'score', 'timestamp', 'why', 'log'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)));
  widths[5] = Math.min(widths[5] as number, 120);
  const fmt = (r: string[]) => r.map((x, c) => (c === 5 ? x : x.padEnd(widths[c] as number))).join('  ');
  return `${head}\n${fmt(header)}\n${rows.map(fmt).join('\n')}\n`;
}
