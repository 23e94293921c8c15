/**
 * The production image without Docker: tools/image-dry-run.sh builds the services and assembles
 * the runtime stage's /app folder (the Dockerfile runs the same script). The folder holds only
 * compiled JavaScript (no node_modules, TypeScript, tests, bench or tools), and the compiled
 * ingest and worker, run with plain `node` from that folder, take events in and score them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeModel, keys as keyNames, trainModel } from '@logforest/core';
import { artifactMeta, createModelRegistry } from '@logforest/runtime';
import { freePort } from '../setup/redis-server.ts';
import { testRedisUrl, uniquePrefix } from '../setup/redis.ts';
import { ROOT, eventually, spawnTs, waitForHttp, type Proc } from './proc.ts';

const dir = mkdtempSync(join(tmpdir(), 'lf-image-'));
const app = join(dir, 'app');
const procs: Proc[] = [];
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

function walk(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [`${e.name}/`, ...walk(join(d, e.name)).map((p) => `${e.name}/${p}`)] : [e.name]));
}

describe('image dry run (tools/image-dry-run.sh)', () => {
  const run = spawnSync('bash', [join(ROOT, 'tools/image-dry-run.sh'), app], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

  it('assembles compiled services only, and reports the size', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/each service loads without node_modules: ok/);
    const bytes = Number(/bytes\s+(\d+)/.exec(run.stdout)?.[1]);
    expect(bytes).toBeGreaterThan(1_000_000);
    expect(bytes).toBeLessThan(60 * 1024 * 1024);
    const files = walk(app);
    expect(files.filter((f) => /(^|\/)(node_modules|tests?|bench|tools)\/$/.test(f) || /\.ts$|\.test\./.test(f))).toEqual([]);
    for (const svc of ['ingest', 'worker', 'trainer']) expect(files).toContain(`services/${svc}/dist/main.js`);
    expect(existsSync(join(app, 'packages/ui/dist/index.html'))).toBe(existsSync(join(ROOT, 'packages/ui/dist/index.html')));
  });

  it('the compiled ingest and worker run from the folder with node: events in, scored', async () => {
    const prefix = uniquePrefix('image');
    const port = await freePort();
    const env = { REDIS_URL: testRedisUrl(), LOGFOREST_PREFIX: prefix, LOG_LEVEL: 'warn' };
    const ingest = spawnTs({ plainNode: true, cwd: app, entry: 'services/ingest/dist/main.js', env: { ...env, PORT: String(port), HOST: '127.0.0.1', FORWARD_PORT: '0' } });
    procs.push(ingest);
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, ingest);
    const lines = Array.from({ length: 300 }, (_, i) => `2024-05-06 10:15:${String(i % 60).padStart(2, '0')},123 INFO  [org.jboss.as.server] (main) WFLYSRV0025: started ${i % 7}`);
    const redis = new Redis(testRedisUrl());
    try {
      // A model in service before the worker starts, so the batch is scored (not held for a cold start).
      const registry = createModelRegistry({ redis, prefix });
      const artifact = trainModel(lines.map((line) => ({ line })), { version: 'v1' });
      await registry.store('v1', encodeModel(artifact), artifactMeta(artifact));
      await registry.activate('v1');
      const worker = spawnTs({ plainNode: true, cwd: app, entry: 'services/worker/dist/main.js', env });
      procs.push(worker);
      const res = await fetch(`http://127.0.0.1:${port}/ingest/jboss`, { method: 'POST', body: lines.join('\n'), headers: { 'content-type': 'text/plain' } });
      expect(res.status).toBe(202);
      const scored = await eventually('the compiled worker to score the batch', async () => {
        const n = Number((await redis.hget(keyNames(prefix).totals, 'records')) ?? 0);
        return n >= lines.length ? n : undefined;
      }, 30_000);
      expect(scored).toBe(lines.length);
    } finally {
      await redis.quit();
    }
    const hc = spawnSync(process.execPath, ['services/worker/dist/healthcheck.js'], { cwd: app, env: { PATH: process.env['PATH'], REDIS_URL: testRedisUrl() }, timeout: 10_000 });
    expect(hc.status).toBe(0);
    const down = spawnSync(process.execPath, ['services/worker/dist/healthcheck.js'], { cwd: app, env: { PATH: process.env['PATH'], REDIS_URL: `redis://127.0.0.1:${await freePort()}` }, timeout: 10_000 });
    expect(down.status).toBe(1);
  });
});
