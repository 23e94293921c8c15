import { encodeModel, trainModel, type ModelArtifact } from '@logforest/core';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../../../tests/setup/redis.ts';
import { createModelRegistry, type ModelRegistry } from '../registry/registry.ts';
import { artifactMeta } from '../registry/artifact-meta.ts';
import { createModelCache, ModelUnavailableError, type ModelCache } from './model-cache.ts';
import { anomalousEvents, normalLines } from './testing/lines.ts';

const logger = pino({ level: 'silent' });
const records = (lines: string[]) => lines.map((line) => ({ line }));

let v1: ModelArtifact;
let v2: ModelArtifact;
beforeAll(() => {
  v1 = trainModel(records(normalLines(400, 1)), { version: 'v1' });
  v2 = trainModel(records(normalLines(400, 2)), { version: 'v2', contamination: 0.05 });
});

async function until(cond: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const metaOf = (a: ModelArtifact) => artifactMeta(a);

describe('model cache', () => {
  let redis: Redis;
  let prefix: string;
  let registry: ModelRegistry;
  let cache: ModelCache | undefined;

  beforeEach(() => {
    redis = new Redis(testRedisUrl());
    prefix = uniquePrefix('cache');
    registry = createModelRegistry({ redis, prefix });
  });
  afterEach(async () => {
    await cache?.close();
    cache = undefined;
    await redis.quit();
  });

  async function storeAndActivate(a: ModelArtifact, blob: Buffer = encodeModel(a)): Promise<void> {
    await registry.store(a.version, blob, metaOf(a));
    await registry.activate(a.version);
  }

  it('serves the active model, swaps to v2 on activation without restart, and rolls back to v1', async () => {
    await storeAndActivate(v1);
    await registry.store('v2', encodeModel(v2), metaOf(v2));
    cache = await createModelCache({ redis, prefix, logger, pollIntervalMs: 0 }); // pub/sub only
    expect(cache.version).toBe('v1');
    const swaps: Array<[string, string | undefined]> = [];
    cache.onSwap((s, prev) => swaps.push([s.version, prev]));

    const inHand = cache.current()!;
    await registry.activate('v2');
    await until(() => cache!.version === 'v2');
    expect(inHand.version).toBe('v1'); // a batch holding the old scorer finishes with it
    const verdicts = cache.current()!.score(records([...normalLines(5, 9), ...anomalousEvents()]));
    expect(verdicts.every((v) => v.model_version === 'v2')).toBe(true);

    await registry.activate('v1');
    await until(() => cache!.version === 'v1');
    expect(swaps).toEqual([
      ['v2', 'v1'],
      ['v1', 'v2'],
    ]);
  });

  it('refuses a corrupt, a foreign and an unknown-feature-set artifact, keeping v1 in service', async () => {
    await storeAndActivate(v1);
    cache = await createModelCache({ redis, prefix, logger, pollIntervalMs: 0 });
    const refusedSeen: string[] = [];

    const corrupt = Buffer.from(encodeModel({ ...v2 }));
    corrupt[corrupt.length - 10] = corrupt[corrupt.length - 10]! ^ 0xff;
    await storeAndActivate(v2, corrupt);
    await until(() => cache!.refused.has('v2'));
    refusedSeen.push(cache.refused.get('v2')!);

    await storeAndActivate({ ...v2, version: 'v3' }, Buffer.from('{"not":"a model"}'));
    await until(() => cache!.refused.has('v3'));

    const future = { ...v2, version: 'v4', featureSet: { ...v2.featureSet, version: 99 } };
    await storeAndActivate(future, encodeModel(future));
    await until(() => cache!.refused.has('v4'));

    expect(await registry.activeVersion()).toBe('v4');
    expect(cache.version).toBe('v1');
    expect(cache.current()!.score(records(normalLines(3)))[0]?.model_version).toBe('v1');
    expect(refusedSeen[0]).toMatch(/checksum|corrupt/i);
    expect(cache.refused.get('v4')).toMatch(/feature/i);

    // A good version activated afterwards is taken.
    await storeAndActivate({ ...v2, version: 'v5' });
    await until(() => cache!.version === 'v5');
  });

  it('picks up an activation whose message it missed, by re-checking the pointer', async () => {
    await registry.store('v1', encodeModel(v1), metaOf(v1));
    cache = await createModelCache({ redis, prefix, logger, pollIntervalMs: 50 });
    expect(cache.current()).toBeUndefined();
    await redis.set(registry.keys.active, 'v1'); // no PUBLISH
    await until(() => cache!.version === 'v1', 2000);
  });

  it('waitForModel resolves on the first activation and times out without one', async () => {
    cache = await createModelCache({ redis, prefix, logger, pollIntervalMs: 0 });
    await expect(cache.waitForModel(50)).rejects.toBeInstanceOf(ModelUnavailableError);
    const waiting = cache.waitForModel(3000);
    await storeAndActivate(v1);
    expect((await waiting).version).toBe('v1');
  });
});
