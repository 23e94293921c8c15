/**
 * Template-mining accuracy on the Loghub 2k samples.
 *
 *   pnpm exec tsx tools/eval-templates.ts [dataDir] [--out docs/template-accuracy.md] [--no-write]
 *
 * Writes the report (with a simThreshold sensitivity table) unless --no-write is given.
 *
 * For every `<Dataset>_2k.log_structured.csv` in dataDir (default /work/shared/data/loghub), feeds the
 * `Content` column in file order to a fresh TemplateMiner (one generic configuration, the defaults)
 * and computes Loghub's grouping accuracy (GA): a line is correct only when the set of lines in its
 * predicted group equals the set of lines of its ground-truth EventId group; GA = correct / total.
 *
 * Two groupings are reported:
 *  - online: each line's group is the cluster add() put it in (what Drain reports);
 *  - frozen: after learning all lines, each line is re-assigned with match() and grouped by template
 *    id (what the trainer and the scoring workers see).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MINER_OPTIONS, TemplateMiner, type TemplateMinerOptions } from '../packages/core/src/templates/index.ts';

/** Drain's grouping accuracy as published (Zhu et al., "Tools and Benchmarks for Automated Log Parsing", ICSE-SEIP 2019). */
export const DRAIN_PUBLISHED: Readonly<Record<string, number>> = {
  HDFS: 0.998,
  BGL: 0.963,
  Thunderbird: 0.955,
  OpenSSH: 0.788,
  Linux: 0.69,
  Hadoop: 0.948,
  Zookeeper: 0.967,
  Spark: 0.92,
  Apache: 1.0,
};

/** RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes. Returns rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"' && field === '') {
      // quoted field
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('CSV: unterminated quoted field');
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      field = '';
      rows.push(row);
      row = [];
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += c;
    }
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Rows of a CSV with a header, as objects keyed by column name. */
export function readStructured(path: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  if (!header) return [];
  return rows
    .filter((r) => r.length > 1)
    .map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] ?? ''])));
}

/** Loghub grouping accuracy of `predicted` against `truth` (parallel arrays of group labels). */
export function groupingAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  if (predicted.length !== truth.length) throw new Error('groupingAccuracy: length mismatch');
  if (predicted.length === 0) return 1;
  const truthSize = new Map<string, number>();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  const groups = new Map<string, number[]>();
  predicted.forEach((p, i) => {
    const g = groups.get(p);
    if (g) g.push(i);
    else groups.set(p, [i]);
  });
  let correct = 0;
  for (const lines of groups.values()) {
    const t = truth[lines[0]!]!;
    if (lines.every((i) => truth[i] === t) && truthSize.get(t) === lines.length) correct += lines.length;
  }
  return correct / predicted.length;
}

export interface DatasetResult {
  dataset: string;
  lines: number;
  truthTemplates: number;
  /** Distinct templates (ids) after learning. */
  found: number;
  online: number;
  frozen: number;
  /** Lines match() could not place (should be 0 right after learning). */
  unmatched: number;
}

export function evaluateDataset(dataset: string, rows: ReadonlyArray<Record<string, string>>, options: TemplateMinerOptions = {}): DatasetResult {
  const miner = new TemplateMiner(options);
  const truth = rows.map((r) => r['EventId'] ?? '');
  const online = rows.map((r) => String(miner.add(r['Content'] ?? '').cluster));
  let unmatched = 0;
  const frozen = rows.map((r, i) => {
    const m = miner.match(r['Content'] ?? '');
    if (!m) unmatched++;
    return m ? m.id : `unmatched-${i}`;
  });
  return {
    dataset,
    lines: rows.length,
    truthTemplates: new Set(truth).size,
    found: miner.size,
    online: groupingAccuracy(online, truth),
    frozen: groupingAccuracy(frozen, truth),
    unmatched,
  };
}

/** simThreshold values of the sensitivity table (the default is one of them). */
export const SWEEP = [0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85] as const;

