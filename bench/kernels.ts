/**
 * Scoring-kernel variants side by side (the measurements behind the choices in
 * packages/core/src/forest/simd-kernel.ts): every variant scores the same rows with the same
 * forest, round-robin (A B C … A B C …), so load on a shared machine hits all alike; each figure
 * is the median (and the best) of the rounds' process CPU time. All variants must give the same sums.
 *
 *   pnpm exec tsx bench/kernels.ts [--rows 100000] [--cols 5] [--rounds 9]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { IsolationForest } from '../packages/core/src/forest/forest.ts';
import { createKernel, JsKernel, type SumKernel } from '../packages/core/src/forest/kernel.ts';
import { buildRankHeap } from '../packages/core/src/forest/rank-heap.ts';
import { createSimdKernel } from '../packages/core/src/forest/simd-kernel.ts';
import { Xoshiro128 } from '../packages/core/src/forest/prng.ts';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, cols: { type: 'string', default: '5' }, rounds: { type: 'string', default: '9' } } });
const n = Number(args.rows);
const nF = Number(args.cols);
const rounds = Number(args.rounds);
const rng = new Xoshiro128(1);
const X = new Float64Array(n * nF);
for (let i = 0; i < X.length; i++) X[i] = rng.nextDouble();
const forest = IsolationForest.fit(X, n, nF);
const heap = buildRankHeap(forest.toArrays());
if (!heap) throw new Error('forest too deep for the rank heap');

const variants: Array<[string, SumKernel | null]> = [
  ['wasm scalar, 4 lanes (previous default)', createKernel(forest.toArrays(), 'wasm')],
  ['js rank heap', new JsKernel(heap)],
];
for (const lanes of [4, 8]) for (const block of [256, 1024]) variants.push([`simd, ${lanes} lanes, block ${block}`, createSimdKernel(heap, { lanes, block })]);
variants.push(['simd, 8 lanes, block 1024, binary rank search only (no buckets)', createSimdKernel(heap, { lanes: 8, block: 1024, buckets: false })]);
const live = variants.filter((v): v is [string, SumKernel] => v[1] !== null);

const outs = live.map(() => new Float64Array(n));
const times = live.map(() => [] as number[]);
for (let r = 0; r <= rounds; r++) {
  live.forEach(([, k], i) => {
    const c0 = process.cpuUsage();
    k.sums(X, 0, n, outs[i] as Float64Array);
    const c = process.cpuUsage(c0);
    if (r > 0) times[i]?.push((c.user + c.system) / 1000);
  });
}
for (const o of outs) for (let j = 0; j < n; j++) if (o[j] !== outs[0]?.[j]) throw new Error('kernels disagree');
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
console.log(`${n}×${nF}, 100 trees, ψ = 256; ${rounds} round-robin rounds; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
console.log('| kernel | median ms | best ms | M rows/s (median) |');
console.log('|---|---:|---:|---:|');
live.forEach(([name], i) => {
  const t = times[i] as number[];
  console.log(`| ${name} | ${med(t).toFixed(1)} | ${Math.min(...t).toFixed(1)} | ${(n / med(t) / 1000).toFixed(2)} |`);
});
