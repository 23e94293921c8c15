/** The command line of `pnpm start` (tools/start.ts): `--help` text and parsing. */
import { resolve } from 'node:path';

export function usage(): string {
  return [
    'usage: pnpm start [--workers N] [--redis-dir DIR] [--cluster [--cluster-replicas R]]',
    '  --workers N             worker processes (default: WORKERS or 1)',
    '  --redis-dir DIR         data directory of the local redis-server started when REDIS_URL is unset (default .data/redis)',
    '  --cluster               run on a throw-away local Redis Cluster: 3 masters on free ports (redis-server and',
    '                          redis-cli from PATH), data in a temp dir removed on stop; REDIS_URL is then ignored',
    '  --cluster-replicas R    with --cluster: R replicas per master (default 0, at most 2)',
    'An existing Redis Cluster: REDIS_CLUSTER_NODES=host:port,host:port,... pnpm start (no local Redis is started).',
    'PORT, HOST, REDIS_URL, REDIS_CLUSTER_NODES and every service variable (see .env.example) come from the environment and .env.',
  ].join('\n');
}

export interface Args {
  workers: number;
  redisDir: string;
  /** --cluster: replicas per master of the local cluster; undefined without --cluster. */
  clusterReplicas: number | undefined;
}

export function parseArgs(argv: string[], defaultRedisDir: string, fatal: (message: string) => never): Args {
  let raw = process.env['WORKERS']?.trim() || '1';
  let redisDir = defaultRedisDir;
  let cluster = false;
  let replicas: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') continue; // `pnpm start -- --cluster`: pnpm 9 passes the separator on
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const next = (): string => inline ?? argv[++i] ?? fatal(`${flag} needs a value\n${usage()}`);
    if (flag === '--help' || flag === '-h') {
      console.log(usage());
      process.exit(0);
    } else if (flag === '--workers' || flag === '-w') raw = next();
    else if (flag === '--redis-dir') redisDir = resolve(next());
    else if (flag === '--cluster' && inline === undefined) cluster = true;
    else if (flag === '--cluster-replicas') replicas = next();
    else fatal(`unknown argument ${a}\n${usage()}`);
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) fatal(`--workers / WORKERS must be a whole number from 1 to 64 (got ${JSON.stringify(raw)})`);
  const r = Number(replicas ?? '0');
  if (replicas !== undefined && !cluster) fatal(`--cluster-replicas needs --cluster\n${usage()}`);
  if (!Number.isInteger(r) || r < 0 || r > 2) fatal(`--cluster-replicas must be 0, 1 or 2 (got ${JSON.stringify(replicas)})`);
  return { workers: n, redisDir, clusterReplicas: cluster ? r : undefined };
}
