/**
 * Options of the template miner, their defaults, and their validated, compiled form.
 */

/** An extra masking rule, applied to every token before the built-in masks. */
export interface MaskRule {
  /**
   * Pattern matched against each whitespace-separated token (not the whole message, so a rule
   * cannot span a space). A string is compiled with the `g` flag; a RegExp gains `g` if it lacks it.
   * Tokens are at most {@link TemplateMinerOptions.maxTokenLength} characters, which bounds the
   * cost of a rule per token; still, avoid patterns with catastrophic backtracking.
   */
  pattern: string | RegExp;
  /** Replacement text (`$1`-style references allowed). @defaultValue `'<*>'` */
  replacement?: string;
}

/** Options of {@link TemplateMiner}. Every field is optional; defaults are listed per field. */
export interface TemplateMinerOptions {
  /**
   * Depth of the prefix tree counted as in the Drain paper: root, token-count level, then
   * `depth - 2` levels keyed by the leading tokens, then the leaf. Minimum 3.
   * @defaultValue 4 (route on the token count and the first two tokens)
   */
  depth?: number;
  /**
   * Similarity a message needs to join a cluster, in (0, 1]. Similarity is the share of positions
   * where the message's masked token equals the template's token; a `<*>` in the template equals
   * only a masked (`<*>`) token in the message, so a generalised position is no evidence either way
   * for a new constant. The default was chosen on the Loghub 2k samples (docs/template-accuracy.md).
   * @defaultValue 0.75
   */
  simThreshold?: number;
  /**
   * Maximum number of distinct constant-token children of an inner tree node. Further tokens
   * at that node share its single wildcard (`<*>`) child.
   * @defaultValue 100
   */
  maxChildren?: number;
  /**
   * Maximum number of clusters kept. When a new cluster would exceed it, one is evicted: among
   * the {@link TemplateMinerOptions.evictionSample} least recently used clusters, the one with the
   * fewest messages (ties: the least recently used). Bounds memory on unbounded input.
   * @defaultValue 20000
   */
  maxClusters?: number;
  /**
   * How many least-recently-used clusters are considered when evicting (see `maxClusters`).
   * 1 gives plain LRU.
   * @defaultValue 8
   */
  evictionSample?: number;
  /**
   * Maximum number of whitespace-separated tokens read from a message. When more follow, the last
   * kept token becomes `<*>` (standing for the rest) and the rest of the message is not looked at,
   * so the cost per message and the template size are bounded whatever the message length.
   * @defaultValue 128
   */
  maxTokens?: number;
  /**
   * Maximum length of a token in UTF-16 code units. A longer token (including a quoted value) is
   * masked as `<*>` whatever it holds.
   * @defaultValue 256
   */
  maxTokenLength?: number;
  /** Extra masking rules, tried in order on each token before the built-in masks. @defaultValue [] */
  extraMasks?: MaskRule[];
}

/** A mask rule in serialisable form (as stored by `toJSON()`). */
export interface MaskRuleState {
  source: string;
  flags: string;
  replacement: string;
}

/** Fully resolved options (all defaults applied). Serialisable. */
export interface ResolvedMinerOptions {
  depth: number;
  simThreshold: number;
  maxChildren: number;
  maxClusters: number;
  evictionSample: number;
  maxTokens: number;
  maxTokenLength: number;
  extraMasks: MaskRuleState[];
}

/** Compiled extra rule used by the tokenizer. */
export interface CompiledMask {
  re: RegExp;
  replacement: string;
}

export const DEFAULT_MINER_OPTIONS: Readonly<Omit<ResolvedMinerOptions, 'extraMasks'>> = Object.freeze({
  depth: 4,
  simThreshold: 0.75,
  maxChildren: 100,
  maxClusters: 20_000,
  evictionSample: 8,
  maxTokens: 128,
  maxTokenLength: 256,
});

function intIn(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`TemplateMiner option ${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
  return v;
}

/** Apply defaults and check ranges. Throws RangeError / SyntaxError on bad values. */
export function resolveMinerOptions(o: TemplateMinerOptions = {}): ResolvedMinerOptions {
  const d = DEFAULT_MINER_OPTIONS;
  const sim = o.simThreshold ?? d.simThreshold;
  if (!(typeof sim === 'number' && sim > 0 && sim <= 1)) {
    throw new RangeError(`TemplateMiner option simThreshold must be in (0, 1], got ${String(sim)}`);
  }
  const extraMasks = (o.extraMasks ?? []).map((r): MaskRuleState => {
    const re = typeof r.pattern === 'string' ? new RegExp(r.pattern, 'g') : r.pattern;
    const flags = re.flags.includes('g') ? re.flags : `${re.flags}g`;
    return { source: re.source, flags, replacement: r.replacement ?? '<*>' };
  });
  const resolved: ResolvedMinerOptions = {
    depth: intIn('depth', o.depth ?? d.depth, 3, 16),
    simThreshold: sim,
    maxChildren: intIn('maxChildren', o.maxChildren ?? d.maxChildren, 1, 1_000_000),
    maxClusters: intIn('maxClusters', o.maxClusters ?? d.maxClusters, 1, 100_000_000),
    evictionSample: intIn('evictionSample', o.evictionSample ?? d.evictionSample, 1, 1024),
    maxTokens: intIn('maxTokens', o.maxTokens ?? d.maxTokens, 1, 100_000),
    maxTokenLength: intIn('maxTokenLength', o.maxTokenLength ?? d.maxTokenLength, 8, 1_000_000),
    extraMasks,
  };
  compileMasks(resolved.extraMasks); // throws early on a bad pattern
  return resolved;
}

export function compileMasks(rules: readonly MaskRuleState[]): CompiledMask[] {
  return rules.map((r) => ({ re: new RegExp(r.source, r.flags.includes('g') ? r.flags : `${r.flags}g`), replacement: r.replacement }));
}
