/**
 * The block-heap walk (`block-heap.ts`) as a generated WebAssembly SIMD function: per row and
 * tree, each group of three levels is one gather (`i8x16.swizzle` of the row's int16 feature
 * ranks), one comparison (`i16x8.lt_s` against the block's 7 ranks), one `i16x8.bitmask` and one
 * table lookup, instead of three dependent scalar steps (`wasm-kernel.ts`). Four rows walk each
 * tree side by side. Sums are added tree by tree in tree order, so they equal scikit-learn's bit
 * for bit. Needs fixed-width SIMD (Node ≥ 16.4; compiling fails cleanly elsewhere and
 * `createKernel` falls back to the scalar WebAssembly kernel).
 *
 * Linear memory (bytes): [0, 512) B·exit3 (u16), [512, 768) 8·exitLast (u8) (tables: `block-heap.ts`);
 * [1024, +R·BLOCK) the block's row rank vectors (R = 16·nVec bytes per row, int16 lanes);
 * then the block's sums (f64), the block's rows (f64), the sorted thresholds (f64), the per-tree
 * table (i32 block base, i32 leaf base), all trees' blocks, all trees' leaves (f64).
 *
 * Function `sums(nTrees, treeTab, bn, outBase, rowBase)`, locals t tp p0 c lb r rb ob pa pb pc pd;
 * in WebAssembly text form, with G groups (G - 1 full ones, then the last):
 *
 *   t = nTrees; tp = treeTab
 *   block loop                                       ;; trees
 *     br_if 1 (t == 0); p0 = load(tp); lb = load(tp + 4); c = B - 7·p0
 *     r = 0; rb = rowBase; ob = outBase
 *     block loop                                     ;; four rows at a time
 *       br_if 1 (r + 4 > bn); pa = pb = pc = pd = p0
 *       (G - 1) × (STEP(pa, 0) STEP(pb, R) STEP(pc, 2R) STEP(pd, 3R))
 *       LEAF(pa, 0, 0) LEAF(pb, R, 8) LEAF(pc, 2R, 16) LEAF(pd, 3R, 24)
 *       r += 4; rb += 4R; ob += 32; br 0
 *     end end
 *     block loop                                     ;; the rest one by one
 *       br_if 1 (r >= bn); pa = p0; (G - 1) × STEP(pa, 0); LEAF(pa, 0, 0)
 *       r += 1; rb += R; ob += 8; br 0
 *     end end
 *     tp += 8; t -= 1; br 0
 *   end end
 *   MASK(p, o)    = i16x8.bitmask(i16x8.lt_s(v128.load(p), GATHER(p, o)))  ;; bit i: node i goes right
 *   GATHER(p, o)  = i8x16.swizzle(v128.load(rb + o), v128.load(p + 16))
 *                   [ | i8x16.swizzle(v128.load(rb + o + 16), v128.load(p + 32)) when nVec = 2 ]
 *   STEP(p, o)    = p = 8p + c + u16(2·MASK(p, o))              ;; the child block's address (B·exit3)
 *   LEAF(p, o, k) = f64.store(ob + k, f64.load(ob + k) + f64.load(lb + u16(p + 30) + u8(512 + MASK(p, o))))
 *
 * Function `ranks(x, stride, bn, t0, top, dst) → i32` is the scalar kernel's (wasm-encode.ts),
 * storing int16 ranks with a stride of R bytes; `ranksb` is the bucketed search (bucket-ranks.ts),
 * used for every feature that has a bucket table (its padded thresholds and start table follow
 * the leaves in memory).
 */
import type { SumKernel } from './kernel.ts';
import { badValue, type RankHeap } from './rank-heap.ts';
import { LEAF_FIELD, buildBlockHeap, type BlockHeap } from './block-heap.ts';
import * as w from './wasm-encode.ts';
import { RANKSB_TYPE, bucketRanksBody, buildBucketTable, type BucketTable } from './bucket-ranks.ts';

const EXIT3 = 0;
const EXIT_LAST = 512;
const ROWS = 1024;

