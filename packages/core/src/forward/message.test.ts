import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFormatError } from '../formats/errors.ts';
import { EventTime, pack } from '../formats/fixtures/bodies.ts';
import { resolveOptions } from '../formats/options.ts';
import { ForwardFrameError, FrameScanner } from './framer.ts';
import { checkPing, clientPing, helo } from './handshake.ts';
import { decodeForwardFrame } from './message.ts';

const receivedAt = Date.UTC(2024, 4, 1, 12, 0, 5);
const ctx = resolveOptions({ receivedAt, maxEvents: 1000 });
const T = Date.UTC(2024, 4, 1, 12, 0, 0, 123);
const entries = [pack([new EventTime(1714564800, 123_000_000), { message: 'p1' }]), pack([1714564801, { log: 'p2 é', host: 'jb-1' }])];
const packed = Buffer.concat(entries);

/** ["t", str32 holding the raw entries, option]: what Fluentd's out_forward writes. */
function fluentdPacked(option: Record<string, unknown>): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(packed.length);
  return Buffer.concat([Buffer.from([0x93, 0xa1, 0x74, 0xdb]), len, packed, pack(option)]);
}

describe('decodeForwardFrame', () => {
  it('decodes every mode with its chunk id, the tag as source and EventTime to ms', () => {
    const expected = [
      { line: 'p1', ts: T, source: 'app' },
      { line: 'p2 é', ts: T + 877, host: 'jb-1', source: 'app' },
    ];
    const frames = {
      Message: pack(['app', new EventTime(1714564800, 123_000_000), { message: 'p1' }, { chunk: 'm==' }]),
      Forward: pack(['app', [[new EventTime(1714564800, 123_000_000), { message: 'p1' }], [1714564801, { log: 'p2 é', host: 'jb-1' }]], { chunk: 'f==' }]),
      PackedForward: pack(['app', packed, { size: 2, chunk: 'p==' }]),
      CompressedPackedForward: pack(['app', Buffer.concat([gzipSync(entries[0]!), gzipSync(entries[1]!)]), { compressed: 'gzip', chunk: 'c==' }]),
    };
    for (const [mode, frame] of Object.entries(frames)) {
      const out = decodeForwardFrame(frame, ctx);
      expect(out).toMatchObject({ type: 'events', mode, tag: 'app', chunk: `${mode[0]!.toLowerCase()}==` });
      if (out.type === 'events') expect(out.records).toEqual(mode === 'Message' ? expected.slice(0, 1) : expected);
    }
    const fromFluentd = decodeForwardFrame(fluentdPacked({ size: 2, chunk: 'q1w2e3r4t5y6u7i8o9p0aa==\n', compressed: 'text' }), ctx);
    expect(fromFluentd).toMatchObject({ type: 'events', mode: 'PackedForward', tag: 't', chunk: 'q1w2e3r4t5y6u7i8o9p0aa==\n' });
    if (fromFluentd.type === 'events') expect(fromFluentd.records.map((r) => r.line)).toEqual(['p1', 'p2 é']);
  });

  it('reads nil as a heartbeat, no option as no ack, and refuses what is not a forward message', () => {
    expect(decodeForwardFrame(pack(null), ctx)).toEqual({ type: 'heartbeat' });
    expect(decodeForwardFrame(pack(['app', packed]), ctx)).toMatchObject({ type: 'events', chunk: undefined });
    for (const bad of [pack({ a: 1 }), pack(42), pack(['app']), pack([1, 2, 3]), pack(['app', 1, 'not a map'])]) {
      expect(() => decodeForwardFrame(bad, ctx)).toThrow(/not a forward message/);
    }
    const zstd = pack(['app', packed, { compressed: 'zstd', chunk: 'z' }]);
    expect(() => decodeForwardFrame(zstd, ctx)).toThrow(/zstd/);
    const many = pack(['app', Array.from({ length: 1001 }, () => [1714564800, { m: 'x' }])]);
    expect(() => decodeForwardFrame(many, ctx)).toThrow(/1000/);
  });
});

