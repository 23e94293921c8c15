/**
 * Timing probes at growing sizes and judging their growth. Each size: best of 3 runs (from 1 MB
 * on, each after a full GC), with the garbage-collection pauses inside the run measured apart ('gc' performance
 * entries): growth is judged on the time outside GC, since V8's collector costs more than linearly
 * once a probe keeps a million objects alive (a heap policy, not an algorithm), and GC is reported.
 * A cheap pre-screen at 64 KB / 256 KB catches a super-linear probe before it gets megabytes, and
 * a step past the bound is confirmed by one more 4× step.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Probe } from './adversarial-probes.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });
const settle = () => new Promise<void>((r) => setTimeout(r, 0));

export interface Point {
  bytes: number;
  /** Best wall time of a run, ms. */
  ms: number;
  /** Best time outside GC pauses, ms (what growth is judged on). */
  work: number;
}

export interface Timing {
  probe: Probe;
  points: Point[];
  /** ms per MiB (wall) at the largest size measured. */
  msPerMb: number;
  /** Share of GC pauses in the largest run. */
  gcShare: number;
  /** work(last) / work(previous) for a 4× step. */
  ratio: number;
  /** Stopped early: the pre-screen already grew super-linearly. */
  superLinear: boolean;
}

const MB = 1 << 20;
/** Below this many ms at the larger size a ratio is timer noise, not growth. */
export const NOISE_MS = 20;
/** Largest accepted growth for 4× the input (linear = 4). */
export const MAX_RATIO = 5;

async function measure(p: Probe, bytes: number, runs: number): Promise<Point> {
  const input = p.build(bytes);
  let ms = Number.POSITIVE_INFINITY;
  let work = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    if (bytes >= MB) gc(); // small runs leave little garbage; a full GC costs more than they do
    await settle();
    gcMs = 0;
    const t0 = performance.now();
    p.run(input);
    const total = performance.now() - t0;
    await settle();
    ms = Math.min(ms, total);
    work = Math.min(work, Math.max(0, total - gcMs));
  }
  return { bytes, ms, work };
}

export async function time(p: Probe, sizes: readonly number[], runs = 3): Promise<Timing> {
  const points: Point[] = [await measure(p, 64 * 1024, runs), await measure(p, 256 * 1024, runs)];
  // Stop before megabytes only when the growth is plain and already costly (a quadratic at 256 KB
  // taking a second would take minutes at 4 MB); a small-size hiccup is settled by the larger sizes.
  const growth = () => {
    const a = points.at(-2)!;
    const b = points.at(-1)!;
    return b.work / Math.max(a.work * (b.bytes / a.bytes / 4), 0.05);
  };
  const plain = () => points.at(-1)!.work > 1000 && growth() > 8;
  let superLinear = plain();
  for (const n of sizes) {
    if (superLinear || n <= 256 * 1024) continue;
    points.push(await measure(p, n, runs));
    superLinear = plain();
  }
  let ratio = growth();
  if (!superLinear && ratio > MAX_RATIO && points.at(-1)!.work > NOISE_MS && points.at(-1)!.work < 2000) {
    points.push(await measure(p, points.at(-1)!.bytes * 4, 2));
    ratio = growth();
  }
  const last = points.at(-1)!;
  return { probe: p, points, msPerMb: last.ms / (last.bytes / MB), gcShare: 1 - last.work / Math.max(last.ms, 1e-9), ratio, superLinear };
}

const show = (t: Timing) => t.points.map((pt) => `${pt.bytes >> 10}K ${pt.work.toFixed(1)} ms`).join(', ');

/**
 * Why a timing fails the linearity check, or undefined. `maxRatio` is the growth allowed for 4×
 * the input (linear = 4, quadratic = 16); the fast test in `pnpm test` runs beside other suites
 * on two cores and allows more, so only a clearly super-linear cost fails it.
 */
export function verdict(t: Timing, maxRatio = MAX_RATIO): string | undefined {
  if (t.superLinear) return `super-linear, stopped before the next size (${show(t)})`;
  if (t.points.at(-1)!.work > NOISE_MS && t.ratio > maxRatio) return `4× input cost ${t.ratio.toFixed(1)}× outside GC (${show(t)})`;
  return undefined;
}
