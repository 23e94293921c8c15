/**
 * The JBoss/WildFly file pattern after its timestamp: `LEVEL [category] (thread) message`
 * (`%d %-5p [%c] (%t) %s%e%n`, the default of server.log and of the EAP 6 console pattern).
 */
import { SPACE, cur, levelAt, skipBlanks } from './scan.ts';

/**
 * Index of the character closing the group opened at `i` (`[`…`]` or `(`…`)`), counting nested
 * groups of the same kind; -1 when the line ends first. One pass, no backtracking.
 */
export function closeGroup(s: string, i: number, open: number, close: number): number {
  let depth = 0;
  const n = s.length;
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c === open) depth++;
    else if (c === close && --depth === 0) return j;
  }
  return -1;
}

/** Positions read by {@link jbossFields}; valid right after a successful call. */
export const jb = {
  level: '',
  catStart: 0,
  catEnd: 0,
  threadStart: 0,
  threadEnd: 0,
  /** Index where the message starts (after `) `). */
  msg: 0,
};

/**
 * Reads `LEVEL [category] (thread) ` at `p` (just after the timestamp) into {@link jb}; false
 * when the text is not in that shape. Nested brackets/parentheses in the category or thread
 * (`(ProcessThread(sid:3 cport:-1):)`) are kept.
 */
export function jbossFields(line: string, p: number): boolean {
  const lv = levelAt(line, skipBlanks(line, p), false);
  if (lv === '') return false;
  const q = skipBlanks(line, cur.level);
  if (line.charCodeAt(q) !== 0x5b) return false;
  const ce = closeGroup(line, q, 0x5b, 0x5d);
  if (ce < 0 || line.charCodeAt(ce + 1) !== SPACE) return false;
  const r = ce + 2;
  if (line.charCodeAt(r) !== 0x28) return false;
  const te = closeGroup(line, r, 0x28, 0x29);
  if (te < 0) return false;
  jb.level = lv;
  jb.catStart = q + 1;
  jb.catEnd = ce;
  jb.threadStart = r + 1;
  jb.threadEnd = te;
  jb.msg = line.charCodeAt(te + 1) === SPACE ? te + 2 : te + 1;
  return true;
}
