/**
 * The rank-heap walk (`rank-heap.ts`) as a small WebAssembly function, assembled here from the
 * listing below (no toolchain, no binary file). WebAssembly memory accesses carry no per-access
 * bounds or detach checks and its locals stay in registers, which makes the same four-lane walk
 * about twice as fast as the JavaScript version (`kernel.ts`; bench/forest.ts). The ranks
 * (with the float32 cast and the finiteness check) are computed in WebAssembly too.
 *
 * Linear memory (bytes): [0, R) the block's ranks, int32, feature-major (R = 4·BLOCK·nFeatures);
 * [R, R + 8·BLOCK) the block's sums, f64; the block's rows, f64, row-major (8·BLOCK·nFeatures);
 * the sorted thresholds, f64 (rank-heap.ts); then from N0 one 16-byte record per
 * slot: rank j (i32), the feature's rank-row offset 4·BLOCK·f (i32), path length (f64).
 * With m = N0 + 16k the byte address of slot k and m00 its tree's root, a step is
 * `m = 2m + (16 - m00) + 16·((j - rank[f][row]) >>> 31)`.
 *
 * Function `sums(nTrees, treeBytes, nodeBase, bn, outBase)`, i32 locals t m00 c r m0..m3 rb ob,
 * generated per forest depth D with the D steps unrolled (one compiled module per depth; the
 * unrolling saved ~10% against a step loop); in WebAssembly text form:
 *
 *   m00 = nodeBase; t = nTrees
 *   block loop                                   ;; over trees
 *     br_if 1 (t == 0); c = 16 - m00; r = 0; rb = 0; ob = outBase
 *     block loop                                 ;; four rows at a time
 *       br_if 1 (r + 4 > bn); m0 = m1 = m2 = m3 = m00
 *       D × (LANE(m0, 0) LANE(m1, 4) LANE(m2, 8) LANE(m3, 12))
 *       OUT(m0, 0) OUT(m1, 8) OUT(m2, 16) OUT(m3, 24); r += 4; rb += 16; ob += 32; br 0
 *     end end
 *     block loop                                 ;; remaining rows one by one
 *       br_if 1 (r >= bn); m0 = m00; D × LANE(m0, 0)
 *       OUT(m0, 0); r += 1; rb += 4; ob += 8; br 0
 *     end end
 *     m00 += treeBytes; t -= 1; br 0
 *   end end
 *   LANE(m, o) = m = 2m + c + (((i32.load(m) - i32.load(i32.load(m + 4) + rb + o)) >>> 31) << 4)
 *   OUT(m, o)  = f64.store(ob + o, f64.load(ob + o) + f64.load(m + 8))
 *
 * Function `ranks(x, stride, bn, t0, top, dst) → i32`, one feature of the block: returns the
 * first row whose value is not finite after the float32 cast, or -1. Locals r i s (i32), v (f64):
 *
 *   block loop
 *     br_if 1 (r >= bn); v = f64.promote_f32(f32.demote_f64(f64.load(x)))
 *     if (v - v != 0) return r                     ;; NaN or ±Infinity
 *     i = 0; s = top
 *     block loop br_if 1 (s == 0); i += s & -(f64.load(t0 + 8(i + s)) < v); s >>= 1; br 0 end end
 *     i32.store(dst, i); x += stride; dst += 4; r += 1; br 0
 *   end end
 *   return -1
 */
import { BLOCK, badValue, type RankHeap } from './rank-heap.ts';
import {
  RANKS_LOCALS, ranks4Prefix, add, blockLoop, br, brIf, endEnd, fAdd, geS, get, gtS, i32, incr, load32, loadF64, name, ranksBody, repeat, section, set, shl, shrU, store32, storeF64, sub, tee, uleb, eqz,
} from './wasm-encode.ts';
import type { SumKernel } from './kernel.ts';

interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

