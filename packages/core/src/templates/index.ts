/** Template mining: Drain-style streaming miner with built-in parameter masking. */
export { TemplateMiner } from './miner.ts';
export type { TemplateInfo, TemplateMatch } from './types.ts';
export type { MaskRule, MaskRuleState, ResolvedMinerOptions, TemplateMinerOptions } from './options.ts';
export { DEFAULT_MINER_OPTIONS } from './options.ts';
export { minerStateSchema, MINER_STATE_FORMAT, MINER_STATE_VERSION, type MinerState } from './state.ts';
export { fnv1a64 } from './fnv.ts';
export { WILDCARD } from './chars.ts';
