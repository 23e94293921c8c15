import { Head, headAt } from './detect.ts';

/**
 * True when `line` (one line) starts with a header parseEvent recognises (a timestamp, `<PRI>`,
 * a WildFly JSON object, …): the joiner's test for the start of a new event.
 */
export function isHeaderLine(line: string): boolean {
  return headAt(line) !== Head.None;
}
