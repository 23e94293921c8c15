/**
 * Auth and exposure: with INGEST_TOKENS and ADMIN_TOKEN set, every route of the table (all methods
 * and paths, with and without ES_PATH_PREFIX) refuses missing and wrong credentials (401), admin
 * routes refuse ingest tokens (403), and each accepted form (Bearer, Basic password, ApiKey raw or
 * base64(id:key), X-Api-Key) works. No answer — Redis stopped and forced-500 answers included —
 * carries a stack frame, a source path, a token or the Redis URL/password; the real process logs
 * no token at LOG_LEVEL=trace; and the express router registers exactly the table's routes.
 *
 *   tsx tools/faults/scenarios/auth.ts [--quick]
 */
import { startIngest, storeModel } from '../../../services/ingest/src/test-support/harness.ts';
import { startRedisServer } from '../../../tests/setup/redis-server.ts';
import { uniquePrefix } from '../../../tests/setup/redis.ts';
import { checkRoute, checkUnlisted, probe, sweep, type RouteOutcome } from '../fuzz/auth-checks.ts';
import { checkLogs } from '../fuzz/auth-logs.ts';
import { ADMIN_TOKEN, INGEST_TOKENS, compareWithTable, credentialForms, leaks, routeCases, secretValues, wrongForms } from '../fuzz/auth-matrix.ts';
import { finish, fmt, hasFlag, machine, onStop, table } from '../fuzz/report.ts';

const quick = hasFlag('quick');
const PASSWORD = 'redis-pw-Xq7Lm2';
const TOKENS = { INGEST_TOKENS: INGEST_TOKENS.join(','), ADMIN_TOKEN };
const failures: string[] = [];
const set = (xs: number[]) => [...new Set(xs)].sort().join(',');

const sections: string[] = [];
const summary: (string | number)[][] = [];
for (const prefix of [undefined, '/es']) {
  const redis = await startRedisServer({ args: ['--requirepass', PASSWORD] });
  onStop(() => redis.stop());
  const url = `redis://:${PASSWORD}@127.0.0.1:${redis.port}`;
  const secrets = secretValues(url);
  const h = await startIngest({ ...TOKENS, ...(prefix ? { ES_PATH_PREFIX: prefix } : {}) }, { redisUrl: url });
  h.models.scorer = await storeModel(h.registry, 'v1');
  const label = prefix ?? '(none)';

  const routes = compareWithTable(h.app.handler as never, prefix);
  const outcomes: RouteOutcome[] = [];
  for (const r of routeCases(prefix)) outcomes.push(await checkRoute(h.url, r, secrets));
  const bad = outcomes.flatMap((o) => o.failures.map((f) => `${o.route.method} ${o.route.path}: ${f}`));
  const unlisted = await checkUnlisted(h.url, routeCases(prefix), secrets);
  await redis.stop();
  const down = await sweep(h.url, routeCases(prefix), secrets);
  await h.close();

  failures.push(...bad.map((b) => `prefix ${label}: ${b}`), ...unlisted.failures, ...down.failures);
  if (routes.untabled.length || routes.unregistered.length) failures.push(`router ≠ table: ${JSON.stringify(routes)}`);
  const other5xx = Object.keys(down.statuses).filter((s) => Number(s) >= 500 && s !== '503');
  if (other5xx.length) failures.push(`prefix ${label}, Redis stopped: answers ${other5xx.join(', ')}`);
  const requests = outcomes.length * (1 + wrongForms().length + INGEST_TOKENS.length * 6 + 6);
  summary.push(
    [`ES prefix ${label}: route × credential cases (requests)`, `${outcomes.length} (${fmt(requests)})`, bad.length === 0 ? 'all as required' : `${bad.length} failures`],
    [`ES prefix ${label}: unlisted methods probed without credentials`, unlisted.probes, unlisted.failures.length === 0 ? 'none 2xx, no leak' : `${unlisted.failures.length} failures`],
    [`ES prefix ${label}: every route with Redis stopped (statuses)`, Object.entries(down.statuses).map(([s, n]) => `${s}×${n}`).join(' '), down.failures.length === 0 && other5xx.length === 0 ? 'no 5xx but 503, no leak' : 'FAILED'],
    [`ES prefix ${label}: router routes vs table`, `${routes.untabled.length} untabled, ${routes.unregistered.length} missing`, routes.untabled.length + routes.unregistered.length === 0 ? 'identical' : 'FAILED'],
  );
  if (prefix === undefined || !quick) {
    sections.push(
      `Credential matrix, ES prefix ${label} (statuses seen; "wrong" = ${wrongForms().length} forms, "ingest" = ${INGEST_TOKENS.length} tokens × ${credentialForms('x').length} forms, "admin" = ${credentialForms('x').length} forms):\n\n` +
        table(
          ['route', 'request', 'needs', 'no token', 'wrong', 'ingest', 'admin', 'ok'],
          outcomes.map((o) => [o.route.name, `${o.route.method} ${o.route.path}`, o.route.credential, o.missing, set(o.wrong), set(o.ingest), set(o.admin), o.failures.length ? 'NO' : 'yes']),
        ),
    );
  }
}