describe('handshake', () => {
  const session = { nonce: randomBytes(16), authSalt: randomBytes(16) };
  const secrets = { sharedKey: 's3cret', users: new Map([['alice', 'pw-a']]) };
  const ping = (o: Partial<Parameters<typeof clientPing>[0]> = {}) =>
    clientPing({ clientHostname: 'client-1', sharedKey: 's3cret', salt: randomBytes(16), nonce: session.nonce, username: 'alice', password: 'pw-a', authSalt: session.authSalt, ...o });

  it('HELO carries the nonce and, with users, the auth salt', () => {
    expect(helo(session, true)).toEqual(['HELO', { nonce: session.nonce, auth: session.authSalt, keepalive: true }]);
    expect(helo(session, false)[1].auth).toBe('');
  });

  it('accepts the right key and password and answers a PONG the client can verify', () => {
    const p = ping();
    const r = checkPing(p, session, secrets, 'server-1');
    expect(r.ok).toBe(true);
    // The client checks sha512(salt + server_hostname + nonce + key) with its own salt.
    const mirror = clientPing({ clientHostname: 'server-1', sharedKey: 's3cret', salt: p[2], nonce: session.nonce });
    expect(r.pong).toEqual(['PONG', true, '', 'server-1', mirror[3]]);
  });

  it('refuses a wrong key, a wrong password, an unknown user, a same host name and malformed PINGs', () => {
    expect(checkPing(ping({ sharedKey: 'other' }), session, secrets, 'server-1')).toMatchObject({ ok: false, reason: 'shared_key mismatch', pong: ['PONG', false, 'shared_key mismatch', 'server-1', ''] });
    expect(checkPing(ping({ password: 'nope' }), session, secrets, 'server-1')).toMatchObject({ ok: false, reason: 'username/password mismatch' });
    expect(checkPing(ping({ username: 'mallory', password: 'pw-a' }), session, secrets, 'server-1')).toMatchObject({ ok: false, reason: 'username/password mismatch' });
    expect(checkPing(ping({ username: undefined }), session, secrets, 'server-1').ok).toBe(false);
    expect(checkPing(ping({ username: undefined }), session, { ...secrets, users: new Map() }, 'server-1').ok).toBe(true);
    expect(checkPing(ping({ clientHostname: 'server-1' }), session, secrets, 'server-1').ok).toBe(false);
    expect(checkPing(['PING', 1, 2, 3, 4, 5], session, secrets, 'server-1')).toMatchObject({ ok: false, reason: 'malformed PING' });
  });
});

describe('fuzz: framer + frame decoder', () => {
  const valid = [
    pack(['app', 1714564800, { message: 'm' }, { chunk: 'a' }]),
    pack(['app', [[1714564800, { message: 'f' }]], { chunk: 'b' }]),
    pack(['app', packed, { chunk: 'c' }]),
    pack(['app', gzipSync(packed), { compressed: 'gzip', chunk: 'd' }]),
  ];
  it('random and mutated streams only ever yield frames, FormatErrors or ForwardFrameErrors', () => {
    const stream = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      fc.tuple(fc.constantFrom(...valid), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 })).map(([base, edits]) => {
        const b = Buffer.from(base);
        for (const [at, byte] of edits) b[at % b.length] = byte;
        return b;
      }),
    );
    fc.assert(
      fc.property(stream, fc.integer({ min: 1, max: 64 }), (bytes, step) => {
        const s = new FrameScanner({ maxFrameBytes: 4096 });
        try {
          for (let i = 0; i < bytes.length; i += step) {
            for (const f of s.push(bytes.subarray(i, i + step))) {
              try {
                const out = decodeForwardFrame(f, ctx);
                if (out.type === 'events') for (const r of out.records) expect(typeof r.line).toBe('string');
              } catch (err) {
                if (!isFormatError(err)) throw err;
              }
            }
          }
        } catch (err) {
          if (!(err instanceof ForwardFrameError)) throw err;
        }
      }),
      { numRuns: 1500 },
    );
  });
});
