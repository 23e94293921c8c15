/**
 * Adversarial lines: every parser (parseEvent after each format's header, with pathological
 * tails), joinRecords, decodeLogBytes/splitLines, the template miner (add and match), the
 * features/Scorer path, the body decoders, the bulk reply's filter_path and the Authorization
 * header parser stay linear: time at 4 MB / time at 1 MB ≤ 5 (quick: 1 MB / 256 KB). Every regexp
 * literal of the shipped code is screened for catastrophic backtracking with inputs built from its
 * own characters, and its worst family timed up to 4 MB.
 *
 *   tsx tools/faults/scenarios/adversarial.ts [--quick]
 */
import { probes } from '../fuzz/adversarial-probes.ts';
import { MAX_RATIO, NOISE_MS, time, verdict, type Timing } from '../fuzz/linearity.ts';
import { probeRegex, regexLiterals, type RegexResult } from '../fuzz/regex-probe.ts';
import { finish, flagValue, fmt, hasFlag, machine, table } from '../fuzz/report.ts';

const quick = hasFlag('quick');
/** `--only <regexp>`: probes whose "component / name" matches (for investigating one family). */
const only = new RegExp(flagValue('only', ''));
const MB = 1 << 20;
const sizes = quick ? [256 * 1024, MB] : [MB, 4 * MB];
const [small, large] = [sizes[0]! >= MB ? `${sizes[0]! / MB} MB` : `${sizes[0]! >> 10} KB`, `${sizes[1]! / MB} MB`];
const started = performance.now();
const failures: string[] = [];

const timings: Timing[] = [];
for (const p of probes().filter((x) => only.test(`${x.component} / ${x.name}`))) {
  const t = await time(p, sizes);
  timings.push(t);
  const why = verdict(t);
  if (why) failures.push(`${p.component} / ${p.name}: ${why}`);
}

const components = [...new Set(timings.map((t) => t.probe.component))];
const perComponent = components.map((c) => {
  const ts = timings.filter((t) => t.probe.component === c);
  const slow = ts.reduce((a, b) => (b.msPerMb > a.msPerMb ? b : a));
  const counted = ts.filter((t) => t.points.at(-1)!.work > NOISE_MS);
  const grow = counted.length ? counted.reduce((a, b) => (b.ratio > a.ratio ? b : a)) : undefined;
  const bad = ts.filter((t) => verdict(t) !== undefined).length;
  return [c, ts.length, `${fmt(slow.msPerMb, 1)} (${slow.probe.name})`, grow ? `${fmt(grow.ratio, 2)} (${grow.probe.name})` : `— (all < ${NOISE_MS} ms)`, bad === 0 ? 'yes' : `NO (${bad})`];
});
const slowest = [...timings].sort((a, b) => b.msPerMb - a.msPerMb).slice(0, 12);

// Regexps: bounded uses are named with the bound that makes them harmless.
const BOUNDED: Array<{ file: string; source: string; why: string }> = [
  {
    file: 'services/ingest/src/config.ts',
    source: '\\/+$',
    why: 'strips the trailing "/" of ES_PATH_PREFIX only after the value matched ^(/[A-Za-z0-9._~-]+)+/?$ (at most one trailing slash); operator-set, read once at start-up',
  },
];
const regexes: RegexResult[] = regexLiterals().filter((l) => only.test(l.where)).map((l) => probeRegex(l, quick ? MB : 4 * MB));
const regexRows = regexes.map((r) => {
  const last = r.points.at(-1)!;
  const grows = last[1] > 5 && r.ratio > MAX_RATIO;
  const bound = BOUNDED.find((b) => r.where.startsWith(`${b.file}:`) && r.source === b.source)?.why;
  if (grows && !bound) failures.push(`regexp ${r.where} /${r.source}/: worst family ${r.worst} grows ${r.ratio.toFixed(1)}× per 4× input`);
  const src = r.source.length > 48 ? `${r.source.slice(0, 45)}…` : r.source;
  return [r.where, `\`/${src.replaceAll('`', "'")}/${r.flags}\``, r.combos, r.worst, r.points.map(([n, ms]) => `${n >= MB ? `${n / MB}M` : `${n >> 10}K`} ${fmt(ms, 2)}`).join(' · '), last[1] < 0.05 ? '— (< 0.05 ms)' : fmt(r.ratio, 1), grows ? (bound ? `bounded: ${bound}` : 'NO') : 'yes'];
});

const body = [
  `${timings.length} probes, each timed at 64 KB and 256 KB (a probe taking > 1 s at a size after growing > 8× is stopped there as super-linear), then ${small} and ${large} (best of 3 runs, each after a full GC). Growth is judged on the time outside GC pauses (V8's collector costs more than linearly once a probe keeps millions of objects alive; its share is shown): linear = 4× input costs ≤ ${MAX_RATIO}× time, judged when the larger run takes > ${NOISE_MS} ms; a step past ${MAX_RATIO}× is confirmed by one more 4× step, whose ratio is then the one shown.`,
  table(['component', 'probes', `worst ms per MB at ${large} (probe)`, `worst t(${large}) / t(${small}) (probe)`, 'linear'], perComponent),
  `Slowest probes (ms per MB at ${large}):\n\n${table(['component', 'probe', 'ms per MB', 'GC share', 'growth ×4 (outside GC)'], slowest.map((t) => [t.probe.component, t.probe.name, fmt(t.msPerMb, 1), `${fmt(t.gcShare * 100, 0)} %`, fmt(t.ratio, 2)]))}`,
  `Every regexp literal of the shipped code (${regexes.length}); worst input family of ${fmt(regexes.reduce((a, r) => a + r.combos, 0))} screened at 4 KB, timed in ms:\n\n${table(['where', 'regexp', 'families', 'worst family', 'ms by size', 'growth ×4', 'linear'], regexRows)}`,
  `Machine: ${machine()}. Run time ${fmt((performance.now() - started) / 1000, 0)} s.`,
].join('\n\n');
finish('Adversarial lines: linear time on pathological input', body, failures);
