/**
 * The checks of the auth/exposure scenario and test, against a running ingest (in-process app or
 * the real process): the credential matrix over every route, methods the table does not list,
 * and the leak check applied to every answer.
 */
import { ADMIN_TOKEN, INGEST_TOKENS, credentialForms, leaks, wrongForms, type RouteCase } from './auth-matrix.ts';

export interface Probe {
  status: number;
  body: string;
  challenge: string | null;
}

export async function probe(base: string, method: string, path: string, headers: Record<string, string>): Promise<Probe> {
  const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
  const res = await fetch(`${base}${path}`, { method, headers, ...(withBody ? { body: '' } : {}), signal: AbortSignal.timeout(30_000) });
  return { status: res.status, body: method === 'HEAD' ? '' : await res.text(), challenge: res.headers.get('www-authenticate') };
}

export interface RouteOutcome {
  route: RouteCase;
  missing: number;
  wrong: number[];
  ingest: number[];
  admin: number[];
  failures: string[];
}

const denied = (s: number) => s === 401 || s === 403;

/** One route against every credential form; failures name the form and what came back. */
export async function checkRoute(base: string, r: RouteCase, secrets: readonly string[]): Promise<RouteOutcome> {
  const failures: string[] = [];
  const seen = (what: string, p: Probe) => {
    const l = leaks(p.body, secrets);
    if (l.length) failures.push(`${what}: body leaks ${l.join(', ')}`);
    if (p.status >= 500 && p.status !== 503) failures.push(`${what}: ${p.status}`);
    return p.status;
  };
  const anon = await probe(base, r.method, r.path, {});
  const missing = seen('no credentials', anon);
  const wrong: number[] = [];
  for (const [name, h] of wrongForms()) wrong.push(seen(name, await probe(base, r.method, r.path, h)));
  const ingest: number[] = [];
  for (const token of INGEST_TOKENS) for (const [name, h] of credentialForms(token)) ingest.push(seen(`ingest ${name}`, await probe(base, r.method, r.path, h)));
  const admin: number[] = [];
  for (const [name, h] of credentialForms(ADMIN_TOKEN)) admin.push(seen(`admin ${name}`, await probe(base, r.method, r.path, h)));

  if (r.credential === 'none') {
    if ([missing, ...wrong, ...ingest, ...admin].some(denied)) failures.push('an open route refused a caller');
  } else {
    if (missing !== 401) failures.push(`no credentials → ${missing}, expected 401`);
    else if (!anon.challenge) failures.push('401 without WWW-Authenticate');
    wrong.forEach((s, i) => s !== 401 && failures.push(`${wrongForms()[i]?.[0]} → ${s}, expected 401`));
    admin.forEach((s, i) => denied(s) && failures.push(`admin ${credentialForms(ADMIN_TOKEN)[i]?.[0]} → ${s}`));
    if (r.credential === 'ingest') ingest.forEach((s) => denied(s) && failures.push(`an ingest token was refused (${s})`));
    else ingest.forEach((s) => !denied(s) && failures.push(`an ingest token got ${s} on an admin route`));
  }
  return { route: r, missing, wrong, ingest, admin, failures };
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/** Methods the table does not list for a path: never 2xx without credentials, no leaks. */
export async function checkUnlisted(base: string, cases: readonly RouteCase[], secrets: readonly string[]): Promise<{ probes: number; failures: string[] }> {
  const listed = new Map<string, Set<string>>();
  for (const c of cases) listed.set(c.path, new Set([...(listed.get(c.path) ?? []), c.method, ...(c.method === 'GET' ? ['HEAD'] : [])]));
  const failures: string[] = [];
  let probes = 0;
  for (const [path, methods] of listed) {
    for (const m of METHODS.filter((x) => !methods.has(x))) {
      probes++;
      const p = await probe(base, m, path, {});
      if (p.status < 300) failures.push(`${m} ${path} without credentials → ${p.status}`);
      if (p.status >= 500) failures.push(`${m} ${path} → ${p.status}`);
      const l = leaks(p.body, secrets);
      if (l.length) failures.push(`${m} ${path}: body leaks ${l.join(', ')}`);
    }
  }
  return { probes, failures };
}

/** Every route with the admin token (Redis down, forced errors): statuses and leaks. */
export async function sweep(base: string, cases: readonly RouteCase[], secrets: readonly string[]): Promise<{ statuses: Record<string, number>; failures: string[] }> {
  const statuses: Record<string, number> = {};
  const failures: string[] = [];
  for (const c of cases) {
    const p = await probe(base, c.method, c.path, { authorization: `Bearer ${ADMIN_TOKEN}` });
    statuses[p.status] = (statuses[p.status] ?? 0) + 1;
    const l = leaks(p.body, secrets);
    if (l.length) failures.push(`${c.method} ${c.path} (${p.status}): body leaks ${l.join(', ')}`);
  }
  return { statuses, failures };
}
