/**
 * docker-compose.yml: valid for Debian's docker-compose 1.29 (when installed), four services,
 * ingest published on 5000, workers scalable (`--scale worker=N`), each service on the redis
 * service, and the same compiled entry files `pnpm start` runs. Without docker-compose the file is
 * checked line by line instead.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');
const source = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const hasCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;

type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };
/** YAML 1.2 with `<<` merge keys (compose files use them). */
const parseYaml = (text: string): Yaml => parse(text, { merge: true }) as Yaml;
type Obj = Record<string, Yaml>;
const obj = (v: Yaml | undefined): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});

// Validate copies of the file, so the checks neither depend on nor touch the developer's own
// .env: `dir` has no .env at all (a fresh clone), `withEnv` has one setting every variable.
const dir = mkdtempSync(join(tmpdir(), 'lf-compose-'));
copyFileSync(join(ROOT, 'docker-compose.yml'), join(dir, 'docker-compose.yml'));
const withEnv = mkdtempSync(join(tmpdir(), 'lf-compose-env-'));
copyFileSync(join(ROOT, 'docker-compose.yml'), join(withEnv, 'docker-compose.yml'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(withEnv, { recursive: true, force: true });
});

/** Every variable .env.example names (set or commented out). WORKERS is `pnpm start`'s only. */
const envNames = [...new Set([...readFileSync(join(ROOT, '.env.example'), 'utf8').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1] as string))]
  .filter((n) => n !== 'WORKERS');
/** Value of each variable in that .env (host ports must be numbers for compose to accept them). */
const dotenv = (n: string): string => ({ PORT: '8081', FORWARD_PORT: '24225' })[n] ?? `from-dotenv-${n}`;
writeFileSync(join(withEnv, '.env'), envNames.map((n) => `${n}=${dotenv(n)}`).join('\n') + '\n');