const P = { nTrees: 0, treeBytes: 1, nodeBase: 2, bn: 3, outBase: 4 } as const;
const L = { t: 5, m00: 6, c: 7, r: 8, m0: 9, m1: 10, m2: 11, m3: 12, rb: 13, ob: 14 } as const;
const N_LOCALS = 10;

const lane = (m: number, o: number) => [
  ...get(m), ...i32(1), ...shl, ...get(L.c), ...add,
  ...get(m), ...load32(0),
  ...get(m), ...load32(4), ...get(L.rb), ...add, ...load32(o),
  ...sub, ...i32(31), ...shrU, ...i32(4), ...shl,
  ...add, ...set(m),
];
const accumulate = (m: number, o: number) => [...get(L.ob), ...get(L.ob), ...loadF64(o), ...get(m), ...loadF64(8), ...fAdd, ...storeF64(o)];

function body(depth: number): number[] {
  return [
    ...get(P.nodeBase), ...set(L.m00), ...get(P.nTrees), ...set(L.t),
    ...blockLoop, ...get(L.t), ...eqz, ...brIf(1),
    ...i32(16), ...get(L.m00), ...sub, ...set(L.c), ...i32(0), ...set(L.r), ...i32(0), ...set(L.rb), ...get(P.outBase), ...set(L.ob),
    ...blockLoop, ...get(L.r), ...i32(4), ...add, ...get(P.bn), ...gtS, ...brIf(1),
    ...get(L.m00), ...tee(L.m0), ...tee(L.m1), ...tee(L.m2), ...set(L.m3),
    ...repeat(depth, [...lane(L.m0, 0), ...lane(L.m1, 4), ...lane(L.m2, 8), ...lane(L.m3, 12)]),
    ...accumulate(L.m0, 0), ...accumulate(L.m1, 8), ...accumulate(L.m2, 16), ...accumulate(L.m3, 24),
    ...incr(L.r, 4), ...incr(L.rb, 16), ...incr(L.ob, 32), ...br(0), ...endEnd,
    ...blockLoop, ...get(L.r), ...get(P.bn), ...geS, ...brIf(1),
    ...get(L.m00), ...set(L.m0), ...repeat(depth, lane(L.m0, 0)), ...accumulate(L.m0, 0),
    ...incr(L.r, 1), ...incr(L.rb, 4), ...incr(L.ob, 8), ...br(0), ...endEnd,
    ...get(L.m00), ...get(P.treeBytes), ...add, ...set(L.m00), ...incr(L.t, -1), ...br(0), ...endEnd,
    0x0b,
  ];
}

/** The module for forests of depth D: `sums` (5 × i32 → nothing), `ranks` (6 × i32 → i32), memory. */
export function kernelModuleBytes(depth: number): Uint8Array {
  const sums = [1, ...uleb(N_LOCALS), 0x7f, ...body(depth)]; // one local group: N_LOCALS × i32
  const ranks = [...RANKS_LOCALS, ...ranks4Prefix(store32(0), 4), ...ranksBody(store32(0), 4)];
  const i32s = (n: number) => [n, ...repeat(n, [0x7f])];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [2, 0x60, ...i32s(5), 0, 0x60, ...i32s(6), 1, 0x7f]),
    ...section(3, [2, 0, 1]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [3, ...name('sums'), 0x00, 0, ...name('ranks'), 0x00, 1, ...name('memory'), 0x02, 0]),
    ...section(10, [2, ...uleb(sums.length), ...sums, ...uleb(ranks.length), ...ranks]),
  ]);
}

/** Compiled modules by forest depth; null once compiling failed (WebAssembly disabled by policy). */
const compiled = new Map<number, object>();
let unavailable = false;

/** The rank-heap kernel in WebAssembly, or null when WebAssembly is unavailable or fails. */
export function createWasmKernel(h: RankHeap): SumKernel | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api || unavailable) return null;
  try {
    let module = compiled.get(h.depth);
    if (!module) {
      module = new api.Module(kernelModuleBytes(h.depth));
      compiled.set(h.depth, module);
    }
    const { exports } = new api.Instance(module, {});
    return new WasmKernel(h, exports.memory as WasmMemory, exports.sums as WasmSums, exports.ranks as WasmRanks);
  } catch {
    unavailable = true; // use the JavaScript kernel from now on
    return null;
  }
}