const P = { nTrees: 0, treeTab: 1, bn: 2, outBase: 3, rowBase: 4 } as const;
const L = { t: 5, tp: 6, p0: 7, c: 8, lb: 9, r: 10, rb: 11, ob: 12, lanes: [13, 14, 15, 16, 17, 18, 19, 20] } as const;
/** Tuning knobs (bench/kernels.ts compares settings): rows walked side by side, rows per block. */
export interface SimdOptions {
  lanes: number;
  block: number;
  /** Bucketed rank search (bucket-ranks.ts) where it saves steps; false = binary search only. @defaultValue true */
  buckets?: boolean;
}
export const SIMD_DEFAULTS: SimdOptions = { lanes: 8, block: 1024 };

function mask(p: number, o: number, nVec: number): number[] {
  const gather = (v: number) => [...w.get(L.rb), ...w.v128Load(o + 16 * v), ...w.get(p), ...w.v128Load(16 + 16 * v), ...w.swizzle];
  return [
    ...w.get(p), ...w.v128Load(0),
    ...gather(0), ...(nVec === 2 ? [...gather(1), ...w.v128Or] : []),
    ...w.i16x8LtS, ...w.i16x8Bitmask,
  ];
}
const loadU8 = (offset: number) => [0x2d, 0, ...w.uleb(offset)];
const step = (p: number, o: number, nVec: number, B: number) => [
  ...w.get(p), ...w.i32(3), ...w.shl, ...w.get(L.c), ...w.add,
  ...mask(p, o, nVec), ...w.i32(1), ...w.shl, ...w.load16u(EXIT3), ...w.add, ...w.set(p),
];
const leaf = (p: number, o: number, k: number, nVec: number) => [
  ...w.get(L.ob), ...w.get(L.ob), ...w.loadF64(k),
  ...w.get(L.lb), ...w.get(p), ...w.load16u(LEAF_FIELD), ...w.add,
  ...mask(p, o, nVec), ...loadU8(EXIT_LAST), ...w.add, ...w.loadF64(0),
  ...w.fAdd, ...w.storeF64(k),
];

function sumsBody(groups: number, nVec: number, B: number, LANES: number): number[] {
  const R = 16 * nVec;
  const lanes = L.lanes.slice(0, LANES);
  const pa = lanes[0] as number;
  const four: number[] = [];
  for (let g = 0; g < groups - 1; g++) lanes.forEach((p, i) => four.push(...step(p, i * R, nVec, B)));
  lanes.forEach((p, i) => four.push(...leaf(p, i * R, 8 * i, nVec)));
  const one = [...w.repeat(groups - 1, step(pa, 0, nVec, B)), ...leaf(pa, 0, 0, nVec)];
  return [
    ...w.get(P.nTrees), ...w.set(L.t), ...w.get(P.treeTab), ...w.set(L.tp),
    ...w.blockLoop, ...w.get(L.t), ...w.eqz, ...w.brIf(1),
    ...w.get(L.tp), ...w.load32(0), ...w.set(L.p0), ...w.get(L.tp), ...w.load32(4), ...w.set(L.lb),
    ...w.i32(B), ...w.get(L.p0), ...w.i32(7), 0x6c, ...w.sub, ...w.set(L.c),
    ...w.i32(0), ...w.set(L.r), ...w.get(P.rowBase), ...w.set(L.rb), ...w.get(P.outBase), ...w.set(L.ob),
    ...w.blockLoop, ...w.get(L.r), ...w.i32(LANES), ...w.add, ...w.get(P.bn), ...w.gtS, ...w.brIf(1),
    ...w.get(L.p0), ...lanes.slice(0, -1).flatMap((p) => w.tee(p)), ...w.set(lanes[LANES - 1] as number),
    ...four,
    ...w.incr(L.r, LANES), ...w.incr(L.rb, LANES * R), ...w.incr(L.ob, 8 * LANES), ...w.br(0), ...w.endEnd,
    ...w.blockLoop, ...w.get(L.r), ...w.get(P.bn), ...w.geS, ...w.brIf(1),
    ...w.get(L.p0), ...w.set(pa), ...one,
    ...w.incr(L.r, 1), ...w.incr(L.rb, R), ...w.incr(L.ob, 8), ...w.br(0), ...w.endEnd,
    ...w.incr(L.tp, 8), ...w.incr(L.t, -1), ...w.br(0), ...w.endEnd,
    0x0b,
  ];
}

