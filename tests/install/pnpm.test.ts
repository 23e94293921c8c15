/**
 * The install works with the pnpm a stock machine has (9.15.9, Debian/CI) and with pnpm 10:
 * package.json's `engines` accept both, no `packageManager` field makes corepack or pnpm demand
 * another version, and the lockfile is in the format both read. Where pnpm is on PATH, it checks
 * the lockfile against the manifests for real (frozen, offline, in a copy: node_modules untouched).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const STOCK_PNPM = '9.15.9';

type Version = [number, number, number];
const parse = (v: string): Version => {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(v.trim());
  if (!m) throw new Error(`not a version: ${v}`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
};
const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/**
 * npm-style range check for the forms package.json uses: comparators (`>=`, `>`, `<=`, `<`, `=`)
 * joined by spaces (and) and `||` (or), and `^x.y.z` / `~x.y.z`. Anything else throws, so a
 * range this cannot read fails the test instead of passing it.
 */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alt) =>
    alt.trim().split(/\s+/).every((c) => {
      const m = /^(>=|<=|>|<|=|\^|~)?(\d+(?:\.\d+){0,2})$/.exec(c);
      if (!m) throw new Error(`unsupported range part "${c}" in "${range}"`);
      const [op, bound] = [m[1] ?? '=', parse(m[2]!)];
      const d = cmp(v, bound);
      if (op === '>=') return d >= 0;
      if (op === '>') return d > 0;
      if (op === '<=') return d <= 0;
      if (op === '<') return d < 0;
      if (op === '^') return d >= 0 && v[0] === bound[0];
      if (op === '~') return d >= 0 && v[0] === bound[0] && v[1] === bound[1];
      return d === 0;
    }),
  );
}

const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines?: Record<string, string>; packageManager?: string };
const manifests = execFileSync('git', ['ls-files', '-z', '--', 'package.json', '*/package.json'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f !== '' && !f.includes('node_modules'));

describe('install with pnpm 9.15.9 and pnpm 10', () => {
  it('the range check itself can say no', () => {
    expect(satisfies('9.15.9', '>=10')).toBe(false);
    expect(satisfies('11.0.0', '>=9.15 <11')).toBe(false);
    expect(satisfies('9.14.0', '>=9.15 <11')).toBe(false);
    expect(satisfies('10.2.0', '^9.15.9 || ^10')).toBe(true);
    expect(() => satisfies('9.15.9', '9.x')).toThrow(/unsupported/);
  });

  it(`engines.pnpm accepts ${STOCK_PNPM} and every 10.x; engines.node accepts this Node`, () => {
    const range = rootPkg.engines?.pnpm;
    expect(range, 'package.json engines.pnpm').toBeDefined();
    for (const v of [STOCK_PNPM, '9.15.0', '10.0.0', '10.12.4', '10.99.99']) expect(satisfies(v, range!), `pnpm ${v} vs "${range}"`).toBe(true);
    for (const f of manifests.filter((m) => m !== 'package.json')) {
      const pnpm = (JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as { engines?: { pnpm?: string } }).engines?.pnpm;
      if (pnpm !== undefined) expect(satisfies(STOCK_PNPM, pnpm), `${f} engines.pnpm`).toBe(true);
    }
    if (rootPkg.engines?.node) expect(satisfies(process.versions.node, rootPkg.engines.node)).toBe(true);
  });

  it('no packageManager field pins another pnpm (corepack and pnpm would refuse the stock one)', () => {
    for (const f of manifests) {
      const pm = (JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as { packageManager?: string }).packageManager;
      if (pm !== undefined) expect(pm, `${f} packageManager`).toMatch(/^pnpm@9\./);
    }
  });

  it('the lockfile is format 9.0, which pnpm 9 and pnpm 10 both read and write', () => {
    const head = readFileSync(join(ROOT, 'pnpm-lock.yaml'), 'utf8').split('\n', 1)[0];
    expect(head).toBe("lockfileVersion: '9.0'");
  });

  const pnpmVersion = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  it.skipIf(pnpmVersion.status !== 0)('pnpm on PATH accepts the manifests and the frozen lockfile (offline, in a copy)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logforest-pnpm-'));
    try {
      for (const f of [...manifests, 'pnpm-lock.yaml', 'pnpm-workspace.yaml']) cpSync(join(ROOT, f), join(dir, f));
      const run = spawnSync('pnpm', ['install', '--frozen-lockfile', '--offline', '--lockfile-only', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CI: 'true' } });
      const out = `${run.stdout}\n${run.stderr}`;
      expect(out, out).not.toMatch(/ERR_PNPM|ELIFECYCLE/);
      expect(run.status, out).toBe(0);
      expect(out).toContain(`using pnpm v${pnpmVersion.stdout.trim()}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});

