/**
 * Serialised form of a TemplateMiner and its validation. The state is plain JSON data (safe for
 * JSON and msgpack), holds no code, and is checked with zod plus structural checks on load, so a
 * corrupt or hostile artifact fails with a clear error instead of building a broken miner.
 *
 * Layout (version 1): the resolved options; clusters in least- to most-recently-used order; and
 * every tree leaf as its token count, routed path (`<*>` = wildcard child) and the serials of its
 * clusters in comparison order. Template ids are not stored: they are recomputed from the tokens.
 */
import { z } from 'zod';
import type { TemplateMinerOptions } from './options.ts';
import type { Cluster, PrefixTree, TreeNode } from './tree.ts';

export const MINER_STATE_FORMAT = 'logforest.template-miner';
export const MINER_STATE_VERSION = 1;

const count = z.number().int().nonnegative();

export const minerStateSchema = z.strictObject({
  format: z.literal(MINER_STATE_FORMAT),
  version: z.literal(MINER_STATE_VERSION),
  options: z.strictObject({
    depth: count,
    simThreshold: z.number(),
    maxChildren: count,
    maxClusters: count,
    evictionSample: count,
    maxTokens: count,
    maxTokenLength: count,
    extraMasks: z.array(z.strictObject({ source: z.string(), flags: z.string(), replacement: z.string() })),
  }),
  nextSerial: count,
  clusters: z.array(z.strictObject({ serial: count, tokens: z.array(z.string()), count })),
  leaves: z.array(z.strictObject({ length: count, path: z.array(z.string()), clusters: z.array(count).min(1) })),
});

/** Serialised miner, as returned by `TemplateMiner.toJSON()`. */
export type MinerState = z.infer<typeof minerStateSchema>;

/** What state.ts needs from a miner (avoids an import cycle with miner.ts). */
interface MinerInternals {
  readonly options: MinerState['options'];
  readonly tree: PrefixTree;
  readonly clusters: ReadonlyMap<number, Cluster>;
  nextSerial: number;
  restore(serial: number, tokens: string[], count: number, leaf: TreeNode): Cluster;
}

export function exportState(m: MinerInternals, lru: readonly Cluster[]): MinerState {
  const leaves: MinerState['leaves'] = [];
  for (const { length, path, node } of m.tree.leaves()) {
    leaves.push({ length, path, clusters: node.clusters!.map((c) => c.serial) });
  }
  leaves.sort((a, b) => a.clusters[0]! - b.clusters[0]!);
  const o = m.options;
  return {
    format: MINER_STATE_FORMAT,
    version: MINER_STATE_VERSION,
    options: { ...o, extraMasks: o.extraMasks.map((r) => ({ ...r })) },
    nextSerial: m.nextSerial,
    clusters: lru.map((c) => ({ serial: c.serial, tokens: [...c.tokens], count: c.count })),
    leaves,
  };
}

/** Validate `input` and build a miner from it with `make(options)`. Throws Error on bad state. */
export function importState<M extends MinerInternals>(input: unknown, make: (o: TemplateMinerOptions) => M): M {
  const parsed = minerStateSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid template miner state: ${z.prettifyError(parsed.error)}`);
  const s = parsed.data;
  const fail = (why: string): never => {
    throw new Error(`invalid template miner state: ${why}`);
  };
  let miner: M;
  try {
    const extraMasks = s.options.extraMasks.map((r) => ({ pattern: new RegExp(r.source, r.flags), replacement: r.replacement }));
    miner = make({ ...s.options, extraMasks });
  } catch (err) {
    return fail((err as Error).message);
  }
  if (s.clusters.length > miner.options.maxClusters) fail(`${s.clusters.length} clusters exceed maxClusters`);
  const leafOf = new Map<number, { node: TreeNode; length: number }>();
  const seenLeaves = new Set<TreeNode>();
  for (const leaf of s.leaves) {
    let node: TreeNode;
    try {
      node = miner.tree.ensurePath(leaf.length, leaf.path);
    } catch (err) {
      return fail((err as Error).message);
    }
    if (seenLeaves.has(node)) fail(`duplicate leaf ${leaf.length}: ${leaf.path.join(' ')}`);
    seenLeaves.add(node);
    for (const serial of leaf.clusters) {
      if (leafOf.has(serial)) fail(`cluster ${serial} is in two leaves`);
      leafOf.set(serial, { node, length: leaf.length });
    }
  }
  const made = new Map<number, Cluster>();
  for (const c of s.clusters) {
    const at = leafOf.get(c.serial) ?? fail(`cluster ${c.serial} is in no leaf`);
    if (made.has(c.serial)) fail(`duplicate cluster serial ${c.serial}`);
    if (c.serial >= s.nextSerial) fail(`cluster serial ${c.serial} ≥ nextSerial`);
    if (c.tokens.length !== at.length) fail(`cluster ${c.serial} has ${c.tokens.length} tokens, its leaf ${at.length}`);
    if (c.tokens.length > miner.options.maxTokens) fail(`cluster ${c.serial} exceeds maxTokens`);
    if (c.tokens.some((t) => t.length === 0)) fail(`cluster ${c.serial} has an empty token`);
    made.set(c.serial, miner.restore(c.serial, [...c.tokens], c.count, at.node));
  }
  if (leafOf.size !== made.size) fail('a leaf names a cluster that is not listed');
  for (const leaf of s.leaves) {
    const node = leafOf.get(leaf.clusters[0]!)!.node;
    for (const serial of leaf.clusters) node.clusters!.push(made.get(serial)!);
  }
  miner.nextSerial = s.nextSerial;
  return miner;
}
