/**
 * Environment variables of the Fluentd forward input (part of the ingest schema, src/config.ts).
 * Each is documented where it is declared.
 */
import { z } from 'zod';
import { bytesVar, intVar, listVar, stringVar } from '@logforest/runtime';

const MiB = 1024 * 1024;

export const forwardEnv = {
  /**
   * TCP port of the Fluentd forward input (Fluentd / Fluent Bit `forward` output); the UDP
   * heartbeat is answered on the same port. 0 turns the input off.
   * @defaultValue 24224
   */
  FORWARD_PORT: intVar(24224, { min: 0, max: 65535 }),
  /** Interface the forward input binds. @defaultValue HOST */
  FORWARD_HOST: stringVar(undefined),
  /**
   * Largest forward frame (one msgpack message: a whole chunk in PackedForward mode), in bytes.
   * Larger → logged, connection closed, no ack. Fluentd's default chunk limit is 8 MiB.
   * @defaultValue 16 MiB
   */
  FORWARD_MAX_FRAME_BYTES: bytesVar(16 * MiB, { min: 1024 }),
  /**
   * Shared key of the forward handshake (Fluentd `<security> shared_key`, Fluent Bit
   * `Shared_Key`). Set: every connection must complete HELO/PING/PONG before sending events.
   * @defaultValue none (no handshake)
   */
  FORWARD_SHARED_KEY: stringVar(undefined),
  /**
   * Users of the handshake's user authentication, `name:password,name:password`
   * (Fluentd `<user>`, Fluent Bit `Username`/`Password`). Needs FORWARD_SHARED_KEY.
   * @defaultValue none (shared key only)
   */
  FORWARD_PASSWORDS: listVar(),
  /** Host name the server names in HELO/PONG (must differ from the client's). @defaultValue os.hostname() */
  FORWARD_SELF_HOSTNAME: stringVar(undefined),
  /** PEM certificate file: set with FORWARD_TLS_KEY, the forward input speaks TLS only. @defaultValue none */
  FORWARD_TLS_CERT: stringVar(undefined),
  /** PEM private key file of FORWARD_TLS_CERT. @defaultValue none */
  FORWARD_TLS_KEY: stringVar(undefined),
  /**
   * While the score queue is full (or Redis is away) a chunk is held unacknowledged and the
   * connection is not read; admission is tried again after this many ms. @defaultValue 1000
   */
  FORWARD_RETRY_MS: intVar(1000, { min: 10, max: 60_000 }),
  /**
   * A forward connection that sends nothing for this long (and holds no chunk waiting for the
   * queue) is closed; the client reconnects when it has data. Stops abandoned half frames from
   * holding sockets forever. 0: never. @defaultValue 600000 (10 minutes)
   */
  FORWARD_IDLE_TIMEOUT_MS: intVar(600_000, { min: 0 }),
  /** TCP keepalive probe delay on forward connections, in ms (0: off). @defaultValue 30000 */
  FORWARD_KEEPALIVE_MS: intVar(30_000, { min: 0 }),
};

/** Checks across the forward variables (added to the ingest schema with superRefine). */
export function checkForwardEnv(c: { FORWARD_SHARED_KEY?: string | undefined; FORWARD_PASSWORDS: string[]; FORWARD_TLS_CERT?: string | undefined; FORWARD_TLS_KEY?: string | undefined }, ctx: z.RefinementCtx): void {
  if ((c.FORWARD_TLS_CERT === undefined) !== (c.FORWARD_TLS_KEY === undefined)) {
    ctx.addIssue({ code: 'custom', path: [c.FORWARD_TLS_CERT === undefined ? 'FORWARD_TLS_CERT' : 'FORWARD_TLS_KEY'], message: 'FORWARD_TLS_CERT and FORWARD_TLS_KEY go together' });
  }
  if (c.FORWARD_PASSWORDS.length > 0 && c.FORWARD_SHARED_KEY === undefined) {
    ctx.addIssue({ code: 'custom', path: ['FORWARD_PASSWORDS'], message: 'needs FORWARD_SHARED_KEY (user authentication is part of the shared-key handshake)' });
  }
  for (const entry of c.FORWARD_PASSWORDS) {
    if (!/^[^:]+:.+$/.test(entry)) ctx.addIssue({ code: 'custom', path: ['FORWARD_PASSWORDS'], message: 'each entry must be name:password' });
  }
}

/** `name:password` entries → map (the password may contain ':'). */
export function parseUsers(entries: readonly string[]): Map<string, string> {
  const users = new Map<string, string>();
  for (const e of entries) {
    const at = e.indexOf(':');
    users.set(e.slice(0, at), e.slice(at + 1));
  }
  return users;
}
