/**
 * The auth/exposure matrix: every route of services/ingest/src/routes.ts (all its methods and
 * paths, ES ones under the ES path prefix when there is one) against every way of presenting no,
 * a wrong, an ingest or the admin credential; a leak check for response bodies and logs; and the
 * comparison of the express router's registered routes with the table.
 */
import { METHODS } from 'node:http';
import { ROUTES, type RouteSpec } from '../../../services/ingest/src/routes.ts';

export const INGEST_TOKENS = ['ingest-tok-A1b2C3d4', 'ingest-tok-Z9y8X7w6'] as const;
export const ADMIN_TOKEN = 'admin-tok-Q5w6E7r8';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Every accepted way of presenting `token`. */
export function credentialForms(token: string): Array<[string, Record<string, string>]> {
  return [
    ['Bearer', { authorization: `Bearer ${token}` }],
    ['Basic (password, any user)', { authorization: `Basic ${b64(`fluentd:${token}`)}` }],
    ['Basic (empty user)', { authorization: `Basic ${b64(`:${token}`)}` }],
    ['ApiKey <token>', { authorization: `ApiKey ${token}` }],
    ['ApiKey base64(id:token)', { authorization: `ApiKey ${b64(`my-id:${token}`)}` }],
    ['X-Api-Key', { 'x-api-key': token }],
  ];
}

/** Wrong credentials: unknown tokens in every form, near misses of real ones, broken headers. */
export function wrongForms(): Array<[string, Record<string, string>]> {
  const real = INGEST_TOKENS[0];
  return [
    ...credentialForms('not-a-token').map(([n, h]) => [`wrong ${n}`, h] as [string, Record<string, string>]),
    ['token + 1 char', { authorization: `Bearer ${real}x` }],
    ['token - 1 char', { authorization: `Bearer ${real.slice(0, -1)}` }],
    ['admin token, other case', { authorization: `Bearer ${ADMIN_TOKEN.toUpperCase()}` }],
    ['Basic without colon', { authorization: `Basic ${b64(real)}` }],
    ['token as user name', { authorization: `Basic ${b64(`${real}:x`)}` }],
    ['Digest scheme', { authorization: `Digest ${real}` }],
    ['empty Bearer', { authorization: 'Bearer ' }],
  ];
}

export interface RouteCase {
  name: string;
  method: string;
  path: string;
  credential: RouteSpec['credential'];
  surface: RouteSpec['surface'];
}

/** Fill path parameters with requestable values. */
export function concrete(path: string): string {
  const values: Record<string, string> = { version: 'v1', index: 'logs-x', id: 'r-1', tag: 'app', name: 'logforest', nodes: '_local' };
  return path.replace(/:([A-Za-z]+)/g, (_m, k: string) => values[k] ?? `p-${k}`);
}

/** Every (method, path) of the table, ES paths under `esPrefix`. */
export function routeCases(esPrefix?: string): RouteCase[] {
  return (ROUTES as readonly RouteSpec[]).flatMap((r) =>
    r.methods.flatMap((method) =>
      r.paths.map((p) => {
        const path = r.surface === 'es' && esPrefix ? (p === '/' ? esPrefix : `${esPrefix}${p}`) : p;
        return { name: r.name, method, path: concrete(path), credential: r.credential, surface: r.surface };
      }),
    ),
  );
}

/** What an answer must never show: stack frames, source paths, module paths, secrets. */
export function leaks(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  if (/^\s*at .+[(:]\d+:\d+\)?$/m.test(text) || /\bat [\w.<>]+ \([^)]*:\d+:\d+\)/.test(text)) found.push('stack frame');
  if (/\/work\/|\/home\/|\/usr\/|[A-Za-z]:\\/.test(text)) found.push('file path');
  if (text.includes('node_modules')) found.push('node_modules');
  if (/\.ts:\d+/.test(text)) found.push('source location');
  for (const s of secrets) if (s && text.includes(s)) found.push(`secret "${s.slice(0, 6)}…"`);
  return found;
}

/** Values that must not leak: the tokens in every encoding we send, and Redis URL parts. */
export function secretValues(redisUrl: string): string[] {
  const u = new URL(redisUrl);
  const tokens = [...INGEST_TOKENS, ADMIN_TOKEN];
  return [
    ...tokens,
    ...tokens.flatMap((t) => [b64(`fluentd:${t}`), b64(`:${t}`), b64(`my-id:${t}`)]),
    redisUrl,
    `${u.hostname}:${u.port}`,
    ...(u.password ? [decodeURIComponent(u.password)] : []),
  ];
}

/** The part of an express application (or router) this module reads: its layer stack. */
export interface RouterLike {
  router?: { stack: Layer[] };
  stack?: Layer[];
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string | string[];
}

/** `METHOD path` of every route the express app registered (ES router routes with their mount prefix). */
export function registeredRoutes(app: RouterLike): { routes: string[]; reserved: string[] } {
  const routes: string[] = [];
  const reserved: string[] = [];
  const walk = (stack: Layer[], prefix: string, surface: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const p of [layer.route.path].flat()) {
          const methods = Object.keys(layer.route.methods);
          // app.all() registers every HTTP method (or `_all`): the 405 reservation of our own paths.
          if (methods.includes('_all') || methods.length >= METHODS.length) reserved.push(`${surface} ${p}`);
          else for (const m of methods) routes.push(`${surface} ${m.toUpperCase()} ${prefix}${p}`);
        }
      } else if (Array.isArray(layer.handle.stack)) {
        const mount = [layer.rawPath ?? '/'].flat()[0] ?? '/';
        walk(layer.handle.stack, mount === '/' ? '' : mount, 'es');
      }
    }
  };
  walk(app.router?.stack ?? app.stack ?? [], '', 'api');
  return { routes, reserved };
}

/** Routes registered without a table entry, and table entries not registered. */
export function compareWithTable(app: RouterLike, esPrefix?: string): { untabled: string[]; unregistered: string[] } {
  const expected = new Set(
    (ROUTES as readonly RouteSpec[]).flatMap((r) => r.methods.flatMap((m) => r.paths.map((p) => `${r.surface} ${m} ${r.surface === 'es' && esPrefix ? esPrefix : ''}${p}`))),
  );
  const apiPaths = new Set((ROUTES as readonly RouteSpec[]).filter((r) => r.surface === 'api').flatMap((r) => r.paths.map((p) => `api ${p}`)));
  const { routes, reserved } = registeredRoutes(app);
  const got = new Set(routes);
  return {
    untabled: [...routes.filter((r) => !expected.has(r)), ...reserved.filter((r) => !apiPaths.has(r)).map((r) => `${r} (all methods)`)],
    unregistered: [...expected].filter((r) => !got.has(r)),
  };
}
