/**
 * Syslog bodies: RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD…] MSG`), RFC 3164
 * (`[<PRI>]Mmm dd HH:mm:ss host tag[pid]: msg`) and the seed's `ISO host component[pid]: message`.
 */
import type { ParsedEvent } from '../types.ts';
import { iso, isoAt } from './iso.ts';
import { SPACE, SYSLOG_LEVELS, isDigit, skipBlanks, tokenEnd } from './scan.ts';

/** Result slots of {@link tagToken}. */
const tag = { nameEnd: 0, pid: -1 };

/**
 * Is `line[s, e)` a syslog tag, `name:` or `name[pid]:`? Fills `tag` when it is.
 */
function tagToken(line: string, s: number, e: number): boolean {
  if (e - s < 2 || line.charCodeAt(e - 1) !== 0x3a) return false;
  let ne = e - 1;
  let pid = -1;
  if (line.charCodeAt(ne - 1) === 0x5d) {
    let j = ne - 2;
    let v = 0;
    let mul = 1;
    while (j > s && isDigit(line.charCodeAt(j)) && mul < 1e10) {
      v += (line.charCodeAt(j) - 0x30) * mul;
      mul *= 10;
      j--;
    }
    if (j > s && mul > 1 && line.charCodeAt(j) === 0x5b) {
      pid = v;
      ne = j;
    }
  }
  tag.nameEnd = ne;
  tag.pid = pid;
  return true;
}

/**
 * Reads `host tag[pid]: message` at `p` into ev (host, component, pid, message). With
 * `hostOptional`, a first token shaped like a tag is taken as the tag (no host: local syslog).
 * Returns whether a tag was found; when not, only `ev.host` (first token) and `ev.message`
 * (the rest) are set.
 */
export function hostTagMessage(ev: ParsedEvent, line: string, p: number, hostOptional: boolean): boolean {
  p = skipBlanks(line, p);
  const e = tokenEnd(line, p);
  if (hostOptional && tagToken(line, p, e)) {
    ev.component = line.slice(p, tag.nameEnd);
    ev.pid = tag.pid;
    ev.message = line.slice(skipBlanks(line, e));
    return true;
  }
  if (e > p) ev.host = line.slice(p, e);
  const q = skipBlanks(line, e);
  const f = tokenEnd(line, q);
  if (tagToken(line, q, f)) {
    ev.component = line.slice(q, tag.nameEnd);
    ev.pid = tag.pid;
    ev.message = line.slice(skipBlanks(line, f));
    return true;
  }
  ev.message = line.slice(q);
  return false;
}

/**
 * Seed layout after its ISO timestamp: `host component[pid]: message` (or `component[pid]:` with no
 * host). Returns false and leaves ev untouched when there is no tag.
 */
export function seedBody(ev: ParsedEvent, line: string, p: number): boolean {
  p = skipBlanks(line, p);
  const e = tokenEnd(line, p);
  if (tagToken(line, p, e)) {
    ev.component = line.slice(p, tag.nameEnd);
    ev.pid = tag.pid;
    ev.message = line.slice(skipBlanks(line, e));
    return true;
  }
  const q = skipBlanks(line, e);
  const f = tokenEnd(line, q);
  if (e === p || !tagToken(line, q, f)) return false;
  ev.host = line.slice(p, e);
  ev.component = line.slice(q, tag.nameEnd);
  ev.pid = tag.pid;
  ev.message = line.slice(skipBlanks(line, f));
  return true;
}

/** A 5424 header field at `p`: returns its end; '-' (nil) yields an empty field. */
function field(line: string, p: number): number {
  return tokenEnd(line, p);
}

/** End of RFC 5424 structured data starting at `p` (`-` or `[…]…`); quoted values and `\]` escapes honoured. */
function sdEnd(line: string, p: number): number {
  if (line.charCodeAt(p) !== 0x5b) return tokenEnd(line, p);
  const n = line.length;
  let j = p;
  while (j < n && line.charCodeAt(j) === 0x5b) {
    let quoted = false;
    j++;
    for (; j < n; j++) {
      const c = line.charCodeAt(j);
      if (c === 0x5c) j++; // escape: skip next
      else if (c === 0x22) quoted = !quoted;
      else if (c === 0x5d && !quoted) break;
    }
    j++;
  }
  return Math.min(j, n);
}

/**
 * RFC 5424 after `<PRI>1 ` (at `p`). Sets ev.wall/ts when the timestamp is not nil. Lenient:
 * a malformed remainder ends up in `message`.
 */
export function rfc5424Body(ev: ParsedEvent, line: string, p: number): void {
  ev.format = 'rfc5424';
  if (line.charCodeAt(p) === 0x2d) p++;
  else {
    const w = isoAt(line, p);
    if (!Number.isNaN(w)) {
      ev.wall = w;
      ev.ts = w - iso.offset;
      p = iso.end;
    } else p = tokenEnd(line, p);
  }
  // HOST APP PROCID MSGID
  let s = skipBlanks(line, p);
  let e = field(line, s);
  if (e - s !== 1 || line.charCodeAt(s) !== 0x2d) ev.host = line.slice(s, e);
  s = skipBlanks(line, e);
  e = field(line, s);
  if (e - s !== 1 || line.charCodeAt(s) !== 0x2d) ev.component = line.slice(s, e);
  s = skipBlanks(line, e);
  e = field(line, s);
  let pid = 0;
  let k = s;
  for (; k < e && k - s < 10 && isDigit(line.charCodeAt(k)); k++) pid = pid * 10 + line.charCodeAt(k) - 0x30;
  if (k === e && e > s) ev.pid = pid;
  s = skipBlanks(line, e);
  e = field(line, s); // MSGID, not kept
  s = skipBlanks(line, e);
  e = sdEnd(line, s);
  let m = e < line.length && line.charCodeAt(e) === SPACE ? e + 1 : e;
  if (line.charCodeAt(m) === 0xfeff) m++;
  ev.message = line.slice(m);
}

/** Level name of a PRI value. */
export function priLevel(pri: number): string {
  return SYSLOG_LEVELS[pri & 7] as string;
}