// A forced internal error whose text holds secrets: the answer is the generic 500.
const boom = () => Promise.reject(new Error(`cannot reach redis://:${PASSWORD}@10.0.0.7:6379 with ${ADMIN_TOKEN} (/work/main/x.ts:1:1)`));
const forcedRedis = await startRedisServer();
onStop(() => forcedRedis.stop());
const forced = await startIngest(TOKENS, { redisUrl: forcedRedis.url, overrides: { registry: { activeVersion: boom, list: boom, getMeta: boom, getBlob: boom } as never } });
const forcedAnswers = await Promise.all([
  probe(forced.url, 'GET', '/models', { authorization: `Bearer ${INGEST_TOKENS[0]}` }),
  probe(forced.url, 'GET', '/models/v1', { authorization: `Bearer ${INGEST_TOKENS[0]}` }),
  probe(forced.url, 'POST', '/models/v1/activate', { authorization: `Bearer ${ADMIN_TOKEN}` }),
]);
await forced.close();
await forcedRedis.stop();
const forcedLeaks = forcedAnswers.flatMap((p) => leaks(p.body, [PASSWORD, ADMIN_TOKEN, '10.0.0.7']));
if (forcedAnswers.some((p) => p.status !== 500) || forcedLeaks.length) failures.push(`forced 500: ${forcedAnswers.map((p) => p.status)} ${forcedLeaks.join(', ')}`);
summary.push(['forced internal error (secret in the error text) on 3 routes', forcedAnswers.map((p) => p.status).join(', '), forcedLeaks.length ? `leaks ${forcedLeaks.join(', ')}` : 'generic message, no leak']);

// The real process's logs.
const logRedis = await startRedisServer({ args: ['--requirepass', PASSWORD] });
onStop(() => logRedis.stop());
const logUrl = `redis://:${PASSWORD}@127.0.0.1:${logRedis.port}`;
const logs = await checkLogs(logRedis, logUrl, secretValues(logUrl).filter((s) => !s.includes('127.0.0.1')), uniquePrefix('logs'));
await logRedis.stop();
if (logs.found.length || logs.refusals === 0) failures.push(`logs: secrets found ${logs.found.join(', ')}; refusal lines ${logs.refusals}`);
summary.push(['real ingest process, LOG_LEVEL=trace: requests / log lines / refusal lines / lines during Redis outage', `${logs.requests} / ${logs.lines} / ${logs.refusals} / ${logs.outageLines}`, logs.found.length ? `FOUND ${logs.found.join(', ')}` : 'no token, no encoded token, no Redis password']);

const body = [
  table(['check', 'figures', 'result'], summary),
  ...sections,
  `Machine: ${machine()}. Redis with requirepass; the leak check looks for stack frames, file paths (/work/, /home/, /usr/, C:\\\\), node_modules, .ts:N, both tokens and the admin token raw and in their Basic/ApiKey base64 encodings, the Redis URL, host:port and password.`,
].join('\n\n');
finish('Auth and exposure', body, failures);
