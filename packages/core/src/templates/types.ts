/** Public result types of the template miner. */

/** The template a message belongs to. */
export interface TemplateMatch {
  /** 16 hex digits: FNV-1a 64 of `template`. Stable across processes; changes when the template generalises. */
  readonly id: string;
  /** Template text: masked tokens joined by single spaces, `<*>` for variable parts. */
  readonly template: string;
  /** True when add() created a new cluster for this message. Always false from match(). */
  readonly isNew: boolean;
  /** Serial number of the cluster; unlike `id` it survives generalisation (and toJSON/fromJSON). */
  readonly cluster: number;
  /** Set by add() when this message generalised the cluster: the id it had before. */
  readonly previousId?: string;
}

/** One learned template, as listed by `templates()`. */
export interface TemplateInfo {
  id: string;
  template: string;
  /** Messages add() assigned to it. */
  count: number;
}
