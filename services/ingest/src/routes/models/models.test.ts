/**
 * /models: list, get, activate (rollback), refusal of unknown and undecodable versions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, storeModel, type Harness } from '../../test-support/harness.ts';

const ADMIN = 'adm';
let h: Harness;
beforeAll(async () => {
  h = await startIngest({ ADMIN_TOKEN: ADMIN, INGEST_TOKENS: 'ing' });
  await storeModel(h.registry, 'v1');
  await storeModel(h.registry, 'v2', { activate: false });
});
afterAll(async () => {
  await h?.close();
});

const get = async (path: string) => {
  const res = await fetch(`${h.url}${path}`, { headers: { authorization: 'Bearer ing' } });
  return { status: res.status, json: (await res.json()) as any };
};
const activate = async (version: string, token = ADMIN) => {
  const res = await fetch(`${h.url}/models/${version}/activate`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, json: (await res.json()) as any };
};

describe('/models', () => {
  it('lists kept versions newest first with the active one marked', async () => {
    const { status, json } = await get('/models');
    expect(status).toBe(200);
    expect(json.active).toBe('v1');
    expect(json.models.map((m: any) => [m.version, m.active, m.status])).toEqual([
      ['v2', false, 'candidate'],
      ['v1', true, 'active'],
    ]);
    expect(json.models[0]).toMatchObject({ threshold: expect.any(Number), featureSet: { name: expect.any(String) } });
  });

  it('GET /models/:version; unknown → 404', async () => {
    expect((await get('/models/v2')).json).toMatchObject({ version: 'v2', active: false });
    expect((await get('/models/v99')).status).toBe(404);
    expect((await get('/models/latest')).json.error.code).toBe('model_not_found');
  });

  it('activates another version and rolls back; admin only', async () => {
    expect((await activate('v2', 'ing')).status).toBe(403);
    const up = await activate('v2');
    expect(up.status).toBe(200);
    expect(up.json).toMatchObject({ activated: 'v2', previous: 'v1', model: { version: 'v2', status: 'active' } });
    expect(await h.registry.activeVersion()).toBe('v2');
    const back = await activate('v1');
    expect(back.json).toMatchObject({ activated: 'v1', previous: 'v2' });
    expect(await h.registry.activeVersion()).toBe('v1');
  });

  it('unknown → 404; an undecodable blob → 422 and the active model stays', async () => {
    expect((await activate('v42')).status).toBe(404);
    await h.registry.store('v3', Buffer.from('definitely not a model'), {
      createdAt: new Date().toISOString(),
      trainedOn: { events: 1 },
      featureSet: { name: 'default', version: 1 },
      threshold: 0.5,
    });
    const res = await activate('v3');
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: 'model_unusable', message: expect.stringContaining('v3') });
    expect(await h.registry.activeVersion()).toBe('v1');
  });
});
