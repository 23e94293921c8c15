import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../../../tests/setup/redis.ts';
import { ModelActiveError, ModelExistsError, ModelNotFoundError } from './errors.ts';
import { createModelRegistry, type ModelRegistry, type StoreMeta } from './registry.ts';

const meta = (events = 100): StoreMeta => ({
  createdAt: new Date().toISOString(),
  trainedOn: { events },
  featureSet: { name: 'default', version: 1 },
  threshold: 0.6,
  validation: { passed: true, reasons: [], flagRate: 0.01, holdoutEvents: 20 },
});

describe('model registry', () => {
  let redis: Redis;
  let prefix: string;
  let reg: ModelRegistry;

  beforeEach(() => {
    redis = new Redis(testRedisUrl());
    prefix = uniquePrefix('reg');
    reg = createModelRegistry({ redis, prefix, retain: 3 });
  });
  afterEach(async () => {
    await redis.quit();
  });

  async function storeNext(blob = Buffer.from('blob')): Promise<string> {
    const v = await reg.nextVersion();
    await reg.store(v, blob, meta());
    return v;
  }

  it('hands out increasing versions and stores blob + metadata', async () => {
    expect(await reg.nextVersion()).toBe('v1');
    const blob = Buffer.from([0, 1, 2, 255]);
    const stored = await reg.store('v1', blob, meta(42));
    expect(stored).toMatchObject({ version: 'v1', status: 'candidate', bytes: 4, trainedOn: { events: 42 } });
    expect(await reg.getBlob('v1')).toEqual(blob);
    expect(await reg.getMeta('v1')).toMatchObject({ status: 'candidate', validation: { holdoutEvents: 20 } });
    expect(await reg.nextVersion()).toBe('v2');
    expect(await reg.activeVersion()).toBeUndefined();
    expect(await reg.getBlob('v9')).toBeUndefined();
    expect(await reg.getMeta('v9')).toBeUndefined();
  });

  it('never overwrites a stored version', async () => {
    await reg.store('v1', Buffer.from('a'), meta());
    await expect(reg.store('v1', Buffer.from('b'), meta())).rejects.toBeInstanceOf(ModelExistsError);
    expect((await reg.getBlob('v1'))?.toString()).toBe('a');
  });

  it('activates atomically, flips the previous active to inactive, and rolls back', async () => {
    const v1 = await storeNext();
    const v2 = await storeNext();
    const m1 = await reg.activate(v1);
    expect(m1).toMatchObject({ status: 'active' });
    expect(m1.activatedAt).toBeDefined();
    expect(await reg.activeVersion()).toBe('v1');

    await reg.activate(v2);
    expect(await reg.activeVersion()).toBe('v2');
    expect((await reg.getMeta(v1))?.status).toBe('inactive');
    expect((await reg.getMeta(v2))?.status).toBe('active');

    await reg.activate(v1); // rollback
    expect(await reg.activeVersion()).toBe('v1');
    expect((await reg.getMeta(v1))?.status).toBe('active');
    expect((await reg.getMeta(v2))?.status).toBe('inactive');
  });

  it('refuses to activate a version that is not stored', async () => {
    await expect(reg.activate('v7')).rejects.toBeInstanceOf(ModelNotFoundError);
    expect(await reg.activeVersion()).toBeUndefined();
  });

  it('publishes the version on the activated channel after the pointer is set', async () => {
    const sub = new Redis(testRedisUrl());
    try {
      const seen: Array<{ msg: string; active: string | null }> = [];
      const got = new Promise<void>((resolve) => {
        sub.on('message', (_ch: string, msg: string) => {
          void redis.get(reg.keys.active).then((active) => {
            seen.push({ msg, active });
            if (seen.length === 2) resolve();
          });
        });
      });
      await sub.subscribe(reg.keys.activated);
      const v1 = await storeNext();
      const v2 = await storeNext();
      await reg.activate(v1);
      await reg.activate(v2);
      await got;
      expect(seen.map((s) => s.msg)).toEqual(['v1', 'v2']);
      expect(seen[0]?.active).not.toBeNull();
    } finally {
      sub.disconnect();
    }
  });

  it('lists newest first and keeps rejected versions with their reasons', async () => {
    const v1 = await storeNext();
    const v2 = await storeNext();
    await reg.activate(v1);
    const r = await reg.reject(v2, ['flag rate 0.2 above 0.05']);
    expect(r).toMatchObject({ status: 'rejected', reasons: ['flag rate 0.2 above 0.05'] });
    const list = await reg.list();
    expect(list.map((m) => [m.version, m.status])).toEqual([
      ['v2', 'rejected'],
      ['v1', 'active'],
    ]);
    await expect(reg.reject(v1, ['no'])).rejects.toBeInstanceOf(ModelActiveError);
    await expect(reg.reject('v9', ['no'])).rejects.toBeInstanceOf(ModelNotFoundError);
  });

  it('keeps the newest K versions and never deletes the active one', async () => {
    const v1 = await storeNext();
    await reg.activate(v1);
    for (let i = 0; i < 5; i++) await storeNext(); // v2..v6
    const versions = (await reg.list()).map((m) => m.version);
    expect(versions).toEqual(['v6', 'v5', 'v4', 'v1']);
    expect(await reg.getBlob('v2')).toBeUndefined();
    expect(await reg.getMeta('v3')).toBeUndefined();
    expect(await reg.getBlob('v1')).toBeDefined();
    await expect(reg.activate('v2')).rejects.toBeInstanceOf(ModelNotFoundError);

    await reg.activate('v6');
    await reg.prune();
    expect((await reg.list()).map((m) => m.version)).toEqual(['v6', 'v5', 'v4']);
  });

  it('concurrent activations leave exactly one active version', async () => {
    const vs = [await storeNext(), await storeNext(), await storeNext()];
    await Promise.all(vs.map((v) => reg.activate(v)));
    const list = await reg.list();
    const active = list.filter((m) => m.status === 'active');
    expect(active).toHaveLength(1);
    expect(active[0]?.version).toBe(await reg.activeVersion());
  });
});
