/**
 * Model safety (fast subset of tools/faults/scenarios/model.ts): every unusable artifact kind is
 * refused by decodeModel, new Scorer, the worker's ModelCache (published as active) and
 * POST /models/:version/activate, with the previous model still serving; the CLI's --model refuses
 * each with exit code 2 and a clear message (in-process for every kind, one real process).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel, type ModelArtifact, Scorer } from '../../packages/core/src/index.ts';
import { syntheticJboss } from '../../packages/core/src/testing/synthetic.ts';
import { CliError } from '../../packages/cli/src/input.ts';
import { run } from '../../packages/cli/src/main.ts';
import { startIngest, type Harness } from '../../services/ingest/src/test-support/harness.ts';
import { metaOf, openCacheSite, siteActivate, siteCache, siteCli, siteDecode, siteScorer, type CacheSite } from '../../tools/faults/fuzz/model-sites.ts';
import { badArtifacts, goodModels, type BadArtifact } from '../../tools/faults/fuzz/models.ts';
import { testRedisUrl, uniquePrefix } from '../setup/redis.ts';

const ADMIN = 'admin-model-test';
let v1: ModelArtifact;
let cases: Array<{ version: string; bad: BadArtifact }>;
let redis: Redis;
let cacheSite: CacheSite;
let h: Harness;
let dir: string;
let logFile: string;

beforeAll(async () => {
  const g = goodModels();
  v1 = g.v1;
  const n = badArtifacts(g.v2, g.seed, 'v10').length;
  cases = Array.from({ length: n }, (_, i) => ({ version: `v${10 + i}`, bad: badArtifacts(g.v2, g.seed, `v${10 + i}`)[i]! }));
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  cacheSite = await openCacheSite(redis, uniquePrefix('model-cache'), v1);
  h = await startIngest({ ADMIN_TOKEN: ADMIN, INGEST_TOKENS: 'ingest-model-test' });
  await h.registry.store('v1', encodeModel(v1), metaOf(v1));
  await h.registry.activate('v1');
  h.models.scorer = new Scorer(v1);
  dir = mkdtempSync(join(tmpdir(), 'logforest-model-test-'));
  logFile = join(dir, 'server.log');
  writeFileSync(logFile, `${syntheticJboss(40, 3, 1).lines.join('\n')}\n`);
});
afterAll(async () => {
  await cacheSite?.close();
  await h?.close();
  redis?.disconnect();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('every bad artifact kind is refused everywhere', () => {
  it('covers the kinds the issue lists', () => {
    const kinds = cases.map((c) => c.bad.kind).join('\n');
    for (const k of [/corrupt/, /truncated/, /foreign format/, /foreign container version/, /unknown name/, /other version/, /5 features/, /schema: /]) expect(kinds).toMatch(k);
  });

  it('decodeModel and new Scorer refuse each, for the right reason', () => {
    for (const { bad } of cases) {
      const d = siteDecode(bad);
      expect(d.refused, bad.kind).toBe(true);
      expect(d.detail, bad.kind).toMatch(bad.expect);
      expect(siteScorer(bad).refused, bad.kind).toBe(true);
    }
  });

  it('the worker ModelCache refuses each published version, reports it, and v1 keeps serving', async () => {
    for (const { version, bad } of cases) {
      const r = await siteCache(cacheSite, bad, version, v1);
      expect(r, bad.kind).toMatchObject({ refused: true, previousServes: true });
    }
    expect(cacheSite.refusals.map(([v]) => v)).toEqual(cases.map((c) => c.version));
    expect(await cacheSite.registry.activeVersion()).toBe(cases.at(-1)?.version); // the pointer moved; the cache did not
    expect(cacheSite.cache.version).toBe('v1');
  });

  it('POST /models/:version/activate answers 422 and leaves the active pointer', async () => {
    for (const { version, bad } of cases) {
      const r = await siteActivate(h, ADMIN, bad, version, v1);
      expect(r, `${bad.kind}: ${r.detail}`).toMatchObject({ refused: true, previousServes: true });
    }
    expect(await h.registry.activeVersion()).toBe('v1');
  });

  it('the CLI refuses each --model with exit code 2 and a message naming the file', () => {
    for (const { version, bad } of cases) {
      const file = join(dir, `${version}.lfm`);
      writeFileSync(file, bad.blob);
      let err: unknown;
      try {
        run(['score', logFile, '--model', file]);
      } catch (e) {
        err = e;
      }
      expect(err, bad.kind).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode, bad.kind).toBe(2);
      expect((err as Error).message, bad.kind).toMatch(new RegExp(`^'${file}' is not a usable model: `));
    }
  });

  it('as a real process too (one kind), while a good model scores', () => {
    const corrupt = cases[0]!.bad;
    expect(siteCli(corrupt, dir, logFile, 'corrupt')).toMatchObject({ refused: true });
    const good = siteCli({ kind: 'good', expect: /./, blob: encodeModel(v1) }, dir, logFile, 'good');
    expect(good.detail).toMatch(/^exit 0/);
  }, 60_000);
});
