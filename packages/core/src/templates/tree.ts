/**
 * The fixed-depth prefix tree of the Drain algorithm: token count → first tokens → leaf, where a
 * leaf holds the clusters those messages are compared with. Tokens that are `<*>` after masking,
 * and tokens met when a node already has `maxChildren` constant children, go to the node's single
 * wildcard child. Nodes left empty by eviction are pruned, so the tree stays O(clusters × depth).
 */
import { WILDCARD } from './chars.ts';
import type { TemplateMatch } from './types.ts';

/** One template cluster. Internal: exposed through TemplateMatch / templates(). */
export interface Cluster {
  /** Serial number, unique within a miner (and kept by toJSON/fromJSON); never changes. */
  serial: number;
  /** Template tokens; `<*>` where messages of the cluster differ. */
  tokens: string[];
  /** Tokens joined with single spaces. */
  template: string;
  /** fnv1a64(template). */
  id: string;
  /** Messages absorbed by add(). */
  count: number;
  /** The leaf that holds the cluster. */
  leaf: TreeNode;
  /** Cached match() result for the current template. */
  view: TemplateMatch | null;
  /** LRU list links (least recent at the head). */
  prev: Cluster | null;
  next: Cluster | null;
}

export interface TreeNode {
  parent: TreeNode | null;
  /** Key in the parent: a token, `<*>` for the wildcard child, the token count for a top node. */
  key: string;
  children: Map<string, TreeNode> | null;
  wild: TreeNode | null;
  /** Clusters, on leaves only. */
  clusters: Cluster[] | null;
}

function node(parent: TreeNode | null, key: string, leaf: boolean): TreeNode {
  return { parent, key, children: leaf ? null : new Map(), wild: null, clusters: leaf ? [] : null };
}

export class PrefixTree {
  /** Top nodes by token count. */
  readonly roots = new Map<number, TreeNode>();

  constructor(
    /** Number of leading tokens routed on (depth − 2). */
    readonly prefixTokens: number,
    readonly maxChildren: number,
  ) {}

  /** Routed path length for a message of `n` tokens. */
  pathLength(n: number): number {
    return n < this.prefixTokens ? n : this.prefixTokens;
  }

  /** The leaf a message routes to, or undefined. Read-only. */
  find(tokens: readonly string[], n: number): TreeNode | undefined {
    let cur = this.roots.get(n);
    const p = this.pathLength(n);
    for (let k = 0; k < p && cur !== undefined; k++) {
      const t = tokens[k]!;
      const next: TreeNode | null | undefined = t === WILDCARD ? cur.wild : (cur.children!.get(t) ?? cur.wild);
      cur = next ?? undefined;
    }
    return cur;
  }

  /** The leaf where a new cluster for these tokens goes, creating nodes as needed. */
  leafFor(tokens: readonly string[], n: number): TreeNode {
    const p = this.pathLength(n);
    let cur = this.roots.get(n);
    if (cur === undefined) {
      cur = node(null, String(n), p === 0);
      this.roots.set(n, cur);
    }
    for (let k = 0; k < p; k++) cur = this.child(cur, tokens[k]!, k === p - 1);
    return cur;
  }

  private child(cur: TreeNode, t: string, leaf: boolean): TreeNode {
    const children = cur.children!;
    if (t !== WILDCARD) {
      const hit = children.get(t);
      if (hit !== undefined) return hit;
      if (children.size < this.maxChildren) {
        const made = node(cur, t, leaf);
        children.set(t, made);
        return made;
      }
    }
    return cur.wild ?? (cur.wild = node(cur, WILDCARD, leaf));
  }

  /**
   * Create (or reuse) the exact node path `path` under token count `length`, as stored by toJSON.
   * Throws when the path has the wrong length or would exceed `maxChildren`.
   */
  ensurePath(length: number, path: readonly string[]): TreeNode {
    const p = this.pathLength(length);
    if (path.length !== p) throw new Error(`leaf path for ${length} tokens must have ${p} tokens, got ${path.length}`);
    let cur: TreeNode | undefined = this.roots.get(length);
    if (cur === undefined) {
      cur = node(null, String(length), p === 0);
      this.roots.set(length, cur);
    }
    for (let k = 0; k < p; k++) {
      const t: string = path[k]!;
      const leaf = k === p - 1;
      if (t === WILDCARD) {
        cur = cur.wild ?? (cur.wild = node(cur, WILDCARD, leaf));
        continue;
      }
      const children: Map<string, TreeNode> = cur.children!;
      let next: TreeNode | undefined = children.get(t);
      if (next === undefined) {
        if (children.size >= this.maxChildren) throw new Error(`tree node exceeds maxChildren (${this.maxChildren})`);
        next = node(cur, t, leaf);
        children.set(t, next);
      }
      cur = next;
    }
    return cur;
  }

  /** Remove a cluster from its leaf and prune nodes left empty. */
  remove(c: Cluster): void {
    const list = c.leaf.clusters!;
    const at = list.indexOf(c);
    if (at >= 0) list.splice(at, 1);
    let cur: TreeNode | null = c.leaf;
    while (cur !== null && isEmpty(cur)) {
      const parent: TreeNode | null = cur.parent;
      if (parent === null) this.roots.delete(Number(cur.key));
      else if (parent.wild === cur) parent.wild = null;
      else parent.children!.delete(cur.key);
      cur = parent;
    }
  }

  /** Every leaf with its path (token count, then routed tokens; `<*>` for wildcard children). */
  *leaves(): Generator<{ length: number; path: string[]; node: TreeNode }> {
    for (const [length, root] of this.roots) {
      const stack: Array<[TreeNode, string[]]> = [[root, []]];
      while (stack.length > 0) {
        const [cur, path] = stack.pop()!;
        if (cur.clusters !== null) {
          yield { length, path, node: cur };
          continue;
        }
        if (cur.wild) stack.push([cur.wild, [...path, WILDCARD]]);
        for (const [k, ch] of cur.children!) stack.push([ch, [...path, k]]);
      }
    }
  }
}

function isEmpty(n: TreeNode): boolean {
  return n.clusters !== null ? n.clusters.length === 0 : n.children!.size === 0 && n.wild === null;
}
