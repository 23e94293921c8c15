/**
 * Smoke tests of the side-by-side benches (bench:compare, bench:compare-analyze): each runs on a
 * tiny input and prints its table with both systems. They need Debian's Python stack
 * (python3-sklearn; python3-fastapi, python3-uvicorn, python3-pandas for the reference service)
 * and redis-server; when something is missing the test is skipped and its title says what. What
 * the benches do without Python is tested either way: a clear message and exit code 2.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench, smokeDataDir, tableRows } from './smoke-support.ts';

const PYTHON = '/usr/bin/python3';

/** Why `modules` cannot be used with PYTHON ('' when they can). */
function missing(modules: string[]): string {
  const r = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} is not there (${r.error.message})`;
  if (r.status !== 0) return `${PYTHON} cannot import ${modules.join(', ')}: ${r.stderr.trim().split('\n').pop() ?? ''}`;
  return '';
}
const noSklearn = missing(['sklearn', 'numpy']);
const noReference = missing(['sklearn', 'fastapi', 'uvicorn', 'pandas']) || (spawnSync('redis-server', ['--version']).status === 0 ? '' : 'no redis-server');
const skipped = (why: string) => (why ? ` (SKIPPED: ${why})` : '');

const data = smokeDataDir();
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe.concurrent('side-by-side benches', { timeout: 180_000 }, () => {
  it.skipIf(noSklearn !== '')(`bench:compare runs scikit-learn beside the forest on a tiny input${skipped(noSklearn)}`, async () => {
    const r = await runBench('compare.ts', ['--sizes', '3000', '--runs', '1', '--calls', '50'], {}, 170_000);
    expect(r.code, r.stderr).toBe(0);
    const rows = tableRows(r.stdout);
    expect(rows.map((x) => x[0])).toEqual([
      'fit 3k×5, contamination 0.01',
      'fit 3k×5, contamination auto',
      'score 3k×5 (rows/s)',
      'single row, score_samples(1 row) (µs/call)',
    ]);
    for (const row of rows) expect(row[3]).toMatch(/^[\d,.]+×$/);
    expect(r.stdout).toMatch(/load average [\d.]+ [\d.]+ [\d.]+ → /);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('forest/scikit-learn score 100kx5: n/a (no 100k size in this run)');
  });

  it.skipIf(noReference !== '')(`bench:compare-analyze runs the reference service beside /analyze on a tiny input${skipped(noReference)}`, async () => {
    const r = await runBench('compare-analyze.ts', ['--sizes', '1,10', '--seconds', '0.1', '--warmup', '0.1', '--rounds', '1', '--sets', 'seed'], { LOGFOREST_DATA: join(data, 'loghub') }, 170_000);
    expect(r.code, r.stderr).toBe(0);
    const rows = tableRows(r.stdout);
    expect(rows.map((x) => `${x[0]} ${x[1]}`)).toEqual(['seed 1', 'seed 10']);
    for (const row of rows) {
      expect(Number((row[2] as string).replace(/,/g, ''))).toBeGreaterThan(0);
      expect(Number((row[4] as string).replace(/,/g, ''))).toBeGreaterThan(0);
      expect(row[6]).toMatch(/^[\d,.]+×$/);
    }
  });

  it('without Python both benches say what is missing and exit with 2', async () => {
    const [a, b] = await Promise.all([
      runBench('compare.ts', ['--python', '/nonexistent/python3', '--sizes', '1000']),
      runBench('compare-analyze.ts', ['--python', '/nonexistent/python3', '--sizes', '1'], { LOGFOREST_DATA: join(data, 'loghub') }),
    ]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('bench:compare needs /nonexistent/python3 with scikit-learn and numpy (Debian: apt-get install python3-sklearn)');
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('this benchmark needs /nonexistent/python3');
    expect(b.stderr).toContain('python3-sklearn');
  });
});