function composeConfig(env: NodeJS.ProcessEnv = {}, at = dir): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('docker-compose', ['-f', join(at, 'docker-compose.yml'), 'config'], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!hasCompose)('docker-compose config', () => {
  const run = hasCompose ? composeConfig() : { status: null, stdout: '', stderr: '' };
  const config = obj(hasCompose ? parseYaml(run.stdout) : null);
  const services = obj(config['services']);

  it('validates without a .env (exit 0): a fresh clone starts on the built-in defaults', () => {
    expect(existsSync(join(dir, '.env'))).toBe(false);
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.status).toBe(0);
    // Nothing set: the variables stay unset (null), so each service uses its own default.
    expect(obj(obj(services['ingest'])['environment'])['INGEST_TOKENS']).toBeNull();
  });

  it('passes every variable of a .env on to each service, except the ones compose fixes', () => {
    const r = composeConfig({}, withEnv);
    expect(r.status).toBe(0);
    const svc = obj(obj(parseYaml(r.stdout))['services']);
    // The values docker-compose.yml itself sets (non-null entries) win; every other one comes from .env.
    const declared = obj(obj(parseYaml(source))['services']);
    const fixed = Object.fromEntries(['ingest', 'worker', 'trainer'].map((name) => [name,
      Object.fromEntries(Object.entries(obj(obj(declared[name])['environment'])).filter(([, v]) => v !== null).map(([k, v]) => [k, String(v)]))]));
    expect(fixed['ingest']).toMatchObject({ REDIS_URL: 'redis://redis:6379', PORT: '5000' });
    for (const [name, pinned] of Object.entries(fixed)) {
      const env = obj(obj(svc[name])['environment']);
      for (const n of envNames) expect(env[n], `${name} ${n}`).toBe(pinned[n] ?? dotenv(n));
    }
    // The host ports come from .env too.
    expect((obj(svc['ingest'])['ports'] as Yaml[]).map((p) => obj(p)['published'])).toEqual([8081, 24225, 24225]);
  });

  it('has redis, ingest, worker and trainer', () => {
    expect(Object.keys(services).sort()).toEqual(['ingest', 'redis', 'trainer', 'worker']);
  });

  it('publishes ingest on 5000 and the forward input on 24224 (tcp + udp heartbeat), and only ingest', () => {
    const ports = obj(services['ingest'])['ports'] as Yaml[];
    expect(ports).toHaveLength(3);
    expect(obj(ports[0])).toMatchObject({ published: 5000, target: 5000 });
    expect(ports.slice(1).map((p) => obj(p))).toEqual([
      expect.objectContaining({ published: 24224, target: 24224, protocol: 'tcp' }),
      expect.objectContaining({ published: 24224, target: 24224, protocol: 'udp' }),
    ]);
    expect(obj(obj(services['ingest'])['environment'])['FORWARD_PORT']).toBe('24224');
    for (const name of ['redis', 'worker', 'trainer']) expect(obj(services[name])['ports']).toBeUndefined();
  });

  it('lets the worker scale: no container_name, no ports on any service', () => {
    for (const s of Object.values(services)) expect(obj(s)['container_name']).toBeUndefined();
  });

  it('runs redis 7 with AOF (everysec) on a named volume, with a redis-cli healthcheck', () => {
    const redis = obj(services['redis']);
    expect(redis['image']).toBe('redis:7');
    expect(redis['command']).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--appendfsync', 'everysec']));
    expect(redis['volumes']).toEqual(['redis-data:/data:rw']);
    expect(Object.keys(obj(config['volumes']))).toContain('redis-data');
    expect(obj(redis['healthcheck'])['test']).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it('starts each service from its compiled entry file, after a healthy redis, with REDIS_URL on it', () => {
    for (const name of ['ingest', 'worker', 'trainer']) {
      const s = obj(services[name]);
      expect(s['command']).toEqual([`services/${name}/dist/main.js`]);
      // dist/ is what the service's build script (tools/build-service.mjs) makes from src/main.ts.
      expect(existsSync(join(ROOT, `services/${name}/src/main.ts`))).toBe(true);
      expect((JSON.parse(readFileSync(join(ROOT, `services/${name}/package.json`), 'utf8')) as { scripts: Record<string, string> }).scripts['build']).toBe('node ../../tools/build-service.mjs');
      if (name !== 'ingest') {
        expect(obj(s['healthcheck'])['test']).toEqual(['CMD', 'node', `services/${name}/dist/healthcheck.js`]);
        expect(existsSync(join(ROOT, `services/${name}/src/healthcheck.ts`))).toBe(true);
      }
      expect(obj(s['depends_on'])['redis']).toEqual({ condition: 'service_healthy' });
      expect(obj(s['environment'])['REDIS_URL']).toBe('redis://redis:6379');
      expect(s['restart']).toBe('unless-stopped');
      expect(String(s['stop_grace_period'])).toMatch(/^\d+s$/);
      expect(obj(s['healthcheck'])['test']).toBeDefined();
      expect(obj(s['build'])['context']).toBe(dir);
    }
  });

  it('publishes the host port chosen by PORT while the container keeps 5000', () => {
    const r = composeConfig({ PORT: '8080' });
    expect(r.status).toBe(0);
    const ingest = obj(obj(obj(parseYaml(r.stdout))['services'])['ingest']);
    expect(obj((ingest['ports'] as Yaml[])[0])).toMatchObject({ published: 8080, target: 5000 });
    expect(obj(ingest['environment'])['PORT']).toBe('5000');
  });
});

describe('docker-compose.yml (text)', () => {
  it('declares the four services and a compose file format 1.29 accepts', () => {
    expect(source).toMatch(/^version: "3\.8"$/m);
    for (const name of ['redis', 'ingest', 'worker', 'trainer']) expect(source).toMatch(new RegExp(`^  ${name}:$`, 'm'));
    expect(source).not.toMatch(/^\s*container_name:/m);
    expect(source).toMatch(/condition: service_healthy/);
    // No env_file: compose 1.29 refuses to start when it is missing (and has no `required: false`).
    expect(source).not.toMatch(/^\s*env_file:/m);
    expect(source).toMatch(/"\$\{PORT:-5000\}:5000"/);
    expect(source).toMatch(/"\$\{FORWARD_PORT:-24224\}:24224\/tcp"/);
    expect(source).toMatch(/"\$\{FORWARD_PORT:-24224\}:24224\/udp"/);
  });

  it('passes every .env.example variable to ingest, worker and trainer (read with merge keys, as compose does)', () => {
    const services = obj(obj(parseYaml(source))['services']);
    for (const name of ['ingest', 'worker', 'trainer']) {
      const env = obj(obj(services[name])['environment']);
      expect(Object.keys(env).sort(), name).toEqual(expect.arrayContaining(envNames));
      expect(env['REDIS_URL']).toBe('redis://redis:6379');
    }
  });

  it('every service runs a file that the Dockerfile image contains', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM \$\{NODE_IMAGE\} AS build$/m);
    expect(dockerfile).toMatch(/^FROM \$\{NODE_IMAGE\} AS runtime$/m);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/npm install -g pnpm@9\.15\.9/);
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile --prod=false/);
    // The runtime stage gets only the folder tools/image-dry-run.sh assembles (and measures).
    expect(dockerfile).toMatch(/^RUN SKIP_BUILD=1 bash tools\/image-dry-run\.sh \/out$/m);
    expect(dockerfile).toMatch(/^COPY --from=build --chown=root:root \/out \/app$/m);
    expect(dockerfile.slice(dockerfile.indexOf('AS runtime'))).not.toMatch(/^COPY (?!--from=build --chown=root:root \/out \/app)/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^EXPOSE 5000$/m);
    expect(dockerfile).toMatch(/^EXPOSE 24224 24224\/udp$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["services\/ingest\/dist\/main\.js"\]$/m);
    // The image's pnpm is the one a stock machine has; package.json's engines must accept it.
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { pnpm: string } };
    expect(pkg.engines.pnpm).toBe('>=9.15 <11');
    // .dockerignore keeps secrets and host artefacts out of the build context.
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '.env', '.data', '.git']) expect(ignore).toContain(entry);
    expect(ignore).toContain('!.env.example');
  });
});
