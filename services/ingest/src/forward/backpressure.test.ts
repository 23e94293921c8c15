/**
 * Queue full → the forward input holds the chunk without an ack and stops reading the
 * connection; once the queue has room the held chunk and the ones behind it are queued and
 * acknowledged in order. The same admission limit (QUEUE_MAX_WAITING) as the HTTP routes.
 */
import { FluentClient } from '@fluent-org/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack, rawClient, sleep, startForward, type ForwardHarness } from './test-support.ts';

let f: ForwardHarness;
beforeAll(async () => {
  f = await startForward({ QUEUE_MAX_WAITING: '2', QUEUE_DEPTH_CACHE_MS: '0', FORWARD_RETRY_MS: '50' });
});
afterAll(async () => {
  await f?.close();
});

const chunk = (id: string, n: number, pad = 0) =>
  pack(['bp', Array.from({ length: n }, (_, i) => [1714564800, { log: `${id} event ${i}${' x'.repeat(pad)}` }]), { chunk: id }]);

describe('forward backpressure', () => {
  it('no ack and paused reads while the queue is full; acks in order once there is room', async () => {
    const c = await rawClient(f.port);
    c.write(chunk('c1', 3));
    expect(await c.next()).toEqual({ ack: 'c1' });
    c.write(chunk('c2', 3));
    expect(await c.next()).toEqual({ ack: 'c2' });
    // Two jobs wait: the limit. The next chunks are held.
    c.write(chunk('c3', 3));
    c.write(chunk('c4', 3));
    await sleep(600);
    expect(c.received).toHaveLength(2);
    expect((await f.h.scoreJobs()).length).toBe(2);
    expect(f.logs.some((l) => l['reason'] === 'queue_full' && /holding the chunk unacknowledged/.test(String(l['msg'])))).toBe(true);

    // While held, the server does not read: a flood of further bytes stays in the socket buffers.
    const flood = chunk('c5', 2000, 1500); // ~6 MB: more than the kernel's socket buffers hold
    c.write(flood);
    await sleep(300);
    expect(c.socket.writableLength, 'bytes the server did not take').toBeGreaterThan(0);

    // Room: a consumer takes the waiting jobs away.
    await f.h.scoreQueue.drain();
    expect(await c.next()).toEqual({ ack: 'c3' });
    expect(await c.next()).toEqual({ ack: 'c4' });
    // c3 and c4 fill the queue again: c5 is held until the next drain.
    await sleep(300);
    expect(c.received).toHaveLength(4);
    await f.h.scoreQueue.drain();
    expect(await c.next(10_000)).toEqual({ ack: 'c5' });
    const lines = (await f.h.records()).map((r) => r.line);
    expect(lines.filter((l) => l.startsWith('c5 ')).length).toBe(2000);
    c.end();
  });

  it('@fluent-org/logger: emit resolves only after the queue has room', async () => {
    await f.h.scoreQueue.drain();
    const client = new FluentClient('bp.client', { socket: { host: '127.0.0.1', port: f.port, timeout: -1 }, ack: { ackTimeout: 20_000 } });
    await client.emit('', { log: 'first' });
    await client.emit('', { log: 'second' });
    let acked = false;
    const third = client.emit('', { log: 'third' }).then(() => {
      acked = true;
    });
    await sleep(700);
    expect(acked).toBe(false);
    await f.h.scoreQueue.drain();
    await third;
    expect(acked).toBe(true);
    expect((await f.h.records()).map((r) => r.line)).toContain('third');
    await client.disconnect();
  });
});
