/**
 * Streaming Drain-style template miner (He et al., "Drain: An Online Log Parsing Approach with
 * Fixed Depth Tree", ICWS 2017), written for logforest.
 *
 * add() masks and tokenises a message, routes it down a prefix tree (token count, then the first
 * `depth - 2` tokens), and compares it with the clusters of that leaf. The most similar cluster
 * at or above `simThreshold` absorbs it (positions that differ become `<*>`); otherwise a new
 * cluster starts. match() does the same lookup without changing anything.
 *
 * Template ids are fnv1a64(template text): the same template has the same id in every process and
 * across runs. When add() generalises a cluster (a token becomes `<*>`) its template text — and
 * so its id — changes; add() then reports the old id as `previousId`. The usual flow is to learn
 * on a sample with add(), then freeze the miner (stop calling add, or ship toJSON() to another
 * process) and use match(), which is deterministic for a given state. Two clusters that end up with
 * the same text share the id; templates() merges them.
 */
import { WILDCARD } from './chars.ts';
import { fnv1a64 } from './fnv.ts';
import { compileMasks, resolveMinerOptions, type ResolvedMinerOptions, type TemplateMinerOptions } from './options.ts';
import { exportState, importState, type MinerState } from './state.ts';
import { DATE_WORDS, tokenize, type TokenizerConfig } from './tokenize.ts';
import { Vocabulary } from './vocab.ts';
import { PrefixTree, type Cluster, type TreeNode } from './tree.ts';
import type { TemplateInfo, TemplateMatch } from './types.ts';

export type { TemplateInfo, TemplateMatch } from './types.ts';

export class TemplateMiner {
  readonly options: Readonly<ResolvedMinerOptions>;
  /** @internal */ readonly tree: PrefixTree;
  /** @internal Clusters by serial. */ readonly clusters = new Map<number, Cluster>();
  /** @internal */ nextSerial = 1;
  private readonly cfg: TokenizerConfig;
  private readonly vocab: Vocabulary;
  private readonly scratch: string[] = [];
  private readonly idRefs = new Map<string, number>();
  private head: Cluster | null = null;
  private tail: Cluster | null = null;

  constructor(options: TemplateMinerOptions = {}) {
    this.options = Object.freeze(resolveMinerOptions(options));
    const o = this.options;
    this.tree = new PrefixTree(o.depth - 2, o.maxChildren);
    this.vocab = new Vocabulary([WILDCARD, ...DATE_WORDS]);
    this.cfg = { maxTokens: o.maxTokens, maxTokenLength: o.maxTokenLength, extraMasks: compileMasks(o.extraMasks), vocab: this.vocab };
  }

  /** Number of distinct templates (clusters with identical text count once). */
  get size(): number {
    return this.idRefs.size;
  }

  /** Number of clusters (≤ maxClusters). */
  get clusterCount(): number {
    return this.clusters.size;
  }

  /** Learn from one message and return its template. */
  add(message: string): TemplateMatch {
    const toks = this.scratch;
    const n = tokenize(message, this.cfg, toks, true);
    const c = this.best(toks, n);
    if (c === undefined) return this.create(toks, n);
    c.count++;
    this.touch(c);
    const t = c.tokens;
    let changed = false;
    for (let i = 0; i < n; i++) {
      if (t[i] !== WILDCARD && t[i] !== toks[i]) {
        this.vocab.unref(t[i]!);
        t[i] = WILDCARD;
        changed = true;
      }
    }
    if (!changed) return this.view(c);
    const previousId = c.id;
    this.retext(c);
    return { id: c.id, template: c.template, isNew: false, cluster: c.serial, previousId };
  }

  /**
   * The template of the most similar learned cluster (the one add() would choose), or undefined
   * when no cluster reaches `simThreshold`. Learns nothing and changes no state (not even recency),
   * so results depend only on the learned state. Returns a shared, frozen object per cluster.
   */
  match(message: string): TemplateMatch | undefined {
    const n = tokenize(message, this.cfg, this.scratch, false);
    const c = this.best(this.scratch, n);
    return c === undefined ? undefined : this.view(c);
  }

  /** Masked tokens of a message, as add() and match() see them (for inspection and tests). */
  tokens(message: string): string[] {
    const n = tokenize(message, this.cfg, this.scratch, true);
    return this.scratch.slice(0, n);
  }

