/**
 * Fuzzing the ingest HTTP edge: the real app on a real Redis, listening on 127.0.0.1, receives
 * fast-check-generated requests (real shipper bodies mutated, random bytes, broken and bomb gzip,
 * deep nesting, huge strings, invalid UTF-8, bad msgpack, broken ES bulk, wrong headers) on
 * /ingest, /ingest/:tag, /_bulk, /:index/_bulk and /analyze over keep-alive connections, for up to
 * --http-seconds. Bodies left to reach --bodies go through the same route handlers and error
 * middleware in-process (./fuzz/target.ts); the two counts are reported separately.
 *
 * Invariant: no answer ≥ 500, no crash (uncaught exception / unhandled rejection) and /healthz
 * still 200 at the end, every 4xx a JSON error with a code and a non-empty message, and every job
 * that reached the queue parses with scoreJobSchema.
 *
 *   tsx tools/faults/scenarios/fuzz.ts [--quick] [--bodies 1000000] [--http-seconds 300] [--concurrency 8] [--seed 1]
 */
import { Worker } from 'node:worker_threads';
import { startRedisServer, type RedisHandle } from '../../../tests/setup/redis-server.ts';
import { sampleCases } from '../fuzz/cases.ts';
import { newTally, record, type Tally } from '../fuzz/client.ts';
import type { HttpWorkerInput } from '../fuzz/http-worker.ts';
import { fmt, finish, hasFlag, machine, numberFlag, onStop, percentile, table } from '../fuzz/report.ts';
import { TOKEN, createInProcess, startTarget } from '../fuzz/target.ts';

const quick = hasFlag('quick');
const BODIES = numberFlag('bodies', quick ? 20_000 : 1_000_000);
const HTTP_SECONDS = numberFlag('http-seconds', quick ? 30 : 300);
const CONCURRENCY = numberFlag('concurrency', 8);
const SEED = numberFlag('seed', 1);
const BATCH = 500;