/** The module for `groups` level groups and `nVec` rank vectors per row. */
export function simdModuleBytes(groups: number, nVec: number, lanes: number): Uint8Array {
  const B = 16 + 16 * nVec;
  const sums = [1, ...w.uleb(8 + lanes), w.I32, ...sumsBody(groups, nVec, B, lanes)];
  const ranks = [...w.RANKS_LOCALS, ...w.ranks4Prefix(w.store16(0), 16 * nVec), ...w.ranksBody(w.store16(0), 16 * nVec)];
  const ranksb = bucketRanksBody(w.store16(0), 16 * nVec);
  const i32s = (n: number) => [n, ...w.repeat(n, [w.I32])];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...w.section(1, [3, 0x60, ...i32s(5), 0, 0x60, ...i32s(6), 1, w.I32, ...RANKSB_TYPE]),
    ...w.section(3, [3, 0, 1, 2]),
    ...w.section(5, [1, 0x00, 1]),
    ...w.section(7, [4, ...w.name('sums'), 0x00, 0, ...w.name('ranks'), 0x00, 1, ...w.name('ranksb'), 0x00, 2, ...w.name('memory'), 0x02, 0]),
    ...w.section(10, [3, ...w.uleb(sums.length), ...sums, ...w.uleb(ranks.length), ...ranks, ...w.uleb(ranksb.length), ...ranksb]),
  ]);
}

interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
type Sums = (nTrees: number, treeTab: number, bn: number, outBase: number, rowBase: number) => void;
type Ranks = (x: number, stride: number, bn: number, t0: number, top: number, dst: number) => number;
type RanksB = (x: number, stride: number, bn: number, t0: number, top: number, dst: number, lo: number, scale: number, bmax: number, tab: number) => number;

const compiled = new Map<string, object>();
let unavailable = false;

/** The SIMD block-heap kernel, or null (no WebAssembly SIMD, or a forest outside its limits). */
export function createSimdKernel(h: RankHeap, opts: SimdOptions = SIMD_DEFAULTS): SumKernel | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api || unavailable) return null;
  const bh = buildBlockHeap(h);
  if (!bh) return null;
  try {
    const key = `${bh.groups}/${bh.nVec}/${opts.lanes}`;
    let module = compiled.get(key);
    if (!module) {
      module = new api.Module(simdModuleBytes(bh.groups, bh.nVec, opts.lanes));
      compiled.set(key, module);
    }
    const { exports } = new api.Instance(module, {});
    const fns = { sums: exports.sums as Sums, ranks: exports.ranks as Ranks, ranksb: exports.ranksb as RanksB };
    return new SimdKernel(h, bh, opts.block, exports.memory as WasmMemory, fns, opts.buckets ?? true);
  } catch {
    unavailable = true; // no SIMD here: the scalar kernels from now on
    return null;
  }
}

const align16 = (n: number) => Math.ceil(n / 16) * 16;

class SimdKernel implements SumKernel {
  private readonly outBlock: Float64Array;
  private readonly xBlock: Float64Array;
  private readonly outBase: number;
  private readonly xBase: number;
  private readonly treeTab: number;
  private readonly rowBytes: number;
  private readonly t0: Int32Array;
  private readonly top: Int32Array;
  private readonly nTrees: number;
  private readonly nFeatures: number;
  private readonly sumsFn: Sums;
  private readonly ranksFn: Ranks;
  private readonly ranksbFn: RanksB;
  /** Per feature: its bucket table (and where it sits in memory), or null for the binary search. */
  private readonly buckets: Array<{ t: BucketTable; t0: number; tab: number } | null>;

