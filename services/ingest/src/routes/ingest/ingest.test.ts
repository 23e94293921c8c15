/**
 * POST /ingest with the exact bodies each shipper sends; asserts what lands on the real queue.
 */
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVENTS_PER_JOB } from '@logforest/core';
import { startIngest, storeModel, type Harness } from '../../test-support/harness.ts';
import { jbossLines } from '../../test-support/lines.ts';
import { EventTime, pack } from '../../test-support/msgpack.ts';

const LINES = jbossLines(3);
const [L0, L1, L2] = LINES as [string, string, string];
const T0 = 1714564800.123456; // Fluent Bit `date` (double seconds)

let h: Harness;
beforeAll(async () => {
  h = await startIngest();
});
afterAll(async () => {
  await h?.close();
});

async function post(path: string, body: string | Buffer, headers: Record<string, string>) {
  const res = await fetch(`${h.url}${path}`, { method: 'POST', body, headers });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> };
}

/** Records of the jobs this test added (the queue is shared by the file's tests). */
async function newRecords<T>(action: () => Promise<T>) {
  const before = new Set((await h.scoreJobs()).map((j) => j.batchId));
  const result = await action();
  const jobs = (await h.scoreJobs()).filter((j) => !before.has(j.batchId));
  return { result, jobs, records: jobs.flatMap((j) => j.records) };
}

describe('Fluent Bit out_http', () => {
  const records = [
    { date: T0, log: L0 },
    { date: T0 + 1, log: L1 },
  ];

  it('format json (default since 3.0): a JSON array, plain and gzip', async () => {
    for (const gzip of [false, true]) {
      const body = Buffer.from(JSON.stringify(records));
      const { result, jobs, records: got } = await newRecords(() =>
        post('/ingest/fluentbit', gzip ? gzipSync(body) : body, {
          'content-type': 'application/json',
          'user-agent': 'Fluent-Bit',
          ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        }),
      );
      expect(result.status).toBe(202);
      expect(result.json).toEqual({ accepted: 2, batches: 1 });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ v: 2, tag: 'fluentbit' });
      expect(got.map((r) => r.line)).toEqual([L0, L1]);
      expect(got[0]?.ts).toBeCloseTo(T0 * 1000, 0);
      expect(got[0]?.source).toBe('fluentbit');
    }
  });

  it('format json_lines', async () => {
    const body = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const { result, records: got } = await newRecords(() => post('/ingest', body, { 'content-type': 'application/x-ndjson' }));
    expect(result.status).toBe(202);
    expect(got.map((r) => r.line)).toEqual([L0, L1]);
  });

  it('format msgpack (pre-3.0 default), v2 event format, gzip', async () => {
    const chunk = Buffer.concat([
      pack([[new EventTime(1714564800, 500_000_000), {}], { log: L0, path: '/opt/jboss/standalone/log/server.log' }]),
      pack([[new EventTime(1714564801, 0), {}], { log: L1 }]),
    ]);
    const { result, records: got } = await newRecords(() =>
      post('/ingest', gzipSync(chunk), { 'content-type': 'application/msgpack', 'content-encoding': 'gzip' }),
    );
    expect(result.status).toBe(202);
    expect(result.json).toEqual({ accepted: 2, batches: 1 });
    expect(got.map((r) => r.line)).toEqual([L0, L1]);
    expect(got[0]).toMatchObject({ ts: 1714564800500, source: '/opt/jboss/standalone/log/server.log' });
  });
});

