/**
 * Token authentication for every route, by the credential the route table gives it.
 *
 * A token is accepted from any of the places shippers can put one:
 * - `Authorization: Bearer <token>` (curl, Vector `auth.strategy: bearer`, Fluent Bit oauth2);
 * - `Authorization: Basic base64(<any user>:<token>)` (Fluentd/Fluent Bit `http_user`/`http_passwd`,
 *   Filebeat/Logstash `username`/`password`, Vector basic auth) — the user name is ignored;
 * - `Authorization: ApiKey <token>` or `ApiKey base64(<id>:<token>)` (Filebeat/Fluent Bit `api_key`);
 * - `X-Api-Key: <token>` (any shipper with custom headers).
 *
 * Comparison is constant-time over SHA-256 digests (so neither content nor length leaks), and every
 * configured token is compared on every request.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { HttpError } from '../../http/errors.ts';

/** What a route requires: nothing, an ingest token (or the admin token), or the admin token. */
export type Credential = 'none' | 'ingest' | 'admin';

/** What the presented credentials grant. */
export type Grant = 'admin' | 'ingest';

export interface AuthOptions {
  /** Tokens valid on ingest routes. */
  ingestTokens: readonly string[];
  /** Token valid on admin and ingest routes. */
  adminToken?: string | undefined;
}

export interface Authenticator {
  /** True when no token is configured: every route is open. */
  readonly open: boolean;
  /** What the request's credentials grant, or undefined (none, or none valid). */
  identify(headers: IncomingHttpHeaders): Grant | undefined;
  /** Middleware enforcing `required`; the 401/403 answers use the ES challenge on that surface. */
  require(required: Credential, surface: 'api' | 'es'): RequestHandler;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Secrets a request presents, in every form we accept. */
export function presentedSecrets(headers: IncomingHttpHeaders): string[] {
  const out: string[] = [];
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') out.push(apiKey.trim());
  const auth = headers.authorization;
  if (typeof auth !== 'string') return out;
  // `<scheme> <value>`, split by hand: the regexp /^\s*(\S+)\s+(.+?)\s*$/ did this in time
  // quadratic in a run of inner spaces (16 KB header → 200 ms of CPU per request, before auth).
  const trimmed = auth.trim();
  const gap = trimmed.search(/\s/);
  if (gap < 0) return out;
  const scheme = trimmed.slice(0, gap).toLowerCase();
  const value = trimmed.slice(gap).trimStart();
  if (scheme === 'bearer') out.push(value);
  else if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) out.push(decoded.slice(colon + 1));
  } else if (scheme === 'apikey') {
    out.push(value);
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) out.push(decoded.slice(colon + 1));
  }
  return out;
}

const API_CHALLENGE = 'Bearer realm="logforest", Basic realm="logforest"';
const ES_CHALLENGE = 'Basic realm="security" charset="UTF-8", Bearer realm="security", ApiKey';

export function createAuth(options: AuthOptions): Authenticator {
  const ingest = [...new Set(options.ingestTokens)].map(digest);
  const admin = options.adminToken ? digest(options.adminToken) : undefined;
  const open = ingest.length === 0 && admin === undefined;

  function matchesAny(candidate: Buffer, tokens: readonly Buffer[]): boolean {
    let hit = false;
    for (const t of tokens) hit = timingSafeEqual(candidate, t) || hit;
    return hit;
  }

  function identify(headers: IncomingHttpHeaders): Grant | undefined {
    let grant: Grant | undefined;
    for (const secret of presentedSecrets(headers)) {
      const d = digest(secret);
      if (admin && matchesAny(d, [admin])) grant = 'admin';
      else if (matchesAny(d, ingest) && grant === undefined) grant = 'ingest';
    }
    return grant;
  }

  function require(required: Credential, surface: 'api' | 'es'): RequestHandler {
    const challenge = { 'WWW-Authenticate': surface === 'es' ? ES_CHALLENGE : API_CHALLENGE };
    return (req, res, next) => {
      if (required === 'none' || open) {
        res.locals['grant'] = open ? 'admin' : undefined;
        next();
        return;
      }
      const grant = identify(req.headers);
      if (grant === undefined) {
        const presented = presentedSecrets(req.headers).length > 0;
        const message = presented
          ? 'the token is not valid for this server'
          : 'missing credentials: send Authorization: Bearer <token> (or Basic with the token as password, ApiKey, X-Api-Key)';
        next(new HttpError(401, 'unauthorized', message, challenge));
        return;
      }
      if (required === 'admin' && grant !== 'admin') {
        const message = admin
          ? 'this route needs the admin token; ingest tokens are not accepted here'
          : 'admin routes are disabled: ADMIN_TOKEN is not configured';
        next(new HttpError(403, 'forbidden', message));
        return;
      }
      res.locals['grant'] = grant;
      next();
    };
  }

  return { open, identify, require };
}
