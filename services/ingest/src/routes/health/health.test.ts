/**
 * Probes and metrics, plus the generic error paths of the app (404, 405, 413, 500).
 */
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelRegistry } from '@logforest/runtime';
import { startIngest, storeModel, type Harness } from '../../test-support/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('probes and metrics', () => {
  it('healthz is up; readyz needs Redis and a model; metrics counts ingested events', async () => {
    h = await startIngest();
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${h.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: 'not_ready', reasons: ['no model is active yet'], checks: { redis: 'ok', model: null } });
    h.models.scorer = await storeModel(h.registry, 'v1');
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: 'ok', model: 'v1' } });

    await fetch(`${h.url}/ingest`, { method: 'POST', body: 'a\nb\nc', headers: { 'content-type': 'text/plain' } });
    await fetch(`${h.url}/ingest`, { method: 'POST', body: '[', headers: { 'content-type': 'application/json' } });
    const metrics = await fetch(`${h.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toMatch(/logforest_ingest_events_enqueued_total\{surface="ingest",service="ingest"\} 3/);
    expect(text).toMatch(/logforest_ingest_requests_rejected_total\{surface="ingest",reason="bad_request",service="ingest"\} 1/);
    expect(text).toMatch(/logforest_queue_jobs\{queue="score",state="waiting",service="ingest"\} 1/);
    expect(text).toMatch(/logforest_http_request_duration_seconds_count\{service="ingest",route="ingest",method="POST",status="202"\} 1/);
  });
});

describe('error paths', () => {
  it('unknown route 404 JSON; wrong method 405 with Allow', async () => {
    h = await startIngest({ ES_PATH_PREFIX: '/es' });
    const res = await fetch(`${h.url}/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error).toEqual({ code: 'not_found', message: 'no route for GET /nope' });
    const wrong = await fetch(`${h.url}/analyze`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('body over MAX_BODY_BYTES → 413 (declared or streamed); gzip bomb over MAX_DECOMPRESSED_BYTES → 413', async () => {
    h = await startIngest({ MAX_BODY_BYTES: '1KiB', MAX_DECOMPRESSED_BYTES: '64KiB' });
    const big = await fetch(`${h.url}/ingest`, { method: 'POST', body: 'x'.repeat(2048), headers: { 'content-type': 'text/plain' } });
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).error.code).toBe('body_too_large');
    // Chunked upload (no Content-Length): counted while streaming.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 8; i++) c.enqueue(new TextEncoder().encode('y'.repeat(512)));
        c.close();
      },
    });
    const chunked = await fetch(`${h.url}/ingest`, { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'text/plain' } } as RequestInit);
    expect(chunked.status).toBe(413);
    // A much larger body is drained, so the client reads the 413 instead of a connection reset.
    const huge = await fetch(`${h.url}/_bulk`, { method: 'POST', body: Buffer.alloc(8 * 1024 * 1024, 0x20), headers: { 'content-type': 'application/x-ndjson' } });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('x-elastic-product')).toBe('Elasticsearch');
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x61));
    expect(bomb.length).toBeLessThan(1024 * 12);
    const h2 = await startIngest({ MAX_DECOMPRESSED_BYTES: '64KiB' });
    try {
      const res = await fetch(`${h2.url}/ingest`, { method: 'POST', body: bomb, headers: { 'content-encoding': 'gzip' } });
      expect(res.status).toBe(413);
      expect(((await res.json()) as any).error.code).toBe('body_too_large');
      expect(await h2.scoreJobs()).toHaveLength(0);
    } finally {
      await h2.close();
    }
  });

  it('an unexpected failure → 500 with a generic message, no details leaked', async () => {
    const failing = { list: async () => Promise.reject(new Error('secret internals: password=hunter2')), activeVersion: async () => undefined };
    h = await startIngest({}, { overrides: { registry: failing as unknown as ModelRegistry } });
    const res = await fetch(`${h.url}/models`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe('internal');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('at ');
  });
});