describe('Fluentd out_http', () => {
  it('default ndjson of records (no tag/time in the body), tag from the path', async () => {
    const body = `{"message":${JSON.stringify(L0)}}\n{"message":${JSON.stringify(L1)}}\n`;
    const { result, jobs, records: got } = await newRecords(() =>
      post('/ingest/jboss.server', body, { 'content-type': 'application/x-ndjson', authorization: 'Basic dXNlcjpwdw==' }),
    );
    expect(result.status).toBe(202);
    expect(jobs[0]?.tag).toBe('jboss.server');
    expect(got).toEqual([
      { line: L0, source: 'jboss.server' },
      { line: L1, source: 'jboss.server' },
    ]);
    expect(jobs[0]?.receivedAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it('json_array true: `[{…}\\n,{…}\\n]`, gzip, over PUT', async () => {
    const body = `[{"message":${JSON.stringify(L0)}}\n,{"message":${JSON.stringify(L2)}}\n]`;
    const { result, records: got } = await newRecords(async () => {
      const res = await fetch(`${h.url}/ingest`, {
        method: 'PUT',
        body: gzipSync(body),
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      });
      return res.status;
    });
    expect(result).toBe(202);
    expect(got.map((r) => r.line)).toEqual([L0, L2]);
  });
});

describe('Vector http sink and Logstash http output', () => {
  it('Vector codec json: a JSON array of events with message/timestamp/host/file, deflate (zlib)', async () => {
    const events = [
      { file: '/var/log/server.log', host: 'app-1', message: L0, source_type: 'file', timestamp: '2024-05-01T12:00:00.123Z' },
      { file: '/var/log/server.log', host: 'app-1', message: L1, source_type: 'file', timestamp: '2024-05-01T12:00:01Z' },
    ];
    const { result, records: got } = await newRecords(() =>
      post('/ingest/vector', deflateSync(JSON.stringify(events)), { 'content-type': 'application/json', 'content-encoding': 'deflate' }),
    );
    expect(result.status).toBe(202);
    expect(got[0]).toMatchObject({ line: L0, host: 'app-1', source: '/var/log/server.log', ts: Date.parse('2024-05-01T12:00:00.123Z') });
    expect(got).toHaveLength(2);
  });

  it('Vector ndjson framing (no trailing newline)', async () => {
    const body = [L0, L1].map((m) => JSON.stringify({ message: m })).join('\n');
    const { result, records: got } = await newRecords(() => post('/ingest', body, { 'content-type': 'application/x-ndjson' }));
    expect(result.status).toBe(202);
    expect(got.map((r) => r.line)).toEqual([L0, L1]);
  });

  it('Logstash format json_batch: a JSON array with @timestamp/@version/host', async () => {
    const events = [
      { '@timestamp': '2024-05-01T12:00:00.1Z', '@version': '1', host: { name: 'jb-2' }, message: L2, log: { file: { path: '/srv/server.log' } } },
    ];
    const { result, records: got } = await newRecords(() => post('/ingest', JSON.stringify(events), { 'content-type': 'application/json' }));
    expect(result.status).toBe(202);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ line: L2, host: 'jb-2', source: '/srv/server.log', ts: Date.parse('2024-05-01T12:00:00.100Z') });
  });

  it('plain text (curl --data-binary @server.log)', async () => {
    const { result, records: got } = await newRecords(() => post('/ingest', LINES.join('\n') + '\n', { 'content-type': 'text/plain' }));
    expect(result.status).toBe(202);
    expect(got.map((r) => r.line)).toEqual(LINES);
  });

  it('plain text without any header: one verdict per line once the worker scores the job; only trace lines join', async () => {
    const body = 'user alice signed in\nuser bob signed out\ncache flush failed: java.lang.IllegalStateException: closed\n\tat com.example.Cache.flush(Cache.java:42)\nCaused by: java.io.IOException: gone\n\t... 3 more\nnightly job done\n';
    const { result, records: got } = await newRecords(() => post('/ingest', body, { 'content-type': 'text/plain' }));
    expect(result.status).toBe(202);
    expect(got).toHaveLength(7); // ingest queues lines as sent; the worker joins them
    // What the worker does with a job (services/worker/src/processor.ts): Scorer.score on its records.
    const scorer = await storeModel(h.registry, 'v71', { activate: false });
    const verdicts = scorer.score(got, { receivedAt: Date.now(), explain: 'none' });
    expect(verdicts.map((v) => v.log)).toEqual([
      'user alice signed in',
      'user bob signed out',
      'cache flush failed: java.lang.IllegalStateException: closed\n\tat com.example.Cache.flush(Cache.java:42)\nCaused by: java.io.IOException: gone\n\t... 3 more',
      'nightly job done',
    ]);
  });
});

describe('batching', () => {
  it(`splits a body into jobs of at most BATCH_MAX_EVENTS (default ${MAX_EVENTS_PER_JOB}), one unique jobId per batch`, async () => {
    const lines = jbossLines(MAX_EVENTS_PER_JOB * 2 + 5);
    const { result, jobs, records: got } = await newRecords(() => post('/ingest', lines.join('\n'), { 'content-type': 'text/plain' }));
    expect(result.json).toEqual({ accepted: lines.length, batches: 3 });
    expect(jobs.map((j) => j.records.length).sort((a, b) => a - b)).toEqual([5, MAX_EVENTS_PER_JOB, MAX_EVENTS_PER_JOB]);
    expect(new Set(jobs.map((j) => j.batchId)).size).toBe(3);
    expect(new Set(jobs.map((j) => j.receivedAt)).size).toBe(1);
    expect(got.map((r) => r.line).sort()).toEqual([...lines].sort());
    for (const j of jobs) {
      const job = await h.scoreQueue.getJob(j.batchId);
      expect(job?.id).toBe(j.batchId);
      expect(job?.opts).toMatchObject({ attempts: 5, backoff: { type: 'exponential', delay: 1000 } });
    }
  });
});

describe('refusals: 4xx JSON, nothing queued', () => {
  const cases: [string, () => Promise<{ status: number; json: Record<string, any> }>, number, string][] = [
    ['bad JSON', () => post('/ingest', '[{"log": "x"', { 'content-type': 'application/json' }), 400, 'invalid_json'],
    ['corrupt gzip', () => post('/ingest', Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3, 4, 5]), { 'content-encoding': 'gzip' }), 400, 'invalid_compression'],
    ['unsupported encoding', () => post('/ingest', 'x', { 'content-encoding': 'zstd' }), 415, 'unsupported_encoding'],
    ['empty body', () => post('/ingest', '', { 'content-type': 'application/json' }), 400, 'empty_body'],
    ['bad tag', () => post('/ingest/%20bad%20tag', 'x', { 'content-type': 'text/plain' }), 400, 'invalid_tag'],
  ];
  for (const [name, send, status, code] of cases) {
    it(name, async () => {
      const { result, jobs } = await newRecords(send);
      expect(result.status).toBe(status);
      expect(result.json.error.code).toBe(code);
      expect(typeof result.json.error.message).toBe('string');
      expect(jobs).toHaveLength(0);
    });
  }
});
