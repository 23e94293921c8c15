/**
 * `pnpm bench:e2e` runs end to end on a tiny input: the compiled services start, every phase
 * posts its few hundred lines, and every acknowledged line is written by the worker. No speed is
 * asserted (benchmarks claim speed, tests do not).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anomalousEvents, normalLines } from '../packages/runtime/src/model-cache/testing/lines.ts';
import { ROOT } from '../tests/stack/proc.ts';
import type { Report } from './lib/e2e-report.ts';

const dir = mkdtempSync(join(tmpdir(), 'lf-e2e-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string>, script = 'bench/e2e.ts'): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('bench:e2e', () => {
  it('runs every phase on 300 lines with 1 worker, and counts what it posted', async () => {
    // Lines the project writes itself; the stack traces make records ≠ events (multi-line joining).
    const lines = [...normalLines(400, 5), ...anomalousEvents()].join('\n').split('\n');
    writeFileSync(join(dir, 'smoke-server.log'), `${lines.join('\n')}\n`);
    const json = join(dir, 'report.json');
    const { code, out } = await run(
      ['--workers', '1', '--batch', '100', '--concurrency', '2', '--max-lines', '300', '--phases', 'plain,gzip,half', '--skip-analyze', '--json', json],
      { LOGFOREST_DATA: dir },
    );
    expect(code, out.slice(-3000)).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.phases.map((p) => p.phase)).toEqual(['plain', 'gzip', 'half']);
    for (const p of report.phases) {
      expect(p.accepted).toBe(300);
      expect(p.records).toBe(300);
      expect(p.lost).toBe(0);
      expect(p.events).toBeGreaterThan(0);
      expect(p.events).toBeLessThanOrEqual(300);
      expect(p.redisCallsPerLine).toBeGreaterThan(0);
      expect(p.cpuMsPer1k['worker-1']).toBeGreaterThan(0);
    }
    expect(report.peakRss['worker-1']).toBeGreaterThan(0);
    expect(report.peakRss['ingest-1']).toBeGreaterThan(0);
    expect(report.redisKeys.some(([kind]) => kind === 'sample')).toBe(true);
    expect(out).toMatch(/\| plain \|/);
  }, 240_000);

  it('bench:worker-memory drains a tiny backlog per config and prints one row per run', async () => {
    const lines = normalLines(300, 9);
    writeFileSync(join(dir, 'wm-server.log'), `${lines.join('\n')}\n`);
    const { code, out } = await run(
      ['--jobs', '4', '--batch', '100', '--rounds', '1', '--config', 'shipped=', '--config', 'v8=WORKER_HEAP_GROWING_PERCENT=0'],
      { LOGFOREST_DATA: dir },
      'bench/worker-memory.ts',
    );
    expect(code, out.slice(-3000)).toBe(0);
    const rows = out.split('\n').filter((l) => /^\| (shipped|v8) \| 1 \|/.test(l));
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(Number(r.split('|')[4]?.trim())).toBeGreaterThan(0); // peak RSS MiB
  }, 240_000);
});
