/**
 * Parsing throughput on real logs: decode → split → join → parseEvent, per stage and end to end.
 * Run: pnpm exec tsx bench/parse.ts [--ms=1500] [--data=DIR]
 * Reads ../shared/data, or DIR (JBoss server.log samples, Loghub OpenSSH/Linux/others, at the
 * paths listed below); skips missing files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ParseContext,
  decodeLogBytes,
  fileDateFromName,
  joinRecords,
  parseEvent,
  splitLines,
} from '../packages/core/src/parse/index.ts';
import type { LogRecord } from '../packages/core/src/types.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const dataArg = process.argv.find((a) => a.startsWith('--data='));
const data = dataArg ? resolve(dataArg.slice(7)) : [resolve(here, '../../shared/data'), '/work/shared/data'].find((d) => existsSync(d));
const msArg = process.argv.find((a) => a.startsWith('--ms='));
const budgetMs = msArg ? Number(msArg.slice(5)) : 1500;

const files = [
  'jboss/eap64_7uv_server.log.2016-04-24',
  'jboss/wildfly10_doureca_server.log.2017-05-23',
  'jboss/keycloak483_europeana_server.log.2020-05-26',
  'jboss/eap64ptbr_davidjeremias_server.log.2018-11-28',
  'loghub/OpenSSH_2k.log',
  'loghub/Linux_2k.log',
  'loghub/Hadoop_2k.log',
  'loghub/HDFS_2k.log',
  'loghub/BGL_2k.log',
];

/** CPU time (user + system) of this process so far, in ms: per-core cost, robust to other load on the machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Runs `fn` for about `budgetMs` after a warm-up and returns the best of 5 rounds, as CPU ms per
 * call (so rates are per core, as the pipeline target is stated).
 */
function time(fn: () => unknown): number {
  const warm = performance.now();
  let reps = 0;
  while (performance.now() - warm < budgetMs / 5) {
    fn();
    reps++;
  }
  const perRound = Math.max(1, Math.round(reps / 1.2));
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = cpuMs();
    for (let i = 0; i < perRound; i++) fn();
    best = Math.min(best, (cpuMs() - t0) / perRound);
  }
  return best;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

if (data === undefined) {
  console.log('no ../shared/data directory (or --data=DIR); nothing to measure');
  process.exit(0);
}

const rows: string[] = [];
let sink = 0;
for (const rel of files) {
  const path = join(data, rel);
  if (!existsSync(path)) continue;
  const bytes = new Uint8Array(readFileSync(path));
  const name = basename(path);
  const fd = fileDateFromName(name);
  const ctx: ParseContext = fd !== undefined ? { fileDate: fd } : { year: 2005 };
  const text = decodeLogBytes(bytes);
  const lines = splitLines(text);
  const recs: LogRecord[] = lines.map((line) => ({ line }));
  const events = joinRecords(recs);
  const n = lines.length;

  const tDecode = time(() => (sink += splitLines(decodeLogBytes(bytes)).length));
  const tJoin = time(() => (sink += joinRecords(lines.map((line) => ({ line }))).length));
  const tParse = time(() => {
    for (const e of events) sink += parseEvent(e, ctx).stackDepth;
  });
  const tAll = time(() => {
    const ls = splitLines(decodeLogBytes(bytes));
    for (const e of joinRecords(ls.map((line) => ({ line })))) sink += parseEvent(e, ctx).stackDepth;
  });
  rows.push(
    `| ${name} | ${fmt(n)} | ${fmt(events.length)} | ${(bytes.length / 1e6).toFixed(2)} | ${fmt((n / tDecode) * 1000)} | ${fmt((n / tJoin) * 1000)} | ${fmt((n / tParse) * 1000)} | ${fmt((n / tAll) * 1000)} | ${((bytes.length / 1e6 / tAll) * 1000).toFixed(0)} |`,
  );
}

console.log(
  `Node ${process.version}; best of 5 rounds, ~${budgetMs} ms each; rates are input lines per CPU-second (one core), parse = parseEvent over the joined events\n`,
);
console.log('| file | lines | events | MB | decode+split | join | parse | all four | MB/s all |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
if (sink === -1) console.log(sink);
