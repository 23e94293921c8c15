/**
 * Bucketed rank search for the SIMD kernel (`simd-kernel.ts`): a row value's rank
 * r = #{thresholds < v} starts from a bucket table instead of a 12-step binary search.
 *
 * Per feature, with the sorted distinct thresholds T[0..m) (rank-heap.ts), lo = T[0] and
 * B buckets: bucket(v) = trunc(min(max((v - lo) · scale, 0), B - 1)) in float64, scale =
 * B / (T[m-1] - lo). Every step (subtract, multiply by a positive constant, clamp, truncate) is
 * non-decreasing in v, so a threshold in a lower bucket than v is < v and one in a higher bucket is
 * > v. With start[b] = #{t : bucket(t) < b}, r = start[b] + #{t in bucket b : t < v}; the second
 * term is a fixed-step branch-free search over the window T[start[b] .. start[b] + W), W = 2^k - 1
 * ≥ the fullest bucket, where everything after bucket b is > v (the thresholds are followed by W
 * +Infinity). Same r as the binary search, to the bit; for uniform data k is 3–4 instead of 12.
 * A feature whose thresholds crowd into few buckets (k not at least 3 steps shorter) keeps the
 * plain search.
 *
 * Function `ranksb(x, stride, bn, t0, top, dst, lo, scale, bmax, tab) → i32` (lo, scale, bmax
 * f64; `tab` = byte address of start[], i32 each): like `ranks` (wasm-encode.ts), with
 * i = i32.load(tab + 4·bucket(v)) instead of i = 0 before the steps.
 */
import * as w from './wasm-encode.ts';

export interface BucketTable {
  lo: number;
  scale: number;
  /** B - 1, as the float64 clamp. */
  bmax: number;
  /** start[b] for b = 0..B-1. */
  start: Int32Array;
  /** Steps of the search inside a bucket: the window is 2^steps - 1 thresholds. */
  steps: number;
  /** The feature's thresholds followed by 2^steps - 1 +Infinity (the search reads up to there). */
  padded: Float64Array;
}

/** The same float64 operations as the WebAssembly code, in the same order. */
export function bucketOf(v: number, lo: number, scale: number, bmax: number): number {
  return Math.trunc(Math.min(Math.max((v - lo) * scale, 0), bmax));
}

/**
 * The bucket table of one feature's sorted distinct thresholds (`sorted`, +Infinity padding
 * ignored), or null when bucketing would not save at least 3 of the `plainSteps` steps.
 */
export function buildBucketTable(sorted: Float64Array, plainSteps: number): BucketTable | null {
  let m = 0;
  while (m < sorted.length && (sorted[m] as number) !== Infinity) m++;
  if (m < 16) return null;
  const lo = sorted[0] as number;
  const span = (sorted[m - 1] as number) - lo;
  const B = 2 ** Math.ceil(Math.log2(m));
  const scale = B / span;
  if (!(span > 0) || !Number.isFinite(scale) || scale <= 0) return null;
  const bmax = B - 1;
  const count = new Int32Array(B);
  for (let k = 0; k < m; k++) {
    const b = bucketOf(sorted[k] as number, lo, scale, bmax);
    count[b] = (count[b] as number) + 1;
  }
  const start = new Int32Array(B);
  let fullest = 0;
  for (let b = 0, acc = 0; b < B; b++) {
    start[b] = acc;
    acc += count[b] as number;
    if ((count[b] as number) > fullest) fullest = count[b] as number;
  }
  const steps = Math.ceil(Math.log2(fullest + 1));
  if (steps > plainSteps - 3) return null;
  const padded = new Float64Array(m + 2 ** steps - 1).fill(Infinity);
  padded.set(sorted.subarray(0, m));
  return { lo, scale, bmax, start, steps, padded };
}

const P = { x: 0, stride: 1, bn: 2, t0: 3, top: 4, dst: 5, lo: 6, scale: 7, bmax: 8, tab: 9 } as const;
const L = { r: 10, s: 11, i: [12, 13, 14, 15], v: [16, 17, 18, 19] } as const;
/** Function type of `ranksb`: six i32, three f64, one i32 → i32. */
export const RANKSB_TYPE = [0x60, 10, ...w.repeat(6, [w.I32]), w.F64, w.F64, w.F64, w.I32, 1, w.I32];

