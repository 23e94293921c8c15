/**
 * Catastrophic-backtracking hunt over every regular-expression literal in the shipped code
 * (packages/core, packages/runtime, packages/cli, services — tests excluded), found with the
 * TypeScript scanner. For each regexp, inputs `prefix + pump×N + suffix` are built from its own
 * characters (plus class representatives; prefixes of one or two tokens); all combinations are
 * screened at 4 KB, and the slowest is then timed at growing sizes to see how its cost grows.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface RegexLiteral {
  where: string;
  source: string;
  flags: string;
}

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ROOTS = ['packages/core/src', 'packages/runtime/src', 'packages/cli/src', 'services'];

function* sources(dir: string): Generator<string> {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) {
      if (f !== 'node_modules' && f !== 'fixtures' && f !== 'test-support') yield* sources(p);
    } else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) yield p;
  }
}

/** Every regexp literal of the shipped sources. */
export function regexLiterals(): RegexLiteral[] {
  const out: RegexLiteral[] = [];
  for (const root of ROOTS) {
    for (const file of sources(join(ROOT, root))) {
      const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
          const text = node.getText(sf);
          const slash = text.lastIndexOf('/');
          out.push({ where: `${relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`, source: text.slice(1, slash), flags: text.slice(slash + 1) });
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
  }
  return out;
}

/** Characters worth pumping: the literal ones of the source and representatives of its classes. */
export function alphabet(source: string): string[] {
  const set = new Set<string>();
  if (/\\s|\\S/.test(source)) set.add(' ').add('\t');
  if (/\\d|0-9/.test(source)) set.add('0');
  if (/\\w|a-z/.test(source)) set.add('a');
  if (/A-Z/.test(source)) set.add('A');
  for (const ch of source.replace(/\\[dDwWsSbB]|[A-Za-z0-9]-[A-Za-z0-9]|\\x[0-9a-f]{2}/g, '')) {
    if (!'^$*+?()[]{}|\\'.includes(ch)) set.add(ch);
  }
  set.add('a').add(' ');
  return [...set].slice(0, 14);
}

function timeOnce(re: RegExp, s: string): number {
  re.lastIndex = 0;
  const t0 = performance.now();
  re.test(s);
  return performance.now() - t0;
}

export interface RegexResult extends RegexLiteral {
  combos: number;
  /** The slowest input family, `prefix + pump×N + suffix`. */
  worst: string;
  /** [size in bytes, ms] of the worst family at growing sizes. */
  points: Array<[number, number]>;
  /** Cost growth when the input grows 4× (last two points). */
  ratio: number;
}

/**
 * Screen one regexp, then grow its worst family up to `maxBytes` (stopping once a run passes 2 s).
 * `quick` screens fewer families (single-character pumps, a few prefixes) for the fast test.
 */
export function probeRegex(lit: RegexLiteral, maxBytes: number, quick = false): RegexResult {
  const re = new RegExp(lit.source, lit.flags);
  const abc = alphabet(lit.source).slice(0, quick ? 8 : 14);
  const lead = /^\^?([^\\^$*+?()[\]{}|.]*)/.exec(lit.source)?.[1] ?? '';
  // Two tokens around a separator too (`a a`, `0:0`): what `^(\S+)\s+(.+?)\s*$`-like patterns need
  // before a pumped run to backtrack over it.
  const seps = abc.filter((c) => !/[A-Za-z0-9]/.test(c));
  const twoTokens = ['a', '0', 'A'].flatMap((x) => seps.map((y) => `${x}${y}${x}`));
  const prefixes = ['', lead, ...abc, ...twoTokens];
  const suffixes = ['\u0000', '\n', ...abc];
  const pumps = quick ? abc : [...abc, ...abc.flatMap((a, i) => abc.slice(i + 1, i + 4).map((b) => a + b))];
  let worst = { t: -1, p: '', u: 'a', s: '' };
  let combos = 0;
  for (const p of prefixes) {
    for (const u of pumps) {
      for (const s of suffixes) {
        combos++;
        const t = timeOnce(re, p + u.repeat(Math.ceil(4096 / u.length)) + s);
        if (t > worst.t) worst = { t, p, u, s };
      }
    }
  }
  const build = (n: number) => worst.p + worst.u.repeat(Math.ceil(n / worst.u.length)) + worst.s;
  const points: Array<[number, number]> = [];
  for (let n = 4096; n <= maxBytes; n *= 4) {
    const s = build(n);
    let t = timeOnce(re, s);
    if (t < 100) t = Math.min(t, timeOnce(re, s), timeOnce(re, s));
    points.push([n, t]);
    const prev = points.at(-2)?.[1];
    // Stop once the run is long, or the growth is already plainly super-linear.
    if (t > 2000 || (prev !== undefined && t > 50 && t / Math.max(prev, 0.05) > 8)) break;
  }
  const [a, b] = [points.at(-2), points.at(-1)];
  return { ...lit, combos, worst: `${JSON.stringify(worst.p)} + ${JSON.stringify(worst.u)}×N + ${JSON.stringify(worst.s)}`, points, ratio: a && b ? b[1] / Math.max(a[1], 1e-3) : 1 };
}