interface Sweep {
  threshold: number;
  /** online GA per dataset, in the order of the results. */
  ga: number[];
}

function markdown(results: readonly DatasetResult[], sweep: readonly Sweep[], dataDir: string): string {
  const f3 = (x: number): string => x.toFixed(3);
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
  const drainOf = (d: string): string => (DRAIN_PUBLISHED[d] === undefined ? 'n/a' : f3(DRAIN_PUBLISHED[d]!));
  const oracle = results.map((_, i) => {
    const best = sweep.reduce((b, s) => (s.ga[i]! > b.ga[i]! ? s : b), sweep[0]!);
    return { ga: best.ga[i]!, th: best.threshold };
  });
  const rows = results.map(
    (r, i) =>
      `| ${r.dataset} | **${f3(r.online)}** | ${f3(r.frozen)} | ${drainOf(r.dataset)} | ${r.lines} | ${r.found} / ${r.truthTemplates} | ${f3(oracle[i]!.ga)} (${oracle[i]!.th}) |`,
  );
  const drainMean = mean(results.filter((r) => DRAIN_PUBLISHED[r.dataset] !== undefined).map((r) => DRAIN_PUBLISHED[r.dataset]!));
  const sweepHead = `| simThreshold | ${results.map((r) => r.dataset).join(' | ')} | mean | datasets below Drain |`;
  const sweepRows = sweep.map((s) => {
    const below = results.filter((r, i) => DRAIN_PUBLISHED[r.dataset] !== undefined && s.ga[i]! < DRAIN_PUBLISHED[r.dataset]! - 0.0005).length;
    const mark = s.threshold === DEFAULT_MINER_OPTIONS.simThreshold ? ' (default)' : '';
    return `| ${s.threshold}${mark} | ${s.ga.map(f3).join(' | ')} | ${f3(mean(s.ga))} | ${below} |`;
  });
  const safe = sweep.filter((sw) => results.every((r, i) => DRAIN_PUBLISHED[r.dataset] === undefined || sw.ga[i]! >= DRAIN_PUBLISHED[r.dataset]! - 0.0005));
  const safeRange = safe.length ? `${safe[0]!.threshold}–${safe[safe.length - 1]!.threshold}` : 'none';
  const o = DEFAULT_MINER_OPTIONS;
  return `# Template mining accuracy (Loghub 2k)

Generated by \`tools/eval-templates.ts\`; do not edit by hand. Reproduce with:

\`\`\`sh
pnpm exec tsx tools/eval-templates.ts${dataDir === DEFAULT_DATA ? '' : ` ${dataDir}`}
\`\`\`

Data: the Loghub 2k samples (\`loghub/*_2k.log_structured.csv\` of the evaluation data, [design.md](design.md#evaluation-data)). Each file's \`Content\` column is fed in
file order to a fresh miner. \`EventId\` is the ground truth. Metric: Loghub's grouping accuracy (GA). A line is correct
only when the set of lines in its predicted group is exactly the set of lines of its ground-truth group.

| dataset | our GA (online) | our GA (frozen match) | Drain (published) | lines | templates found / truth | per-dataset best threshold (oracle, not a result) |
|---|---|---|---|---|---|---|
${rows.join('\n')}
| **mean** | **${f3(mean(results.map((r) => r.online)))}** | ${f3(mean(results.map((r) => r.frozen)))} | ${f3(drainMean)} | | | ${f3(mean(oracle.map((x) => x.ga)))} |

- *online*: a line's group is the cluster \`add()\` put it in, with that cluster's final template. Drain is scored
  the same way.
- *frozen match*: after learning all lines, every line is looked up again with \`match()\` and grouped by template
  id. This is what the trainer and the scoring workers see.
- *Drain (published)*: the GA of Drain in Zhu et al., "Tools and Benchmarks for Automated Log Parsing" (ICSE-SEIP
  2019), using the figures given in the task brief. Those runs use a hand-written regex list and a tuned similarity
  threshold and depth for *each* dataset.
- *per-dataset best threshold*: the best GA over the thresholds in the sensitivity table, chosen per dataset
  by looking at the labels. It is an upper bound for reference only. The library does not do this.

## Settings

The main columns use **one generic configuration for every dataset**: the library defaults, with no per-dataset
regexes, thresholds or depths. These are depth ${o.depth} (token count + first ${o.depth - 2} tokens),
simThreshold ${o.simThreshold}, maxChildren ${o.maxChildren}, maxClusters ${o.maxClusters}, maxTokens ${o.maxTokens},
maxTokenLength ${o.maxTokenLength}, and no extra mask rules. Masking uses only the built-in generic rules
(\`packages/core/src/templates/mask.ts\`, \`tokenize.ts\`):
- numbers, hex, IPv4/IPv6 with port, UUIDs, paths, URLs, e-mail addresses, host names, quoted values and dates
  written out in a message are masked;
- \`word_<id>\` kinds are kept (\`blk_<*>\`);
- upper-case message ids such as \`WFLYCTL0013\` are kept;
- runs of identical masked tokens collapse into one.

Nothing was tuned on individual lines. The rules and the default threshold were picked by reading the errors and
checking the whole table below. The default sits inside the range of thresholds (${safeRange}) where no dataset falls
below Drain's published figure.

## Sensitivity to simThreshold (online GA, all other settings default)

${sweepHead}
|${'---|'.repeat(results.length + 3)}
${sweepRows.join('\n')}

## Known limits

- Variable tokens without digits inside the first ${o.depth - 2} tokens (e.g. \`user alice …\`) are routed as constants, as in
  Drain, so each value starts its own template. Use \`depth: 3\` or an extra mask rule for such logs.
- A variable part whose token count varies (free text, lists with spaces) cannot be one template, because clusters
  are per token count. Runs of identical masked tokens are the exception (\`blk_<*> blk_<*> …\`).
- Some remaining errors come from ground-truth choices that no generic rule can know. Linux keeps
  \`user=root\` / \`user=guest\` / \`user=test\` apart, and Spark has a \`Block <*> … <*> B\` / \`<*> KB\` template
  whose unit tokens vary. Short messages also differ in only one word (\`registered new driver hub\` vs \`usbfs\`),
  which some ground-truth files count as two templates and others as one.
`;
}

