/**
 * Smoke test of `pnpm bench:wait` (bench/wait.ts): one short round per mode and shape on a real
 * 3 + 3 Redis Cluster; it must print both modes for both shapes and the ratio lines. No speed is
 * asserted here: the figures are the bench's own output (RELIABILITY.md).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runBench, tableRows } from './smoke-support.ts';

const hasCluster = ['redis-server', 'redis-cli'].every((b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status === 0);

describe.skipIf(!hasCluster)('bench:wait', () => {
  it('prints WAIT 0 and WAIT 1 for both shapes, with the ratio of each', async () => {
    const r = await runBench('wait.ts', ['--rounds', '1', '--seconds', '0.3', '--large', '200', '--concurrency', '2'], {}, 150_000);
    expect(r.code, r.stderr).toBe(0);
    const rows = tableRows(r.stdout);
    expect(rows.map((x) => `${x[0]} | ${x[1]}`)).toEqual([
      '1 client × 100 events/request | REDIS_WAIT_REPLICAS=0',
      '1 client × 100 events/request | REDIS_WAIT_REPLICAS=1',
      '2 clients × 200 events/request | REDIS_WAIT_REPLICAS=0',
      '2 clients × 200 events/request | REDIS_WAIT_REPLICAS=1',
    ]);
    for (const row of rows) expect(Number((row[2] as string).split(' ')[0]?.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(r.stdout.match(/WAIT 1 \/ WAIT 0 throughput \d+\.\d\d×/g)).toHaveLength(2);
    expect(r.stdout).toMatch(/load average before \/ after: /);
  }, 180_000);
});
