/**
 * No tracked markdown file points outside the repository: a clone has no `../shared/…` (the
 * development machine's data and notes folder), so the docs must not send a reader there, and
 * every relative link must land on a file of the clone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Mentions of the session folder beside the clone, in prose, code or links. */
const OUTSIDE = /(?:\.\.\/)+shared\b|\/work\/shared\b|(?<![\w./-])shared\/(?:data|fixtures|reference|DESIGN)/;

/** `[text](target)` link targets (images included), without a `#fragment` or title. */
function linkTargets(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1]!);
  return out;
}

/** Problems of one markdown text at `file` (repo-relative). */
function problems(file: string, text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (OUTSIDE.test(line)) out.push(`${file}:${i + 1}: names a folder outside the repository: ${line.trim().slice(0, 120)}`);
  });
  for (const target of linkTargets(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue; // http:, mailto:, in-page
    const path = decodeURI(target.split('#')[0]!);
    const abs = resolve(ROOT, dirname(file), path);
    const rel = relative(ROOT, abs);
    if (rel.startsWith('..')) out.push(`${file}: link leaves the repository: ${target}`);
    else if (!existsSync(abs)) out.push(`${file}: link to a missing file: ${target}`);
  }
  return out;
}

describe('markdown stays inside the repository', () => {
  it('the checker catches what it should (it can fail)', () => {
    expect(problems('README.md', 'Design contract: `../shared/DESIGN.md`.')).toHaveLength(1);
    expect(problems('docs/x.md', 'see [design](../../shared/DESIGN.md)')).toHaveLength(2);
    expect(problems('README.md', 'data in `/work/shared/data/loghub`')).toHaveLength(1);
    expect(problems('README.md', 'rules in `shared/fixtures/sklearn/README.md`')).toHaveLength(1);
    expect(problems('README.md', '[gone](docs/no-such-file.md)')).toEqual(['README.md: link to a missing file: docs/no-such-file.md']);
    expect(problems('README.md', '[ok](docs/design.md#evaluation-data) [web](https://example.org/a) [here](#api) packages/runtime shared I/O')).toEqual([]);
  });

  it('no tracked markdown file links or points outside the repository', () => {
    const files = execFileSync('git', ['ls-files', '-z', '--', '*.md'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    expect(files).toContain('README.md');
    expect(files).toContain('docs/design.md');
    const found = files.flatMap((f) => (existsSync(join(ROOT, f)) ? problems(f, readFileSync(join(ROOT, f), 'utf8')) : []));
    expect(found).toEqual([]);
  });
});
