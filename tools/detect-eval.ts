/**
 * Issue 8's detection targets, measured the way the issue states them:
 *   - BGL_2k: trained and scored on the file itself (label token stripped, one event per line);
 *   - each real JBoss day split in time: the first 60% of its events train, the rest test; an
 *     ERROR/FATAL/SEVERE test event is labelled novel when its signature never occurred in training.
 * Prints ROC-AUC, PR-AUC, best F1, precision at 1% flagged, the ties among flagged events, and for
 * JBoss the "flag every ERROR" baseline beside the model.
 *   pnpm exec tsx tools/detect-eval.ts [../shared/data] [seed|default]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  averagePrecision, decodeLogBytes, maskedSignature, fileDateFromName, joinRecords, rocAuc, Scorer, signatureOf, splitLines, trainModel,
  type FeatureSetName, type LogRecord, type ParsedEvent,
} from '@logforest/core';

const data = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'data');
const set = (process.argv[3] ?? 'default') as FeatureSetName;
const f3 = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));
const ERRORS = new Set(['ERROR', 'FATAL', 'SEVERE']);

function order(s: ArrayLike<number>): number[] {
  return Array.from({ length: s.length }, (_, i) => i).sort((a, b) => (s[b] as number) - (s[a] as number) || a - b);
}

/** Best F1 over every threshold (ties form one threshold). */
function bestF1(s: ArrayLike<number>, y: ArrayLike<number>): number {
  const idx = order(s);
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] ? 1 : 0;
  let tp = 0, best = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && s[idx[j] as number] === s[idx[i] as number]) tp += y[idx[j++] as number] ? 1 : 0;
    best = Math.max(best, (2 * tp) / (j + pos));
    i = j;
  }
  return best;
}

/** Precision and recall among the top `share` of events (whole tie blocks at the cut count, pessimistically). */
function atShare(s: ArrayLike<number>, y: ArrayLike<number>, share: number): { precision: number; recall: number; k: number } {
  const idx = order(s);
  const k = Math.max(1, Math.ceil(share * s.length));
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] ? 1 : 0;
  const cut = s[idx[k - 1] as number] as number;
  let tp = 0, n = 0;
  for (const i of idx) {
    if ((s[i] as number) < cut) break;
    n++;
    tp += y[i] ? 1 : 0;
  }
  return { precision: tp / n, recall: pos ? tp / pos : 0, k: n };
}

/** Share of flagged events whose score equals another flagged event's score. */
function tieShare(s: ArrayLike<number>, flagged: boolean[]): { flagged: number; tied: number } {
  const count = new Map<number, number>();
  for (let i = 0; i < s.length; i++) if (flagged[i]) count.set(s[i] as number, (count.get(s[i] as number) ?? 0) + 1);
  let tied = 0, n = 0;
  for (const c of count.values()) {
    n += c;
    if (c > 1) tied += c;
  }
  return { flagged: n, tied };
}

/** Precision of the model at the recall of a baseline flagging `base` (the smallest top-k reaching that recall). */
function precisionAtRecall(s: ArrayLike<number>, y: ArrayLike<number>, recall: number): number {
  const idx = order(s);
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] ? 1 : 0;
  const need = Math.ceil(recall * pos - 1e-9);
  let tp = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && s[idx[j] as number] === s[idx[i] as number]) tp += y[idx[j++] as number] ? 1 : 0;
    if (tp >= need) return tp / j;
    i = j;
  }
  return tp / idx.length;
}

function bgl(): void {
  const lines = splitLines(readFileSync(join(data, 'loghub/BGL_2k.log'), 'utf8')).filter((l) => l !== '');
  const y = Uint8Array.from(lines, (l) => (l.startsWith('- ') ? 0 : 1));
  const records: LogRecord[] = lines.map((l) => ({ line: l.slice(l.indexOf(' ') + 1) }));
  const model = trainModel(records, { featureSet: set, join: false, now: 0 });
  const scorer = new Scorer(model);
  const b = scorer.scoreBatch(records, { join: false, receivedAt: 0 });
  const flags = Array.from(b.scores, (x) => x > scorer.threshold);
  const top = atShare(b.scores, y, 0.01);
  const t = tieShare(b.scores, flags);
  const fatal = Float64Array.from(b.events, (e) => (e.level === 'FATAL' ? 1 : 0));
  console.log(`BGL_2k ${set}: ROC-AUC ${f3(rocAuc(b.scores, y))}  PR-AUC ${f3(averagePrecision(b.scores, y))}  ` +
    `best F1 ${f3(bestF1(b.scores, y))}  precision@1% ${f3(top.precision)} (${top.k} events)  ` +
    `ties ${t.tied}/${t.flagged} flagged  | FATAL rule F1 ${f3(bestF1(fatal, y))}`);
}

function jboss(file: string): void {
  const path = join(data, 'jboss', file);
  const lines = splitLines(decodeLogBytes(readFileSync(path)));
  const fileDate = fileDateFromName(basename(path));
  const parse = { receivedAt: 0, ...(fileDate !== undefined ? { fileDate } : {}) };
  const events = joinRecords(lines.map((line) => ({ line })));
  const cut = Math.floor(events.length * 0.6);
  const trainSet = events.slice(0, cut), testSet = events.slice(cut);
  const model = trainModel(trainSet, { featureSet: set, join: false, parse, now: 0 });
  const scorer = new Scorer(model);
  const trainB = scorer.scoreBatch(trainSet, { join: false, parse });
  const sig = (e: ParsedEvent, text: string) => signatureOf(e, text, maskedSignature(e.component, e.message));
  const seen = new Set(trainB.events.map((e, i) => sig(e, trainB.records[i]!.line)));
  const b = scorer.scoreBatch(testSet, { join: false, parse });
  const isErr = b.events.map((e: ParsedEvent) => ERRORS.has(e.level));
  const y = Uint8Array.from(b.events, (e, i) => (isErr[i] && !seen.has(sig(e, b.records[i]!.line)) ? 1 : 0));
  const novel = y.reduce((a, v) => a + v, 0);
  const errors = isErr.filter(Boolean).length;
  const flags = Array.from(b.scores, (x) => x > scorer.threshold);
  const t = tieShare(b.scores, flags);
  const errIdx = isErr.flatMap((e, i) => (e ? [i] : []));
  const within = rocAuc(errIdx.map((i) => b.scores[i] as number), errIdx.map((i) => y[i] as number));
  const baseP = errors ? novel / errors : 0;
  console.log(`${file} ${set}: train ${cut} / test ${b.nRows} events, ${errors} errors, ${novel} novel | ` +
    `ROC-AUC ${f3(rocAuc(b.scores, y))} PR-AUC ${f3(averagePrecision(b.scores, y))} within-errors ROC-AUC ${f3(within)} | ` +
    `precision at recall 1: model ${f3(novel ? precisionAtRecall(b.scores, y, 1) : NaN)} vs every-ERROR ${f3(baseP)} | ` +
    `ties ${t.tied}/${t.flagged} flagged`);
}

bgl();
for (const file of readdirSync(join(data, 'jboss')).filter((n) => n.includes('server.log')).sort()) jboss(file);
