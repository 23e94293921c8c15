/**
 * FORWARD_SHARED_KEY (+ FORWARD_PASSWORDS): the HELO/PING/PONG handshake with the npm client and
 * by hand, success and each failure; FORWARD_TLS_CERT/KEY: TLS with a certificate made for the test.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FluentClient } from '@fluent-org/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientPing } from '@logforest/core';
import { pack, rawClient, startForward, type ForwardHarness } from './test-support.ts';

const KEY = 'forward-shared-key-9c1e';
let f: ForwardHarness;
beforeAll(async () => {
  f = await startForward({ FORWARD_SHARED_KEY: KEY, FORWARD_PASSWORDS: 'alice:pw:with:colons,bob:pw-b', FORWARD_SELF_HOSTNAME: 'logforest-test' });
});
afterAll(async () => {
  await f?.close();
});

const event = (chunk: string) => pack(['sec', 1714564800, { log: `secured ${chunk}` }, { chunk }]);

async function helo(port: number) {
  const c = await rawClient(port);
  const h = (await c.next()) as [string, { nonce: Uint8Array; auth: Uint8Array | string; keepalive: boolean }];
  return { c, h };
}

describe('shared-key handshake', () => {
  it('@fluent-org/logger with shared key, user and password: acknowledged', async () => {
    const client = new FluentClient('sec.client', {
      socket: { host: '127.0.0.1', port: f.port, timeout: -1 },
      security: { clientHostname: 'app-1', sharedKey: KEY, username: 'alice', password: 'pw:with:colons' },
      ack: { ackTimeout: 10_000 },
    });
    await client.emit('', { log: 'after the handshake' });
    expect((await f.h.records()).map((r) => r.line)).toContain('after the handshake');
    await client.disconnect();
  });

  it('by hand: HELO, PING, PONG with the server digest, then events are acknowledged', async () => {
    const { c, h } = await helo(f.port);
    expect(h[0]).toBe('HELO');
    expect(h[1].nonce).toHaveLength(16);
    expect(h[1].auth).toHaveLength(16); // users configured: user authentication is on
    expect(h[1].keepalive).toBe(true);
    const salt = randomBytes(16);
    c.write(pack(clientPing({ clientHostname: 'app-2', sharedKey: KEY, salt, nonce: h[1].nonce, username: 'bob', password: 'pw-b', authSalt: h[1].auth as Uint8Array })));
    const pong = (await c.next()) as unknown[];
    const expected = clientPing({ clientHostname: 'logforest-test', sharedKey: KEY, salt, nonce: h[1].nonce })[3];
    expect(pong).toEqual(['PONG', true, '', 'logforest-test', expected]);
    c.write(event('h1'));
    expect(await c.next()).toEqual({ ack: 'h1' });
    c.end();
  });

  it('refuses a wrong key, a wrong password and events before the handshake: PONG false or close, never an ack', async () => {
    const cases: Array<[string, (nonce: Uint8Array, auth: Uint8Array) => Buffer | undefined, string | undefined]> = [
      ['wrong key', (nonce, auth) => pack(clientPing({ clientHostname: 'app-3', sharedKey: 'guess', salt: 'salt', nonce, username: 'bob', password: 'pw-b', authSalt: auth })), 'shared_key mismatch'],
      ['wrong password', (nonce, auth) => pack(clientPing({ clientHostname: 'app-3', sharedKey: KEY, salt: 'salt', nonce, username: 'bob', password: 'nope', authSalt: auth })), 'username/password mismatch'],
      ['no user', (nonce) => pack(clientPing({ clientHostname: 'app-3', sharedKey: KEY, salt: 'salt', nonce })), 'username/password mismatch'],
      ['events first', () => undefined, undefined],
    ];
    for (const [name, ping, reason] of cases) {
      const before = (await f.h.records()).length;
      const { c, h } = await helo(f.port);
      const p = ping(h[1].nonce, h[1].auth as Uint8Array);
      if (p) {
        c.write(p);
        const pong = (await c.next()) as unknown[];
        expect(pong.slice(0, 3), name).toEqual(['PONG', false, reason]);
      }
      c.write(event(`bad-${name}`));
      await c.closed;
      expect(c.received.some((v) => typeof v === 'object' && v !== null && 'ack' in v), name).toBe(false);
      expect((await f.h.records()).length, name).toBe(before);
    }
    const refused = f.logs.filter((l) => l['msg'] === 'forward: handshake refused').map((l) => l['reason']);
    expect(refused).toEqual(['shared_key mismatch', 'username/password mismatch', 'username/password mismatch']);
    expect(f.logs.some((l) => l['reason'] === 'no_handshake')).toBe(true);
    // The shared key and passwords never reach the log.
    const text = JSON.stringify(f.logs);
    for (const secret of [KEY, 'pw-b', 'pw:with:colons']) expect(text).not.toContain(secret);
  });
});

describe('TLS', () => {
  let t: ForwardHarness;
  let cert: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    t = await startForward({}, { cert, key: readFileSync(join(dir, 'key.pem'), 'utf8') });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('@fluent-org/logger over TLS (certificate checked against its CA) is acknowledged; plain TCP is not served', async () => {
    const client = new FluentClient('tls.client', { socket: { host: '127.0.0.1', port: t.port, timeout: -1, tls: { ca: cert, servername: 'localhost' } }, ack: { ackTimeout: 10_000 } });
    await client.emit('', { log: 'over tls' });
    expect((await t.h.records()).map((r) => r.line)).toEqual(['over tls']);
    await client.disconnect();
    const plain = await rawClient(t.port);
    plain.write(event('plain'));
    await plain.closed;
    expect(plain.received).toEqual([]);
    expect((await t.h.records()).length).toBe(1);
  });
});
