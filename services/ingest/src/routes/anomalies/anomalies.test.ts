/**
 * GET /anomalies pages the real anomalies stream newest-first, with server-side filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAnomaly } from '@logforest/runtime';
import { startIngest, type Harness } from '../../test-support/harness.ts';

let h: Harness;
const T = 1_714_564_800_000;

beforeAll(async () => {
  h = await startIngest();
  const stream = `${h.prefix}:anomalies`;
  for (let i = 0; i < 30; i++) {
    const verdict = {
      timestamp: new Date(T + i).toISOString(),
      log: `event ${i}`,
      anomaly_score: 0.7,
      is_anomaly: true,
      threshold: 0.6,
      model_version: 'v1',
      host: i % 3 === 0 ? 'db-1' : 'app-1',
      source: i % 2 === 0 ? '/a.log' : '/b.log',
    };
    await h.redis.xadd(stream, `${T + i * 1000}-0`, 'v', encodeAnomaly(verdict, { batchId: 'b', idx: i, receivedAt: T, scoredAt: T + i * 1000 }));
  }
  await h.redis.xadd(stream, `${T + 99_000}-0`, 'v', 'not json'); // skipped, never a 500
});
afterAll(async () => {
  await h?.close();
});

const get = async (query: string) => {
  const res = await fetch(`${h.url}/anomalies${query}`);
  return { status: res.status, json: (await res.json()) as any };
};

describe('GET /anomalies', () => {
  it('pages newest first with next_cursor until the end', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { status, json } = await get(`?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(status).toBe(200);
      seen.push(...json.items.map((i: any) => i.log));
      cursor = json.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => `event ${29 - i}`));
    const first = (await get('?limit=1')).json.items[0];
    expect(first).toMatchObject({ id: `${T + 29_000}-0`, log: 'event 29', anomaly_score: 0.7, batchId: 'b', scoredAt: T + 29_000 });
  });

  it('filters by host and source server-side, and by since/until', async () => {
    const db = (await get('?host=db-1&limit=100')).json;
    expect(db.items.map((i: any) => i.log)).toEqual([27, 24, 21, 18, 15, 12, 9, 6, 3, 0].map((i) => `event ${i}`));
    expect(db.next_cursor).toBeNull();
    const both = (await get('?host=db-1&source=/b.log&limit=2')).json;
    expect(both.items.map((i: any) => i.log)).toEqual(['event 27', 'event 21']);
    const next = (await get(`?host=db-1&source=/b.log&limit=2&cursor=${both.next_cursor}`)).json;
    expect(next.items.map((i: any) => i.log)).toEqual(['event 15', 'event 9']);
    const window = (await get(`?since=${new Date(T + 10_000).toISOString()}&until=${T + 12_000}`)).json;
    expect(window.items.map((i: any) => i.log)).toEqual(['event 12', 'event 11', 'event 10']);
  });

  it('refuses bad query parameters with 400', async () => {
    for (const q of ['?limit=0', '?limit=1001', '?limit=abc', '?cursor=xyz', '?since=yesterday']) {
      const { status, json } = await get(q);
      expect(status, q).toBe(400);
      expect(json.error.code).toBe('invalid_request');
    }
  });
});
