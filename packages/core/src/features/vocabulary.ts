/**
 * What a model learns about its training events besides the forest: how often each
 * template and each component (syslog app / JBoss category) occurred. Rarity features
 * read it; it is stored in the model artifact and frozen at scoring time.
 */

export interface Vocabulary {
  /** Events the counts were taken from. */
  total: number;
  /** Template id → events with that template. */
  templates: Map<string, number>;
  /** Component / category → events from it. */
  components: Map<string, number>;
}

/** Most components kept; rarer ones beyond this count as unseen (bounded artifact size). */
export const MAX_COMPONENTS = 20_000;

export function emptyVocabulary(): Vocabulary {
  return { total: 0, templates: new Map(), components: new Map() };
}

export function countInto(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Keep the `max` most frequent entries. */
export function capCounts(map: Map<string, number>, max: number): Map<string, number> {
  if (map.size <= max) return map;
  return new Map([...map].sort((a, b) => b[1] - a[1]).slice(0, max));
}

/**
 * Rarity of a key seen `count` times among `total` events: log2((total + 1) / (count + 1)).
 * 0 for a key every event has; grows by one for each halving of frequency; an unseen key
 * gets the largest value, log2(total + 1).
 */
export function rarity(count: number, total: number): number {
  return Math.log2((total + 1) / (count + 1));
}
