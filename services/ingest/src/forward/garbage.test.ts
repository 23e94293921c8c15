/**
 * Garbage and size limits on the forward input: one log line naming the reason, the connection
 * closed, no ack, nothing queued — and fuzzed streams never crash the process nor get an ack for
 * a frame the core decoder refuses.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeForwardFrame, FrameScanner } from '@logforest/core';
import { pack, rawClient, sleep, startForward, type ForwardHarness } from './test-support.ts';

let f: ForwardHarness;
beforeAll(async () => {
  f = await startForward({ FORWARD_MAX_FRAME_BYTES: '64KiB', MAX_EVENTS_PER_REQUEST: '100', FORWARD_IDLE_TIMEOUT_MS: '1500' });
});
afterAll(async () => {
  await f?.close();
});

const good = (chunk: string) => pack(['g', 1714564800, { log: `good ${chunk}` }, { chunk }]);

describe('forward garbage and limits', () => {
  it('closes with a clear log line and no ack: oversized frame, too many events, not msgpack, not a forward message, zstd', async () => {
    const cases: Array<[string, Buffer, string]> = [
      ['frame over FORWARD_MAX_FRAME_BYTES', pack(['g', Buffer.alloc(70_000, 1), { chunk: 'big' }]), 'frame_too_large'],
      ['declared 4 GiB bin', Buffer.from([0x93, 0xa1, 0x67, 0xc6, 0xff, 0xff, 0xff, 0xff]), 'frame_too_large'],
      ['over MAX_EVENTS_PER_REQUEST', pack(['g', Array.from({ length: 101 }, () => [1714564800, { log: 'x' }]), { chunk: 'many' }]), 'too_many_events'],
      ['HTTP request', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 'invalid_msgpack'],
      ['reserved byte', Buffer.from([0xc1]), 'invalid_msgpack'],
      ['a bare map', pack({ log: 'no tag' }), 'invalid_msgpack'],
      ['zstd', pack(['g', Buffer.from([1, 2, 3]), { compressed: 'zstd', chunk: 'z' }]), 'unsupported_encoding'],
      ['PING without a configured key', pack(['PING', 'h', 's', 'd', '', '']), 'unexpected_ping'],
    ];
    for (const [name, bytes, reason] of cases) {
      const before = (await f.h.records()).length;
      const c = await rawClient(f.port);
      c.write(good(`pre-${reason}`)); // accepted before the garbage
      expect(await c.next(), name).toEqual({ ack: `pre-${reason}` });
      c.write(bytes);
      c.write(good(`post-${reason}`)); // after garbage: the stream cannot be trusted, never acked
      await c.closed;
      expect(c.received, name).toHaveLength(1);
      expect((await f.h.records()).length - before, name).toBe(1);
      const line = f.logs.findLast((l) => String(l['msg']).startsWith('forward: closing connection'));
      expect(line, name).toMatchObject({ level: 40, input: 'forward', reason });
      expect(String(line?.['msg']), name).toContain(reason);
    }
  });

  it('closes a connection left idle with half a frame after FORWARD_IDLE_TIMEOUT_MS, without an ack', async () => {
    const c = await rawClient(f.port);
    const frame = good('half');
    c.write(frame.subarray(0, frame.length - 3));
    const t0 = Date.now();
    await c.closed;
    expect(Date.now() - t0).toBeGreaterThan(1000);
    expect(c.received).toEqual([]);
    expect(f.logs.some((l) => l['msg'] === 'forward: closing idle connection' && l['pendingBytes'] === frame.length - 3)).toBe(true);
  });

  it('fuzz: random and mutated streams never crash the server and are acked only for frames the decoder accepts', async () => {
    const valid = [
      pack(['app', 1714564800, { message: 'm' }, { chunk: 'a' }]),
      pack(['app', [[1714564800, { message: 'f' }]], { chunk: 'b' }]),
      pack(['app', Buffer.concat([pack([1714564800, { log: 'p' }])]), { chunk: 'c' }]),
    ];
    const stream = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.tuple(fc.constantFrom(...valid), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })).map(([base, edits]) => {
        const b = Buffer.from(base);
        for (const [at, byte] of edits) b[at % b.length] = byte;
        return b;
      }),
    );
    /** The acks the protocol allows for `bytes`: chunks of decodable frames up to the first refusal. */
    const allowed = (bytes: Buffer): unknown[] => {
      const acks: unknown[] = [];
      try {
        for (const frame of new FrameScanner({ maxFrameBytes: 64 * 1024 }).push(bytes)) {
          const d = decodeForwardFrame(frame, { receivedAt: Date.now(), maxEvents: 100 });
          if (d.type === 'ping') break;
          if (d.type === 'events' && d.chunk !== undefined) acks.push({ ack: d.chunk });
        }
      } catch {
        // refused: nothing after it may be acked
      }
      return acks;
    };
    const seen = { acked: 0, closed: 0, waiting: 0 };
    await fc.assert(
      fc.asyncProperty(stream, async (bytes) => {
        const sent = Buffer.concat([bytes, good('sentinel')]);
        const expected = allowed(sent);
        const c = await rawClient(f.port);
        let closed = false;
        void c.closed.then(() => (closed = true));
        c.write(sent);
        if (expected.some((a) => (a as { ack?: string }).ack === 'sentinel')) {
          // Everything decodes: every ack, the sentinel's last.
          for (let i = 0; i < 600 && c.received.length < expected.length && !closed; i++) await sleep(5);
          expect(c.received).toEqual(expected);
          seen.acked++;
        } else {
          // Refused (closed) or an incomplete frame still waiting for its bytes: no ack past the refusal.
          await Promise.race([c.closed, sleep(300)]);
          expect(c.received).toEqual(expected.slice(0, c.received.length));
          seen[closed ? 'closed' : 'waiting']++;
        }
        c.socket.destroy();
      }),
      { numRuns: 60 },
    );
    expect(seen.closed).toBeGreaterThan(10);
    // Still serving.
    const c = await rawClient(f.port);
    c.write(good('alive'));
    expect(await c.next()).toEqual({ ack: 'alive' });
    c.end();
  });
});
