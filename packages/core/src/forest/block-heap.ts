/**
 * The "block heap": the rank heap (`rank-heap.ts`) regrouped three levels at a time for the
 * SIMD kernel (`simd-kernel.ts`). A block holds the 7 nodes of a 3-level subtree as eight int16
 * ranks (lane 7 and missing nodes are padding that always goes left), plus a byte pattern that
 * gathers each node's feature rank out of a row's rank vector with one `i8x16.swizzle`. One
 * comparison of the gathered ranks with the block's ranks decides all 7 nodes at once; a 256-entry
 * table turns the 7-bit outcome into the exit (0..7) along the row's path. Blocks of a tree form
 * an implicit 8-ary heap (the children of block b are 8b + 1 + e); the last group may have only
 * 1 or 2 levels. Ranks are exact (`r > j` ⇔ `fround(x) > threshold_j`), so scores stay bit-exact.
 *
 * Block (B bytes, B = 16 + 16·nVec): [0, 16) ranks int16×8; [16, 16 + 16·nVec) the swizzle
 * patterns, one per 8-feature rank vector (nVec = 1 for ≤ 8 features, 2 for ≤ 16). In last-group
 * blocks, bytes 30..31 (pattern lane 7, unused) hold the byte offset of the block's first leaf.
 */
import type { RankHeap } from './rank-heap.ts';

/** Widest rank vector layout: 16 features (two int16×8 vectors). */
export const BLOCK_HEAP_MAX_FEATURES = 16;
/** Padding rank: no row rank exceeds it, so the lane always goes left. */
const ALWAYS_LEFT = 0x7fff;
/** Byte offset of the first-leaf field inside a last-group block. */
export const LEAF_FIELD = 30;

export interface BlockHeap {
  nTrees: number;
  /** 8-feature rank vectors per row (1 or 2). */
  nVec: number;
  /** Bytes per block: 16 + 16·nVec. */
  blockBytes: number;
  /** Groups of levels per tree (ceil(D / 3)); every group but the last has 3 levels. */
  groups: number;
  /** Levels in the last group (1..3). */
  lastLevels: number;
  blocksPerTree: number;
  /** Leaves per tree: 2^D. */
  leavesPerTree: number;
  /** All trees' blocks, tree after tree. */
  blocks: Uint8Array;
  /** All trees' leaf path lengths (heap bottom level, left to right), tree after tree. */
  leaves: Float64Array;
  /** Exit tables over a block's 8-bit outcome: exit e for 3 levels and for the last group's levels. */
  exit3: Uint8Array;
  exitLast: Uint8Array;
}

/** Exit along a k-level block for outcome bits `mask` (bit i set: node i goes right). */
function exitOf(mask: number, levels: number): number {
  let node = 0;
  let e = 0;
  for (let l = 0; l < levels; l++) {
    const bit = (mask >> node) & 1;
    e = 2 * e + bit;
    node = 2 * node + 1 + bit;
  }
  return e;
}

/** Build the block heap, or null when the forest does not fit its limits (then use the rank heap). */
export function buildBlockHeap(h: RankHeap): BlockHeap | null {
  const D = h.depth;
  if (D === 0 || h.nFeatures > BLOCK_HEAP_MAX_FEATURES) return null;
  for (let f = 0; f < h.nFeatures; f++) {
    if ((h.thresholdStart[f + 1] as number) - (h.thresholdStart[f] as number) > ALWAYS_LEFT) return null; // ranks must fit int16
  }
  const nVec = h.nFeatures <= 8 ? 1 : 2;
  const B = 16 + 16 * nVec;
  const groups = Math.ceil(D / 3);
  const lastLevels = D - 3 * (groups - 1);
  let blocksPerTree = 0;
  for (let g = 0; g < groups; g++) blocksPerTree += 8 ** g;
  const leavesPerTree = 2 ** D;
  const blocks = new Uint8Array(h.nTrees * blocksPerTree * B);
  const view = new DataView(blocks.buffer);
  const leaves = new Float64Array(h.nTrees * leavesPerTree);

  for (let t = 0; t < h.nTrees; t++) {
    const hb = t * h.slots;
    const tb = t * blocksPerTree * B;
    for (let k = 0; k < leavesPerTree; k++) leaves[t * leavesPerTree + k] = h.value[hb + leavesPerTree - 1 + k] as number;
    // Block b of group g roots its subtree at heap node h0 (level 3g).
    const place = (b: number, h0: number, g: number): void => {
      const levels = g === groups - 1 ? lastLevels : 3;
      const at = tb + b * B;
      for (let lane = 0; lane < 8; lane++) {
        view.setInt16(at + 2 * lane, ALWAYS_LEFT, true);
        for (let v = 0; v < nVec; v++) {
          blocks[at + 16 + 16 * v + 2 * lane] = 0x80;
          blocks[at + 16 + 16 * v + 2 * lane + 1] = 0x80;
        }
      }
      for (let l = 0; l < levels; l++) {
        for (let q = 0; q < 2 ** l; q++) {
          const lane = 2 ** l - 1 + q;
          const slot = hb + 2 ** l * h0 + 2 ** l - 1 + q;
          const f = h.feature[slot] as number;
          view.setInt16(at + 2 * lane, h.rank[slot] as number, true);
          const v = f >> 3;
          blocks[at + 16 + 16 * v + 2 * lane] = 2 * (f & 7);
          blocks[at + 16 + 16 * v + 2 * lane + 1] = 2 * (f & 7) + 1;
        }
      }
      if (g === groups - 1) {
        const firstLeaf = 2 ** levels * h0 + 2 ** levels - 1 - (leavesPerTree - 1);
        view.setUint16(at + LEAF_FIELD, 8 * firstLeaf, true);
        return;
      }
      for (let e = 0; e < 8; e++) place(8 * b + 1 + e, 8 * h0 + 7 + e, g + 1);
    };
    place(0, 0, 0);
  }
  const exit3 = Uint8Array.from({ length: 256 }, (_, m) => exitOf(m, 3));
  const exitLast = Uint8Array.from({ length: 256 }, (_, m) => exitOf(m, lastLevels));
  return { nTrees: h.nTrees, nVec, blockBytes: B, groups, lastLevels, blocksPerTree, leavesPerTree, blocks, leaves, exit3, exitLast };
}
