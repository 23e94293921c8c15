/**
 * /ui: the console's static build is served by ingest (redirect, index, hashed assets, 404 for a
 * missing asset), found from the source tree and from the bundle's place alike.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type Harness } from '../../test-support/harness.ts';
import { findUiDist } from './ui.ts';

const ROOT = resolve(import.meta.dirname, '../../../../..');
const DIST = join(ROOT, 'packages/ui/dist');
let h: Harness;
beforeAll(async () => {
  h = await startIngest({ INGEST_TOKENS: 'ing' });
});
afterAll(async () => {
  await h?.close();
});

describe('/ui', () => {
  it('finds packages/ui/dist from src/routes/ui and from services/ingest/dist', () => {
    expect(findUiDist(import.meta.dirname)).toBe(DIST);
    expect(findUiDist(join(ROOT, 'services/ingest/dist'))).toBe(DIST);
  });

  it('redirects /ui, serves the page and its assets without a token', async () => {
    const r = await fetch(`${h.url}/ui`, { redirect: 'manual' });
    expect(r.status).toBe(301);
    expect(r.headers.get('location')).toBe('/ui/');
    const page = await fetch(`${h.url}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    const asset = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)?.[1] as string;
    expect(readdirSync(join(DIST, 'assets'))).toContain(asset.split('/').pop());
    const js = await fetch(`${h.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${h.url}/ui/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe('not_found');
    expect((await fetch(`${h.url}/ui/`, { method: 'POST' })).status).toBe(405);
  });
});