type WasmSums = (nTrees: number, treeBytes: number, nodeBase: number, bn: number, outBase: number) => void;
type WasmRanks = (x: number, stride: number, bn: number, t0: number, top: number, dst: number) => number;

class WasmKernel implements SumKernel {
  private readonly outBlock: Float64Array;
  private readonly xBlock: Float64Array;
  private readonly outBase: number;
  private readonly xBase: number;
  private readonly nodeBase: number;
  /** Per feature: byte address the search indexes from (thresholds of f, minus one slot). */
  private readonly t0: Int32Array;
  /** Per feature: first search step, 2^(k-1) (0 when the feature has no thresholds). */
  private readonly top: Int32Array;

  private readonly nTrees: number;
  private readonly nFeatures: number;
  private readonly treeBytes: number;

  constructor(
    h: RankHeap,
    memory: WasmMemory,
    private readonly sumsFn: WasmSums,
    private readonly ranksFn: WasmRanks,
  ) {
    const nF = h.nFeatures;
    this.nTrees = h.nTrees;
    this.nFeatures = nF;
    this.treeBytes = 16 * h.slots;
    this.outBase = 4 * BLOCK * nF;
    this.xBase = this.outBase + 8 * BLOCK;
    const thrBase = this.xBase + 8 * BLOCK * nF;
    this.nodeBase = thrBase + 8 * h.thresholds.length;
    const n = h.rank.length;
    memory.grow(Math.ceil((this.nodeBase + 16 * n) / 65536) - 1);
    const buf = memory.buffer;
    this.outBlock = new Float64Array(buf, this.outBase, BLOCK);
    this.xBlock = new Float64Array(buf, this.xBase, BLOCK * nF);
    new Float64Array(buf, thrBase, h.thresholds.length).set(h.thresholds);
    this.t0 = Int32Array.from({ length: nF }, (_, f) => thrBase + 8 * ((h.thresholdStart[f] as number) - 1));
    this.top = Int32Array.from(h.searchSteps, (k) => (k > 0 ? 1 << (k - 1) : 0));
    const nodes32 = new Int32Array(buf, this.nodeBase, 4 * n);
    const nodes64 = new Float64Array(buf, this.nodeBase, 2 * n);
    for (let k = 0; k < n; k++) {
      nodes32[4 * k] = h.rank[k] as number;
      nodes32[4 * k + 1] = 4 * BLOCK * (h.feature[k] as number);
      nodes64[2 * k + 1] = h.value[k] as number;
    }
  }

  sums(X: ArrayLike<number>, start: number, nRows: number, out: Float64Array): void {
    const { outBlock, xBlock, nFeatures: nF } = this;
    for (let b0 = 0; b0 < nRows; b0 += BLOCK) {
      const bn = Math.min(BLOCK, nRows - b0);
      const src = start + b0 * nF;
      const len = bn * nF;
      // A view for a memcpy pays off for whole blocks; small (single-row) calls copy without allocating.
      if (len > 64 && X instanceof Float64Array) xBlock.set(X.subarray(src, src + len));
      else for (let j = 0; j < len; j++) xBlock[j] = X[src + j] as number;
      for (let f = 0; f < nF; f++) {
        const bad = this.ranksFn(this.xBase + 8 * f, 8 * nF, bn, this.t0[f] as number, this.top[f] as number, 4 * BLOCK * f);
        if (bad >= 0) badValue(b0 + bad, f, X[src + bad * nF + f] as number);
      }
      outBlock.fill(0, 0, bn);
      this.sumsFn(this.nTrees, this.treeBytes, this.nodeBase, bn, this.outBase);
      if (bn === BLOCK) out.set(outBlock, b0);
      else for (let r = 0; r < bn; r++) out[b0 + r] = outBlock[r] as number; // no subarray per call
    }
  }
}
