/**
 * The forward input against a real Redis: every event mode from hand-built frames and from the
 * npm client `@fluent-org/logger` with acks; the ack comes only once the jobs are queued, and a
 * real worker scores what was acknowledged.
 */
import { createSocket } from 'node:dgram';
import { gzipSync } from 'node:zlib';
import { FluentClient, type EventModes } from '@fluent-org/logger';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, keys as keyNames } from '@logforest/core';
import { createLogger, createModelCache, createResultWriter, type ModelCache } from '@logforest/runtime';
import { createColdStart } from '../../../worker/src/cold-start.ts';
import { createScoreProcessor } from '../../../worker/src/processor.ts';
import { storeModel } from '../test-support/harness.ts';
import { jbossLines } from '../test-support/lines.ts';
import { EventTime, pack, rawClient, sleep, startForward, type ForwardHarness } from './test-support.ts';

let f: ForwardHarness;
beforeAll(async () => {
  f = await startForward();
});
afterAll(async () => {
  await f?.close();
});

const T = 1714564800;
const line = (n: number) => `2024-05-01 12:00:${String(n % 60).padStart(2, '0')},000 INFO  [org.jboss.as.server] (main) forward event ${n}`;

describe('hand-built frames', () => {
  it('acks each mode with its chunk id once its records are in the queue', async () => {
    const entries = [pack([new EventTime(T, 5_000_000), { log: line(1) }]), pack([T + 1, { message: line(2), host: 'jb-1' }])];
    const packed = Buffer.concat(entries);
    const str32 = (() => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(packed.length);
      return Buffer.concat([Buffer.from([0x93, 0xab]), Buffer.from('jboss.str32'), Buffer.from([0xdb]), len, packed, pack({ size: 2, chunk: 'Zm9vYmFyYmF6cXV4MTIzNA==\n' })]);
    })();
    const frames: Array<[string, Buffer, string]> = [
      ['Message', pack(['jboss.msg', new EventTime(T, 0), { log: line(0) }, { chunk: 'msg-1' }]), 'msg-1'],
      ['Forward', pack(['jboss.fwd', [[T, { log: line(1) }], [[new EventTime(T, 1), { meta: 1 }], { log: line(2) }]], { chunk: 'fwd-1' }]), 'fwd-1'],
      ['PackedForward (bin)', pack(['jboss.bin', packed, { size: 2, chunk: 'bin-1' }]), 'bin-1'],
      ['PackedForward (str32, Fluentd)', str32, 'Zm9vYmFyYmF6cXV4MTIzNA==\n'],
      ['CompressedPackedForward', pack(['jboss.gz', Buffer.concat(entries.map((e) => gzipSync(e))), { compressed: 'gzip', size: 2, chunk: 'gz-1' }]), 'gz-1'],
    ];
    const c = await rawClient(f.port);
    for (const [mode, frame, chunk] of frames) {
      const before = (await f.h.records()).length;
      c.write(pack(null)); // heartbeat: ignored
      // Byte by byte for one of them: framing must not depend on TCP segments.
      if (mode === 'Forward') for (const b of frame) c.write(Buffer.from([b]));
      else c.write(frame);
      expect(await c.next(), mode).toEqual({ ack: chunk });
      const queued = (await f.h.records()).slice(before);
      expect(queued.length, mode).toBe(mode === 'Message' ? 1 : 2);
      expect(new Set(queued.map((r) => r.source)).size, mode).toBe(1);
    }
    const recs = await f.h.records();
    expect(recs.find((r) => r.source === 'jboss.str32' && r.host === 'jb-1')?.line).toBe(line(2));
    expect(recs.find((r) => r.source === 'jboss.gz')?.ts).toBe(T * 1000 + 5);
    // Without a chunk option: queued, and nothing is sent back.
    const before = (await f.h.records()).length;
    c.write(pack(['jboss.noack', [[T, { log: 'no ack wanted' }]]]));
    c.write(pack(['jboss.noack', T, { log: 'sync' }, { chunk: 'sync' }]));
    expect(await c.next()).toEqual({ ack: 'sync' });
    expect((await f.h.records()).slice(before).map((r) => r.line)).toEqual(['no ack wanted', 'sync']);
    c.end();
  });

  it('answers a UDP heartbeat with one NUL byte on the same port', async () => {
    const udp = createSocket('udp4');
    const answer = new Promise<Buffer>((resolve) => udp.once('message', (m) => resolve(m)));
    udp.send(Buffer.from([0xc0]), f.port, '127.0.0.1');
    expect(await answer).toEqual(Buffer.from([0]));
    udp.close();
  });
});

describe('@fluent-org/logger with acks', () => {
  let workerRedis: Redis;
  let cache: ModelCache;
  let worker: Worker | undefined;
  afterAll(async () => {
    await worker?.close();
    await cache?.close();
    workerRedis?.disconnect();
  });

  it('every mode: the ack arrives once queued, and a worker scores every acknowledged event', async () => {
    const modes: EventModes[] = ['Message', 'Forward', 'PackedForward', 'CompressedPackedForward'];
    const jboss = jbossLines(40);
    const sent: string[] = [];
    for (const [i, eventMode] of modes.entries()) {
      const client = new FluentClient(`jboss.${eventMode.toLowerCase()}`, {
        eventMode,
        socket: { host: '127.0.0.1', port: f.port, timeout: -1 },
        ack: { ackTimeout: 10_000 },
        flushInterval: eventMode === 'Message' ? 0 : 20,
        milliseconds: true,
      });
      const lines = jboss.slice(i * 10, i * 10 + 10);
      const before = (await f.h.records()).length;
      await Promise.all(lines.map((l) => client.emit('', { log: l })));
      // Acknowledged → already in Redis, nothing to wait for.
      const queued = (await f.h.records()).slice(before);
      expect(queued.map((r) => r.line).sort(), eventMode).toEqual([...lines].sort());
      expect(queued.every((r) => r.source === `jboss.${eventMode.toLowerCase()}` && typeof r.ts === 'number'), eventMode).toBe(true);
      sent.push(...lines);
      await client.disconnect();
    }

    await storeModel(f.h.registry, 'v1');
    const logger = createLogger({ name: 'worker', level: 'silent' });
    workerRedis = new Redis(f.h.config.REDIS_URL, { maxRetriesPerRequest: null });
    cache = await createModelCache({ redis: workerRedis, prefix: f.h.prefix, logger, pollIntervalMs: 0 });
    const writer = createResultWriter({ redis: workerRedis, prefix: f.h.prefix });
    const coldStart = createColdStart({ writer, trainQueue: f.h.trainQueue, logger });
    const queuedTotal = (await f.h.records()).length;
    worker = new Worker(QUEUES.score, createScoreProcessor({ cache, writer, coldStart, logger }), { connection: workerRedis, prefix: f.h.prefix });
    const totalsKey = keyNames(f.h.prefix).totals;
    let scored = 0;
    for (let i = 0; i < 300 && scored < queuedTotal; i++) {
      scored = Number((await f.h.redis.hget(totalsKey, 'records')) ?? 0);
      await sleep(50);
    }
    expect(scored).toBe(queuedTotal);
    expect(queuedTotal).toBeGreaterThanOrEqual(sent.length);
  });
});