const F64_SUB = 0xa1;
const F64_MUL = 0xa2;
const F64_MIN = 0xa4;
const F64_MAX = 0xa5;
const F64_LT = 0x63;
const F64_NE = 0x62;
const I32_TRUNC_F64_S = 0xaa;
const I32_MUL = 0x6c;
const f64Zero = [0x44, 0, 0, 0, 0, 0, 0, 0, 0];

/** Load row k's value, check it, and start its search from its bucket. */
function rowStart(k: number, ret: number[]): number[] {
  const i = L.i[k] as number;
  const v = L.v[k] as number;
  return [
    ...w.get(P.x), ...w.get(P.stride), ...w.i32(k), I32_MUL, ...w.add, ...w.loadF64(0), 0xb6, 0xbb, ...w.tee(v),
    ...w.get(v), F64_SUB, ...f64Zero, F64_NE, 0x04, 0x40, ...ret, ...w.i32(k), ...w.add, 0x0f, 0x0b,
    ...w.get(P.tab),
    ...w.get(v), ...w.get(P.lo), F64_SUB, ...w.get(P.scale), F64_MUL, ...f64Zero, F64_MAX, ...w.get(P.bmax), F64_MIN, I32_TRUNC_F64_S,
    ...w.i32(2), ...w.shl, ...w.add, ...w.load32(0), ...w.set(i),
  ];
}

/** The fixed-step search for `lanes` rows side by side: i_k += s & -(T[i_k + s - 1] < v_k). */
function steps(lanes: number): number[] {
  const one = (k: number) => [
    ...w.get(L.i[k] as number), ...w.get(L.s), ...w.i32(0),
    ...w.get(P.t0), ...w.get(L.i[k] as number), ...w.get(L.s), ...w.add, ...w.i32(3), ...w.shl, ...w.add, ...w.loadF64(0),
    ...w.get(L.v[k] as number), F64_LT, ...w.sub, ...w.and, ...w.add, ...w.set(L.i[k] as number),
  ];
  return [
    ...w.get(P.top), ...w.set(L.s),
    ...w.blockLoop, ...w.get(L.s), ...w.eqz, ...w.brIf(1),
    ...Array.from({ length: lanes }, (_, k) => one(k)).flat(),
    ...w.get(L.s), ...w.i32(1), ...w.shrU, ...w.set(L.s), ...w.br(0), ...w.endEnd,
  ];
}

/** Body of `ranksb` (locals included), storing ranks with `store` every `dstStride` bytes. */
export function bucketRanksBody(store: number[], dstStride: number): number[] {
  const lanes = [0, 1, 2, 3];
  const stores = (n: number) => Array.from({ length: n }, (_, k) => [...w.get(P.dst), ...w.i32(k * dstStride), ...w.add, ...w.get(L.i[k] as number), ...store]).flat();
  return [
    2, 6, w.I32, 4, w.F64, // locals r s i0..i3 (i32), v0..v3 (f64)
    ...w.blockLoop, ...w.get(L.r), ...w.i32(4), ...w.add, ...w.get(P.bn), ...w.gtS, ...w.brIf(1),
    ...lanes.flatMap((k) => rowStart(k, w.get(L.r))),
    ...steps(4), ...stores(4),
    ...w.get(P.x), ...w.get(P.stride), ...w.i32(2), ...w.shl, ...w.add, ...w.set(P.x),
    ...w.incr(P.dst, 4 * dstStride), ...w.incr(L.r, 4), ...w.br(0), ...w.endEnd,
    ...w.blockLoop, ...w.get(L.r), ...w.get(P.bn), ...w.geS, ...w.brIf(1),
    ...rowStart(0, w.get(L.r)),
    ...steps(1), ...stores(1),
    ...w.get(P.x), ...w.get(P.stride), ...w.add, ...w.set(P.x),
    ...w.incr(P.dst, dstStride), ...w.incr(L.r, 1), ...w.br(0), ...w.endEnd,
    ...w.i32(-1), 0x0b,
  ];
}