/** True while requests are in flight: an uncaught error then counts as a crash of the app. */
let serving = false;
let crashes = 0;
const crashNotes: string[] = [];
process.on('uncaughtException', (err) => {
  if (!serving) {
    process.stderr.write(`fuzz scenario failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  }
  crashes++;
  if (crashNotes.length < 5) crashNotes.push(`uncaught: ${String(err).slice(0, 200)}`);
});
process.on('unhandledRejection', (err) => {
  if (!serving) {
    process.stderr.write(`fuzz scenario failed: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(2);
  }
  crashes++;
  if (crashNotes.length < 5) crashNotes.push(`unhandled rejection: ${String(err).slice(0, 200)}`);
});

let redis: RedisHandle | undefined;
const redisUrl = process.env['REDIS_URL'] ?? (redis = await startRedisServer()).url;
onStop(() => redis?.stop());
const target = await startTarget(redisUrl);

// Phase 1: HTTP, from a worker thread (generation + client), the server on this thread.
const input: HttpWorkerInput = { url: target.h.url, token: TOKEN, bodies: BODIES, seconds: HTTP_SECONDS, concurrency: CONCURRENCY, seed: SEED };
// Workers do not inherit the tsx loader: register it inside the worker before importing the .ts file.
const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(new URL('../fuzz/http-worker.ts', import.meta.url).href)}); });`;
const worker = new Worker(boot, { eval: true, workerData: input });
serving = true;
const { tally: http, seconds: httpSeconds } = await new Promise<{ tally: Tally; seconds: number }>((resolve, reject) => {
  worker.once('message', resolve);
  worker.once('error', reject);
  worker.once('exit', (code) => reject(new Error(`the HTTP worker exited with ${code} before reporting`)));
});
serving = false;
await worker.terminate();
const health = await fetch(`${target.h.url}/healthz`).then((r) => r.status).catch(() => 0);
await target.drain();
// A job anywhere but "waiting" would have escaped the audit (no worker runs here): parse those too.
const leftovers = (await target.h.scoreJobs().catch(() => [])).length;
const serverTimes = target.times;
const loopMaxMs = target.loop.max / 1e6;
const scorer = target.h.models.scorer;
await target.stop();
await redis?.stop();

// Phase 2: the rest in-process, through the same handlers.
const inproc = newTally();
const inprocTimes: number[] = [];
const remaining = Math.max(0, BODIES - http.sent);
if (remaining > 0 && scorer) {
  const ip = createInProcess(scorer);
  let done = 0;
  let b = 0;
  while (done < remaining) {
    const cases = sampleCases(Math.min(BATCH, remaining - done), SEED * 7_000_003 + b++);
    for (const c of cases) {
      const t0 = performance.now();
      const r = await ip.handle(c).catch((e: Error) => e);
      inprocTimes.push(performance.now() - t0);
      record(inproc, c, r instanceof Error ? r : { status: r.status, contentType: r.contentType, body: r.body });
    }
    done += cases.length;
  }
  target.audit.jobs += ip.audit.jobs;
  target.audit.malformed += ip.audit.malformed;
}

const classes = ['2xx', '4xx', '5xx', 'transport error'];
const figures = table(
  ['figure', 'over HTTP', 'in-process (same handlers)'],
  [
    ['bodies sent', fmt(http.sent), fmt(inproc.sent)],
    ['wall time', `${fmt(httpSeconds, 1)} s`, '—'],
    ['longest event-loop stall of the server thread', `${fmt(loopMaxMs, 0)} ms`, '—'],
    ...classes.map((c) => [`responses ${c}`, fmt(http.classes[c] ?? 0), fmt(inproc.classes[c] ?? 0)]),
    ['4xx not a JSON error with code + message', fmt(http.violations), fmt(inproc.violations)],
    ['handling time p50 / p99 / max (ms)', `${fmt(percentile(serverTimes, 0.5), 2)} / ${fmt(percentile(serverTimes, 0.99), 2)} / ${fmt(percentile(serverTimes, 1), 1)}`,
      `${fmt(percentile(inprocTimes, 0.5), 2)} / ${fmt(percentile(inprocTimes, 0.99), 2)} / ${fmt(percentile(inprocTimes, 1), 1)}`],
  ],
);
const kinds = [...new Set([...Object.keys(http.byKind), ...Object.keys(inproc.byKind)])].sort();
const byKind = table(
  ['body kind', 'HTTP 2xx', 'HTTP 4xx', 'HTTP ≥500', 'in-process 2xx', 'in-process 4xx', 'in-process ≥500'],
  kinds.map((k) => {
    const a = http.byKind[k] ?? {};
    const b = inproc.byKind[k] ?? {};
    return [k, fmt(a['2xx'] ?? 0), fmt(a['4xx'] ?? 0), fmt(a['5xx'] ?? 0), fmt(b['2xx'] ?? 0), fmt(b['4xx'] ?? 0), fmt(b['5xx'] ?? 0)];
  }),
);
const summary = table(
  ['check', 'result'],
  [
    ['bodies in total (HTTP + in-process)', fmt(http.sent + inproc.sent)],
    ['crashes (uncaught exceptions / unhandled rejections)', fmt(crashes)],
    ['GET /healthz after the HTTP phase', String(health)],
    ['score jobs taken off the queue and parsed with scoreJobSchema', fmt(target.audit.jobs)],
    ['jobs that did not parse', fmt(target.audit.malformed)],
    ['jobs left in any other queue state', fmt(leftovers)],
  ],
);

const failures: string[] = [];
const fivexx = (http.classes['5xx'] ?? 0) + (inproc.classes['5xx'] ?? 0);
if (fivexx > 0) failures.push(`${fivexx} answers ≥ 500`);
if (crashes > 0) failures.push(`${crashes} crashes: ${crashNotes.join('; ')}`);
if (health !== 200) failures.push(`/healthz answered ${health} after the run`);
if (http.violations + inproc.violations > 0) failures.push(`${http.violations + inproc.violations} refusals without a JSON error message`);
if (target.audit.malformed > 0) failures.push(`${target.audit.malformed} malformed jobs: ${target.audit.examples.join('; ')}`);
if (leftovers > 0) failures.push(`${leftovers} jobs were left on the queue unaudited`);
if (http.sent + inproc.sent < BODIES) failures.push(`only ${http.sent + inproc.sent} of ${BODIES} bodies were sent`);
const examples = [...http.examples, ...inproc.examples];
const notes = [
  `Machine: ${machine()}. Seed ${SEED}, concurrency ${CONCURRENCY}, HTTP budget ${HTTP_SECONDS} s, ${quick ? 'quick' : 'full'} run.`,
  `Limits: MAX_BODY_BYTES 8 MiB, MAX_DECOMPRESSED_BYTES 16 MiB; transport errors (a connection closed while a >8 MiB body was still being sent) are counted, not judged.`,
  examples.length ? `First problems seen:\n${examples.map((e) => `- ${e}`).join('\n')}` : '',
].filter(Boolean);
finish('Fuzzing the ingest edge', [summary, figures, byKind, notes.join('\n\n')].join('\n\n'), failures);