  /** Learned templates, by first creation; clusters with identical text are merged. */
  templates(): TemplateInfo[] {
    const byId = new Map<string, TemplateInfo>();
    const ordered = [...this.clusters.values()].sort((a, b) => a.serial - b.serial);
    for (const c of ordered) {
      const seen = byId.get(c.id);
      if (seen) seen.count += c.count;
      else byId.set(c.id, { id: c.id, template: c.template, count: c.count });
    }
    return [...byId.values()];
  }

  /** Serialisable state (plain JSON data). fromJSON(toJSON()) matches identically. */
  toJSON(): MinerState {
    const lru: Cluster[] = [];
    for (let c = this.head; c !== null; c = c.next) lru.push(c);
    return exportState(this, lru);
  }

  /** Rebuild a miner from toJSON() output; validates the input (throws on malformed state). */
  static fromJSON(state: unknown): TemplateMiner {
    return importState(state, (options) => new TemplateMiner(options));
  }

  /** @internal Used by fromJSON: create a cluster at the LRU tail (the caller puts it in its leaf). */
  restore(serial: number, tokens: string[], count: number, leaf: TreeNode): Cluster {
    return this.newCluster(serial, tokens, count, leaf);
  }

  private best(toks: readonly string[], n: number): Cluster | undefined {
    const leaf = this.tree.find(toks, n);
    if (leaf === undefined) return undefined;
    const list = leaf.clusters!;
    const need = this.options.simThreshold * n - 1e-9;
    let best: Cluster | undefined;
    let bestEq = -1;
    for (let j = 0; j < list.length; j++) {
      const c = list[j]!;
      const t = c.tokens;
      let eq = 0;
      for (let i = 0; i < n; i++) if (t[i] === toks[i]) eq++;
      if (eq < need) continue;
      if (eq > bestEq) {
        if (eq === n) return c; // identical tokens: no cluster can do better
        best = c;
        bestEq = eq;
      }
    }
    return best;
  }

  private create(toks: readonly string[], n: number): TemplateMatch {
    while (this.clusters.size >= this.options.maxClusters) this.evict();
    const leaf = this.tree.leafFor(toks, n);
    const c = this.newCluster(this.nextSerial++, toks.slice(0, n), 1, leaf);
    leaf.clusters!.push(c);
    return { id: c.id, template: c.template, isNew: true, cluster: c.serial };
  }

  private newCluster(serial: number, tokens: string[], count: number, leaf: TreeNode): Cluster {
    for (let i = 0; i < tokens.length; i++) if (tokens[i] !== WILDCARD) tokens[i] = this.vocab.ref(tokens[i]!);
    const template = tokens.join(' ');
    const c: Cluster = { serial, tokens, template, id: fnv1a64(template), count, leaf, view: null, prev: this.tail, next: null };
    if (this.tail) this.tail.next = c;
    else this.head = c;
    this.tail = c;
    this.clusters.set(serial, c);
    this.idRefs.set(c.id, (this.idRefs.get(c.id) ?? 0) + 1);
    return c;
  }

  private retext(c: Cluster): void {
    this.unref(c.id);
    c.template = c.tokens.join(' ');
    c.id = fnv1a64(c.template);
    this.idRefs.set(c.id, (this.idRefs.get(c.id) ?? 0) + 1);
    c.view = null;
  }

  private unref(id: string): void {
    const left = (this.idRefs.get(id) ?? 1) - 1;
    if (left > 0) this.idRefs.set(id, left);
    else this.idRefs.delete(id);
  }

  private view(c: Cluster): TemplateMatch {
    return (c.view ??= Object.freeze({ id: c.id, template: c.template, isNew: false, cluster: c.serial }));
  }

  /** Move to the most-recent end of the LRU list. */
  private touch(c: Cluster): void {
    if (this.tail === c) return;
    this.unlink(c);
    c.prev = this.tail;
    c.next = null;
    this.tail!.next = c;
    this.tail = c;
  }

  private unlink(c: Cluster): void {
    if (c.prev) c.prev.next = c.next;
    else this.head = c.next;
    if (c.next) c.next.prev = c.prev;
    else this.tail = c.prev;
  }

  /** Evict the least-used of the `evictionSample` least recently used clusters. */
  private evict(): void {
    let victim = this.head!;
    let c: Cluster | null = victim.next;
    for (let k = 1; k < this.options.evictionSample && c !== null; k++, c = c.next) {
      if (c.count < victim.count) victim = c;
    }
    this.unlink(victim);
    this.tree.remove(victim);
    for (const t of victim.tokens) if (t !== WILDCARD) this.vocab.unref(t);
    this.clusters.delete(victim.serial);
    this.unref(victim.id);
  }
}