  constructor(h: RankHeap, bh: BlockHeap, private readonly block: number, memory: WasmMemory, fns: { sums: Sums; ranks: Ranks; ranksb: RanksB }, useBuckets: boolean) {
    this.sumsFn = fns.sums;
    this.ranksFn = fns.ranks;
    this.ranksbFn = fns.ranksb;
    const nF = h.nFeatures;
    const BLOCK = block;
    this.nTrees = h.nTrees;
    this.nFeatures = nF;
    this.rowBytes = 16 * bh.nVec;
    this.outBase = ROWS + this.rowBytes * BLOCK;
    this.xBase = this.outBase + 8 * BLOCK;
    const thrBase = this.xBase + 8 * BLOCK * nF;
    this.treeTab = align16(thrBase + 8 * h.thresholds.length);
    const blockBase = align16(this.treeTab + 8 * h.nTrees);
    const leafBase = align16(blockBase + bh.blocks.length);
    let end = leafBase + 8 * bh.leaves.length;
    const tables = Array.from({ length: nF }, (_, f) =>
      useBuckets ? buildBucketTable(h.thresholds.subarray(h.thresholdStart[f] as number, h.thresholdStart[f + 1] as number), h.searchSteps[f] as number) : null,
    );
    this.buckets = tables.map((t) => {
      if (!t) return null;
      const thr = align16(end);
      const tab = thr + 8 * t.padded.length;
      end = tab + 4 * t.start.length;
      return { t, t0: thr - 8, tab };
    });
    memory.grow(Math.ceil(end / 65536) - 1);
    const buf = memory.buffer;
    const u8 = new Uint8Array(buf);
    new Uint16Array(buf, EXIT3, 256).set(Array.from(bh.exit3, (e) => e * bh.blockBytes)); // B·e: the child block's offset
    u8.set(bh.exitLast.map((e) => 8 * e), EXIT_LAST); // 8·e: the leaf's byte offset
    u8.set(bh.blocks, blockBase);
    new Float64Array(buf, leafBase, bh.leaves.length).set(bh.leaves);
    new Float64Array(buf, thrBase, h.thresholds.length).set(h.thresholds);
    for (const b of this.buckets) {
      if (!b) continue;
      new Float64Array(buf, b.t0 + 8, b.t.padded.length).set(b.t.padded);
      new Int32Array(buf, b.tab, b.t.start.length).set(b.t.start);
    }
    const tab = new Int32Array(buf, this.treeTab, 2 * h.nTrees);
    for (let t = 0; t < h.nTrees; t++) {
      tab[2 * t] = blockBase + t * bh.blocksPerTree * bh.blockBytes;
      tab[2 * t + 1] = leafBase + 8 * t * bh.leavesPerTree;
    }
    this.outBlock = new Float64Array(buf, this.outBase, BLOCK);
    this.xBlock = new Float64Array(buf, this.xBase, BLOCK * nF);
    new Uint8Array(buf, ROWS, this.rowBytes * BLOCK).fill(0); // unused int16 lanes stay 0
    this.t0 = Int32Array.from({ length: nF }, (_, f) => thrBase + 8 * ((h.thresholdStart[f] as number) - 1));
    this.top = Int32Array.from(h.searchSteps, (k) => (k > 0 ? 1 << (k - 1) : 0));
  }

  sums(X: ArrayLike<number>, start: number, nRows: number, out: Float64Array): void {
    const { outBlock, xBlock, nFeatures: nF, block: BLOCK } = this;
    for (let b0 = 0; b0 < nRows; b0 += BLOCK) {
      const bn = Math.min(BLOCK, nRows - b0);
      const src = start + b0 * nF;
      const len = bn * nF;
      if (len > 64 && X instanceof Float64Array) xBlock.set(X.subarray(src, src + len));
      else for (let j = 0; j < len; j++) xBlock[j] = X[src + j] as number;
      for (let f = 0; f < nF; f++) {
        const b = this.buckets[f];
        const bad = b
          ? this.ranksbFn(this.xBase + 8 * f, 8 * nF, bn, b.t0, 1 << (b.t.steps - 1), ROWS + 2 * f, b.t.lo, b.t.scale, b.t.bmax, b.tab)
          : this.ranksFn(this.xBase + 8 * f, 8 * nF, bn, this.t0[f] as number, this.top[f] as number, ROWS + 2 * f);
        if (bad >= 0) badValue(b0 + bad, f, X[src + bad * nF + f] as number);
      }
      outBlock.fill(0, 0, bn);
      this.sumsFn(this.nTrees, this.treeTab, bn, this.outBase, ROWS);
      if (bn === BLOCK) out.set(outBlock, b0);
      else for (let r = 0; r < bn; r++) out[b0 + r] = outBlock[r] as number;
    }
  }
}