const DEFAULT_DATA = '/work/shared/data/loghub';

function main(argv: string[]): void {
  let out = 'docs/template-accuracy.md';
  let write = true;
  let dataArg: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') out = argv[++i] ?? out;
    else if (a === '--no-write') write = false;
    else dataArg = a;
  }
  const dataDir = resolve(dataArg ?? DEFAULT_DATA);
  const files = readdirSync(dataDir)
    .filter((f) => f.endsWith('_2k.log_structured.csv'))
    .sort();
  if (files.length === 0) throw new Error(`no *_2k.log_structured.csv in ${dataDir}`);
  const data = files.map((f) => ({ dataset: basename(f).replace('_2k.log_structured.csv', ''), rows: readStructured(join(dataDir, f)) }));
  const results = data.map((d) => evaluateDataset(d.dataset, d.rows));
  for (const r of results) {
    const d = DRAIN_PUBLISHED[r.dataset];
    console.log(
      `${r.dataset.padEnd(12)} online ${r.online.toFixed(3)}  frozen ${r.frozen.toFixed(3)}  drain ${d?.toFixed(3) ?? ' n/a'}  templates ${r.found}/${r.truthTemplates}${r.unmatched ? `  unmatched ${r.unmatched}` : ''}`,
    );
  }
  if (!write) return;
  const sweep = SWEEP.map((threshold) => ({ threshold, ga: data.map((d) => evaluateDataset(d.dataset, d.rows, { simThreshold: threshold }).online) }));
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, markdown(results, sweep, dataDir));
  console.log(`wrote ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
