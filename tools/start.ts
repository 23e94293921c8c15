/**
 * `pnpm start`: the whole logforest stack on one machine.
 *
 *   pnpm start                 # ingest + 1 worker + trainer (+ a local redis-server if needed)
 *   pnpm start --workers 4     # or WORKERS=4 pnpm start
 *   pnpm start --redis-dir /var/lib/logforest/redis   # where the local redis-server keeps its data
 *   REDIS_CLUSTER_NODES=10.0.0.1:7000,10.0.0.2:7000 pnpm start   # on an existing Redis Cluster
 *   pnpm start --cluster       # on a throw-away local 3-master Redis Cluster (to try it)
 *
 * Redis: REDIS_CLUSTER_NODES when set (checked: reachable, cluster_state:ok; no local Redis is
 * started), else REDIS_URL when set (checked with a PING), otherwise a redis-server from PATH with
 * its data (AOF) in `.data/redis/`; with none, one message says how to get Redis and start exits 1.
 * `--cluster` runs 3 masters (`--cluster-replicas R`: R replicas each) with redis-server/redis-cli
 * on free ports, data in a temp dir removed on stop (tools/start/cluster.ts).
 * `.env` in the project is loaded when present (the environment wins over it). The services are
 * compiled first (tools/build-service.mjs, esbuild, a few seconds, so edits always count) and each
 * runs as `node services/<name>/dist/main.js` — what the Docker image runs — with its output
 * prefixed by its name. Once ingest answers /healthz the URLs and
 * shipper snippets for the port in use are printed, with the Prometheus scrape targets: ingest's
 * /metrics on PORT, worker i on METRICS_PORT+i-1 (default 9464, 9465, …) and the trainer on the
 * next port. Workers get CONSOLE_URL (alert links) pointing at this ingest unless it is set.
 *
 * Ctrl-C / SIGTERM: services get SIGTERM (SIGKILL after a grace period), Redis is stopped last.
 * When a child dies on its own, the others are stopped and start exits 1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { redactUrl } from '../packages/runtime/src/config/redact.ts';
import { adopt, alive, createOutput, killAll, spawnChild, stopChild, type Child } from './start/children.ts';
import type { RedisOptions } from 'ioredis';
import { checkCluster, singleRedisAuth, startLocalCluster } from './start/cluster.ts';
import type { RedisClusterHandle } from '../tests/setup/redis-cluster.ts';
import { NO_REDIS_MESSAGE, anyFreePort, pingRedis, portFree, startLocalRedis, which } from './start/redis.ts';
import { parseArgs } from './start/args.ts';
import { banner } from './start/snippets.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SERVICE_GRACE_MS = 20_000;
const REDIS_GRACE_MS = 10_000;
const HEALTH_TIMEOUT_MS = 90_000;

const out = createOutput();
out.add('start');
const say = (text: string): void => out.line('start', text);

/** `path` relative to the working directory when it lies inside it, else absolute. */
function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function fatal(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

// ---- configuration ---------------------------------------------------------------------------
const envFile = join(ROOT, '.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);
const { workers, redisDir: localRedisDir, clusterReplicas } = parseArgs(process.argv.slice(2), join(ROOT, '.data', 'redis'), fatal);
const clusterNodes = process.env['REDIS_CLUSTER_NODES']?.trim();
if (clusterReplicas !== undefined && clusterNodes) {
  fatal(`--cluster starts its own local cluster, but REDIS_CLUSTER_NODES is set (${clusterNodes}): drop one of them`);
}
const workerName = (i: number): string => (workers === 1 ? 'worker' : `worker-${i}`);
// Every prefix known up front, so the columns line up from the first line.
for (const name of ['redis', 'ingest', ...Array.from({ length: workers }, (_, i) => workerName(i + 1)), 'trainer']) out.add(name);

let port = Number(process.env['PORT']?.trim() || '5000');
if (!Number.isInteger(port) || port < 0 || port > 65535) fatal(`PORT must be a whole number from 0 to 65535 (got ${JSON.stringify(process.env['PORT'])})`);
if (port === 0) port = await anyFreePort();
const listen = process.env['HOST']?.trim() || '0.0.0.0';
const host = listen === '0.0.0.0' || listen === '::' ? '127.0.0.1' : listen;
if (!(await portFree(port))) fatal(`port ${port} is already in use: stop what listens there, or set PORT (e.g. PORT=5001 pnpm start)`);
// The forward input (FORWARD_PORT, default 24224; 0 = off) is turned off rather than failing start
// when its port is taken (a local Fluentd often holds 24224).
let forwardPort = Number(process.env['FORWARD_PORT']?.trim() || '24224');
if (!Number.isInteger(forwardPort) || forwardPort < 0 || forwardPort > 65535) fatal(`FORWARD_PORT must be a whole number from 0 to 65535 (got ${JSON.stringify(process.env['FORWARD_PORT'])})`);
if (forwardPort > 0 && !(await portFree(forwardPort))) {
  say(`forward port ${forwardPort} is already in use: the Fluentd forward input is off (set FORWARD_PORT to another port)`);
  forwardPort = 0;
}
/** First worker/trainer metrics port (worker i: base+i-1, trainer: base+workers). */
const DEFAULT_METRICS_PORT = 9464;
const metricsBase = Number(process.env['METRICS_PORT']?.trim() || DEFAULT_METRICS_PORT);
if (!Number.isInteger(metricsBase) || metricsBase < 1 || metricsBase + workers > 65535) {
  fatal(`METRICS_PORT must be a whole number from 1 to ${65535 - workers} (got ${JSON.stringify(process.env['METRICS_PORT'])})`);
}
for (let p = metricsBase; p <= metricsBase + workers; p++) {
  if (p === port || !(await portFree(p))) {
    fatal(`metrics port ${p} (worker/trainer /metrics, from METRICS_PORT=${metricsBase}) is already in use: set METRICS_PORT to another base, e.g. METRICS_PORT=${metricsBase + 100} pnpm start`);
  }
}
const consoleUrl = process.env['CONSOLE_URL']?.trim() || `http://${host}:${port}`;

// ---- lifecycle -------------------------------------------------------------------------------
const services: Child[] = [];
let redisChild: Child | undefined;
/** --cluster: the local cluster and its nodes (stopped after the services). */
let localCluster: RedisClusterHandle | undefined;
const clusterChildren: Child[] = [];
/** The local cluster while it is being created (a stop waits for it, so no node is left behind). */
let clusterStarting: Promise<unknown> | undefined;
let shuttingDown = false;
let firstSignalAt = 0;
const redisChildren = (): Child[] => [...(redisChild ? [redisChild] : []), ...clusterChildren];

process.on('exit', () => killAll([...services, ...redisChildren()]));

async function shutdown(code: number, why: string): Promise<never> {
  if (shuttingDown) return new Promise<never>(() => undefined);
  shuttingDown = true;
  say(`stopping (${why}): SIGTERM to ${services.filter(alive).map((c) => c.name).join(', ') || 'no service'}`);
  const results = await Promise.all(services.map(async (c) => [c.name, await stopChild(c, SERVICE_GRACE_MS)] as const));
  for (const [name, how] of results) if (how === 'killed') say(`${name} did not stop within ${SERVICE_GRACE_MS / 1000} s: killed`);
  if (redisChild) {
    say('stopping redis-server');
    await stopChild(redisChild, REDIS_GRACE_MS);
  }
  await clusterStarting?.catch(() => undefined);
  if (localCluster) {
    say(`stopping the local Redis Cluster (${clusterChildren.length} redis-server)`);
    await Promise.all(clusterChildren.map((c) => stopChild(c, REDIS_GRACE_MS)));
    await localCluster.stop(); // removes its temp dir
  }
  say(code === 0 ? 'stopped' : 'stopped after an error');
  process.exit(code);
}

function onSignal(signal: NodeJS.Signals): void {
  const now = Date.now();
  if (shuttingDown) {
    // pnpm and tsx may relay the same Ctrl-C a moment later: only a deliberate second one forces.
    if (now - firstSignalAt > 1500) {
      say(`${signal} again: killing everything now`);
      killAll([...services, ...redisChildren()]);
      process.exit(130);
    }
    return;
  }
  firstSignalAt = now;
  void shutdown(0, signal);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', onSignal);
process.on('uncaughtException', (err) => {
  say(`internal error: ${err.stack ?? err.message}`);
  void shutdown(1, 'internal error');
});

function watch(child: Child): void {
  void child.exited.then((how) => {
    if (shuttingDown || child.stopping) return;
    say(`${child.name} exited unexpectedly (${how})`);
    void shutdown(1, `${child.name} died`);
  });
}

// ---- Redis -----------------------------------------------------------------------------------
let redisUrl = process.env['REDIS_URL']?.trim();
let redisDir: string | undefined;
/** What the services get: REDIS_CLUSTER_NODES for a cluster, else REDIS_URL. */
let redisVars: NodeJS.ProcessEnv = {};
/** Shown in the banner: where Redis is, and what it is. */
let redisShown = '';
let redisNote: string | undefined;
if (clusterReplicas !== undefined) {
  say(`starting a local Redis Cluster: 3 masters${clusterReplicas ? ` + ${clusterReplicas} replica${clusterReplicas > 1 ? 's' : ''} each` : ''}`);
  clusterStarting = startLocalCluster(3, clusterReplicas);
  try {
    localCluster = await clusterStarting as RedisClusterHandle;
  } catch (err) {
    fatal(`could not start the local Redis Cluster: ${(err as Error).message}`);
  }
  for (const node of localCluster.nodes) {
    const child = adopt(`redis:${node.port}`, node.proc);
    clusterChildren.push(child);
    watch(child);
  }
  redisVars = { REDIS_CLUSTER_NODES: localCluster.seeds };
  redisShown = `cluster ${localCluster.seeds}`;
  redisNote = `local cluster from --cluster (pids ${localCluster.nodes.map((n) => n.proc.pid).join(' ')}), throw-away: data in ${localCluster.dir}, removed on stop`;
  say(`redis cluster started on ${localCluster.seeds}, data in ${localCluster.dir}`);
} else if (clusterNodes) {
  try {
    const found = await checkCluster(process.env);
    redisShown = found.where;
    redisNote = `${found.masters} master${found.masters === 1 ? '' : 's'}, ${found.replicas} replica${found.replicas === 1 ? '' : 's'}`;
    say(`using the Redis Cluster at REDIS_CLUSTER_NODES (${found.where}: ${redisNote}, cluster_state:ok)`);
  } catch (err) {
    fatal((err as Error).message);
  }
  redisVars = { REDIS_CLUSTER_NODES: clusterNodes };
} else if (redisUrl) {
  let auth: RedisOptions = {};
  try {
    auth = singleRedisAuth(process.env);
  } catch (err) {
    fatal((err as Error).message);
  }
  const problem = await pingRedis(redisUrl, 5000, auth);
  if (problem) fatal(`cannot reach Redis at REDIS_URL=${redactUrl(redisUrl)}: ${problem}`);
  say(`using Redis at ${redactUrl(redisUrl)}`);
} else {
  const binary = which('redis-server');
  if (!binary) fatal(NO_REDIS_MESSAGE);
  redisDir = localRedisDir;
  try {
    const local = await startLocalRedis(binary, redisDir, (l) => out.line('redis', l), (proc) => {
      redisChild = adopt('redis', proc);
    });
    redisUrl = local.url;
  } catch (err) {
    fatal(`could not start redis-server: ${(err as Error).message}`);
  }
  const child = redisChild as unknown as Child;
  say(`redis started (pid ${child.proc.pid}) on ${redisUrl}, data in ${redisDir}`);
  watch(child);
}
if (!redisShown) {
  redisVars = { REDIS_URL: redisUrl };
  redisShown = redactUrl(redisUrl as string);
  if (redisDir) redisNote = `local redis-server, data in ${shortPath(redisDir)}`;
}
if (shuttingDown) await new Promise(() => undefined);

// ---- services --------------------------------------------------------------------------------
const t0 = Date.now();
const built = spawnSync(process.execPath, [join(ROOT, 'tools/build-service.mjs'), 'services/ingest', 'services/worker', 'services/trainer'], { cwd: ROOT, encoding: 'utf8' });
if (built.status !== 0) {
  say(`building the services failed:\n${built.stdout}${built.stderr}`);
  await shutdown(1, 'build failed');
}
say(`services compiled to services/*/dist in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

function start(name: string, entry: string, extra: NodeJS.ProcessEnv): Child {
  const env: NodeJS.ProcessEnv = { ...process.env, ...redisVars, ...extra };
  const child = spawnChild({ name, args: [entry], cwd: ROOT, env, out });
  say(`${name} started (pid ${child.proc.pid})`);
  services.push(child);
  watch(child);
  return child;
}

const metrics: Array<[string, string]> = [['ingest', `http://${host}:${port}/metrics`]];
const metricsEnv = (name: string, offset: number): NodeJS.ProcessEnv => {
  metrics.push([name, `http://${host}:${metricsBase + offset}/metrics`]);
  return { METRICS_PORT: String(metricsBase + offset) };
};

const ingest = start('ingest', 'services/ingest/dist/main.js', { PORT: String(port), HOST: listen, FORWARD_PORT: String(forwardPort) });
for (let i = 1; i <= workers; i++) start(workerName(i), 'services/worker/dist/main.js', { ...metricsEnv(workerName(i), i - 1), CONSOLE_URL: consoleUrl });
start('trainer', 'services/trainer/dist/main.js', metricsEnv('trainer', workers));

/** `alertmanager → host:port` for the banner (never the URL itself: it may carry a token). */
function alertTarget(): string | undefined {
  const url = process.env['ALERT_WEBHOOK_URL']?.trim();
  if (!url) return undefined;
  let where = 'an invalid ALERT_WEBHOOK_URL';
  try {
    where = new URL(url).host;
  } catch {
    // the worker reports it
  }
  return `${process.env['ALERT_FORMAT']?.trim() || 'json'} → ${where}`;
}

// ---- wait for ingest -------------------------------------------------------------------------
const deadline = Date.now() + HEALTH_TIMEOUT_MS;
let healthy = false;
while (!shuttingDown && alive(ingest) && Date.now() < deadline) {
  try {
    const res = await fetch(`http://${host}:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
    if (res.ok) {
      healthy = true;
      break;
    }
  } catch {
    // not listening yet
  }
  await new Promise((r) => setTimeout(r, 250));
}
if (!healthy) {
  if (!shuttingDown) void shutdown(1, `ingest did not answer http://${host}:${port}/healthz within ${HEALTH_TIMEOUT_MS / 1000} s`);
} else {
  process.stdout.write(
    banner({
      host,
      port,
      listen,
      esPrefix: (process.env['ES_PATH_PREFIX']?.trim() ?? '').replace(/\/+$/, ''),
      ingestTokens: Boolean(process.env['INGEST_TOKENS']?.split(',').some((t) => t.trim())),
      adminToken: Boolean(process.env['ADMIN_TOKEN']?.trim()),
      redis: redisShown,
      redisNote,
      workers,
      metrics,
      forwardPort,
      alerts: alertTarget(),
    }),
  );
}
