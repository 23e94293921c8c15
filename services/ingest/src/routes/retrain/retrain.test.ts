/**
 * POST /retrain queues a valid train job (admin only); GET /retrain/:id follows it to its result.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, trainJobSchema } from '@logforest/core';
import { startIngest, type Harness } from '../../test-support/harness.ts';
import { jbossLines } from '../../test-support/lines.ts';

const ADMIN = 'the-admin';
let h: Harness;
beforeAll(async () => {
  h = await startIngest({ ADMIN_TOKEN: ADMIN, INGEST_TOKENS: 'ing' });
});
afterAll(async () => {
  await h?.close();
});

const retrain = (body: string, headers: Record<string, string> = {}, query = '') =>
  fetch(`${h.url}/retrain${query}`, { method: 'POST', body, headers: { authorization: `Bearer ${ADMIN}`, ...headers } });

async function trainJob(id: string) {
  const job = await h.trainQueue.getJob(id);
  return trainJobSchema.parse(job?.data);
}

describe('POST /retrain', () => {
  it('with {"logs": [...]}: 202, job_id, status_url, the lines in a valid train job', async () => {
    const lines = jbossLines(5);
    const res = await retrain(JSON.stringify({ logs: lines }), { 'content-type': 'application/json' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as any;
    expect(body.status_url).toBe(`/retrain/${body.job_id}`);
    expect(res.headers.get('location')).toBe(body.status_url);
    const job = await trainJob(body.job_id);
    expect(job).toMatchObject({ v: 1, reason: 'request', activate: true, lines });
  });

  it('with an empty body: trains on the sample (no lines); activate=false is kept', async () => {
    const res = await retrain('', {}, '?activate=false');
    expect(res.status).toBe(202);
    const job = await trainJob(((await res.json()) as any).job_id);
    expect(job.lines).toBeUndefined();
    expect(job.activate).toBe(false);
  });

  it('with NDJSON / text bodies in any ingest format', async () => {
    const res = await retrain(jbossLines(3).join('\n'), { 'content-type': 'text/plain' });
    expect((await trainJob(((await res.json()) as any).job_id)).lines).toEqual(jbossLines(3));
  });

  it('refuses ingest tokens (403), bad bodies (400)', async () => {
    expect((await retrain('', { authorization: 'Bearer ing' })).status).toBe(403);
    expect((await retrain('{"logs": "not a list"}', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await retrain('', {}, '?activate=perhaps')).status).toBe(400);
  });

  it('GET /retrain/:id follows the job to the trainer result; unknown ids are 404', async () => {
    const res = await retrain('');
    const { job_id: id, status_url: statusUrl } = (await res.json()) as any;
    const status = async () => (await fetch(`${h.url}${statusUrl}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json() as Promise<any>;
    expect(await status()).toMatchObject({ id, state: 'waiting' });

    // A stand-in trainer answering the documented result shape.
    const connection = new Redis(h.config.REDIS_URL, { maxRetriesPerRequest: null });
    const result = { version: 'v7', status: 'active', validation: { passed: true, reasons: [] } };
    const worker = new Worker(QUEUES.train, async () => result, { connection, prefix: h.prefix });
    try {
      let s: any;
      for (let i = 0; i < 100; i++) {
        s = await status();
        if (s.state === 'completed') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(s).toEqual({ id, state: 'completed', result });
    } finally {
      await worker.close();
      await connection.quit();
    }
    const missing = await fetch(`${h.url}/retrain/r-nope`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe('not_found');
  });
});
