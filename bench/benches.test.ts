/**
 * Smoke tests of the benchmarks: each bench runs on a tiny input (written by smoke-data.ts) and
 * prints its table. No speed is asserted here: speed is claimed by the benches' own output.
 * The scikit-learn / FastAPI peers are in compare.test.ts.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench, smokeDataDir, tableRows } from './smoke-support.ts';

const data = smokeDataDir();
afterAll(() => rmSync(data, { recursive: true, force: true }));

// Each bench is its own Node process; on a loaded 2-core box six of them at once take a while.
describe.concurrent('benchmarks run on a tiny input and print their table', { timeout: 120_000 }, () => {
  it('decode', async () => {
    const r = await runBench('decode.ts', ['40', '0.02']);
    expect(r.code, r.stderr).toBe(0);
    const rows = tableRows(r.stdout);
    expect(rows.map((x) => x[0])).toContain('NDJSON (Fluent Bit json_lines)');
    expect(rows.length).toBe(6);
    for (const row of rows) expect(Number((row[5] as string).replace(/,/g, ''))).toBeGreaterThan(0);
  });

  it('parse', async () => {
    const r = await runBench('parse.ts', ['--ms=20', `--data=${data}`]);
    expect(r.code, r.stderr).toBe(0);
    const rows = tableRows(r.stdout);
    expect(rows.map((x) => x[0]).sort()).toEqual(['Linux_2k.log', 'OpenSSH_2k.log', 'eap64_7uv_server.log.2016-04-24']);
    expect(rows.find((x) => x[0] === 'OpenSSH_2k.log')?.[1]).toBe('600');
  });

  it('templates', async () => {
    const r = await runBench('templates.ts', [join(data, 'loghub'), '--ms=20']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^200 Loghub messages from 1 files/);
    expect(r.stdout).toMatch(/add\(\) {3}fresh miner per pass: [\d,]+ msg\/s/);
    expect(r.stdout).toMatch(/one 1 MB token +add +[\d.]+ ms\/MB +match +[\d.]+ ms\/MB/);
  });

  it('pipeline', async () => {
    const r = await runBench('pipeline.ts', [data, '--lines=500', '--rounds=2'], {}, 110_000);
    expect(r.code, r.stderr).toBe(0);
    const rows = tableRows(r.stdout);
    // default and seed feature sets × the three files
    expect(rows.length).toBe(6);
    expect(rows.filter((x) => x[0] === 'seed').map((x) => x[1]).sort()).toEqual(['Linux_2k.log', 'OpenSSH_2k.log', 'eap64_7uv_server.log.2016-04-24']);
    for (const row of rows) expect(Number((row[4] as string).replace(/,/g, ''))).toBeGreaterThan(0);
    for (const row of rows) expect(Number((row[6] as string).replace(/,/g, ''))).toBeGreaterThan(0); // model bytes
    expect(r.stdout).toMatch(/\| eap64_7uv_server\.log\.2016-04-24 \| \d+\.\d\d \| \d+\.\d\d – \d+\.\d\d \| (yes|no) \|/);
    expect(r.stdout).toMatch(/\| none \(the process without models\) \| [\d.]+ MiB \| [\d.]+ MiB/);
    expect(r.stdout).toMatch(/\| default \| [\d.]+ MiB \| [\d.]+ MiB \| [\d.]+ MiB \|/);
  }, 120_000); // four processes (the bench and one memory child per set), each compiling with tsx

  it('forest', async () => {
    const r = await runBench('forest.ts', ['--rows=2000']);
    expect(r.code, r.stderr).toBe(0);
    const ops = tableRows(r.stdout).map((x) => `${x[0]} ${x[1]}`);
    expect(ops).toContain('2k×5 scoreSamples');
    expect(ops).toContain('2k×5 path-length sums, simd kernel (2k rows)');
    expect(ops).toContain('1 row scoreSample(row, offset)');
  });

  it('kernels (every variant must give the same sums, or the bench fails)', async () => {
    const r = await runBench('kernels.ts', ['--rows', '3000', '--rounds', '1']);
    expect(r.code, r.stderr).toBe(0);
    const names = tableRows(r.stdout).map((x) => x[0]);
    expect(names).toContain('js rank heap');
    expect(names.filter((n) => n?.startsWith('simd')).length).toBe(5);
  });
});
