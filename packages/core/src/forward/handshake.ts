/**
 * The forward protocol's handshake (Forward Protocol Specification v1, "Handshake Messages"),
 * server side, as pure functions (random bytes and the host name come from the caller):
 *
 *   server → `['HELO', {nonce, auth, keepalive}]`
 *   client → `['PING', client_hostname, shared_key_salt, sha512_hex(salt + client_hostname + nonce + shared_key),
 *              username, sha512_hex(auth_salt + username + password)]`   (the last two '' without user auth)
 *   server → `['PONG', ok, reason, server_hostname, sha512_hex(salt + server_hostname + nonce + shared_key)]`
 *
 * Digests are compared in constant time; the reason sent on failure never says which part failed
 * beyond "shared key" vs "user".
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface HandshakeSecrets {
  sharedKey: string;
  /** username → password; empty: no user authentication. */
  users: ReadonlyMap<string, string>;
}

export interface HandshakeSession {
  /** Random bytes sent in HELO. */
  nonce: Uint8Array;
  /** Random bytes sent in HELO as `auth` when user authentication is on (else empty). */
  authSalt: Uint8Array;
}

export type HeloMessage = ['HELO', { nonce: Uint8Array; auth: Uint8Array | string; keepalive: boolean }];
export type PongMessage = ['PONG', boolean, string, string, string];

export function helo(session: HandshakeSession, userAuth: boolean, keepalive = true): HeloMessage {
  return ['HELO', { nonce: session.nonce, auth: userAuth ? session.authSalt : '', keepalive }];
}

type Bytes = string | Uint8Array;

function sha512Hex(...parts: Bytes[]): string {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Length is not secret (a hex digest is always 128 characters); compare equal lengths only.
  return x.length === y.length && timingSafeEqual(x, y);
}

function isBytes(v: unknown): v is Bytes {
  return typeof v === 'string' || v instanceof Uint8Array;
}

function text(v: Bytes): string {
  return typeof v === 'string' ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
}

/** True for a value shaped like a PING message (6 items, 'PING' first). */
export function isPing(v: unknown): boolean {
  return Array.isArray(v) && v.length === 6 && (v[0] === 'PING' || (v[0] instanceof Uint8Array && text(v[0]) === 'PING'));
}

export type PingResult =
  | { ok: true; clientHostname: string; username: string; pong: PongMessage }
  | { ok: false; reason: string; clientHostname: string; username: string; pong: PongMessage };

/**
 * Checks a PING against the secrets and answers the PONG to send. On failure the server sends
 * the PONG and closes the connection.
 */
export function checkPing(ping: unknown, session: HandshakeSession, secrets: HandshakeSecrets, serverHostname: string): PingResult {
  const fail = (reason: string, clientHostname = '', username = ''): PingResult => ({
    ok: false,
    reason,
    clientHostname,
    username,
    pong: ['PONG', false, reason, serverHostname, ''],
  });
  if (!isPing(ping)) return fail('malformed PING');
  const [, host, salt, digest, user, passwordDigest] = ping as unknown[];
  if (!isBytes(host) || !isBytes(salt) || !isBytes(digest) || !isBytes(user) || !isBytes(passwordDigest)) return fail('malformed PING');
  const clientHostname = text(host);
  const username = text(user);
  if (clientHostname === serverHostname) return fail('same hostname between input and output: invalid configuration', clientHostname, username);
  const expected = sha512Hex(salt, clientHostname, session.nonce, secrets.sharedKey);
  if (!sameText(text(digest), expected)) return fail('shared_key mismatch', clientHostname, username);
  if (secrets.users.size > 0) {
    const password = secrets.users.get(username);
    // Hash against a dummy password for unknown users too, so timing does not reveal user names.
    const want = sha512Hex(session.authSalt, username, password ?? '\u0000no-such-user');
    if (!sameText(text(passwordDigest), want) || password === undefined) return fail('username/password mismatch', clientHostname, username);
  }
  return {
    ok: true,
    clientHostname,
    username,
    pong: ['PONG', true, '', serverHostname, sha512Hex(salt, serverHostname, session.nonce, secrets.sharedKey)],
  };
}

/** The PING a client sends (for tests and tools): the inverse of {@link checkPing}. */
export function clientPing(
  o: { clientHostname: string; sharedKey: string; salt: Bytes; nonce: Uint8Array; username?: string; password?: string; authSalt?: Uint8Array },
): [string, string, Bytes, string, string, string] {
  const user = o.username ?? '';
  const pw = o.username === undefined ? '' : sha512Hex(o.authSalt ?? new Uint8Array(), user, o.password ?? '');
  return ['PING', o.clientHostname, o.salt, sha512Hex(o.salt, o.clientHostname, o.nonce, o.sharedKey), user, pw];
}
