/**
 * docker-compose.yml: valid for Debian's docker-compose 1.29 (when installed), four services,
 * ingest published on 5000, workers scalable (`--scale worker=N`), each service on the redis
 * service, and the same compiled entry files `pnpm start` runs. Without docker-compose the file is
 * checked line by line instead.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseYaml, type Yaml } from './mini-yaml.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const source = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const hasCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;

type Obj = Record<string, Yaml>;
const obj = (v: Yaml | undefined): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});

// `config` needs the env_file to exist: validate a copy whose .env is .env.example, so the
// check does not depend on (or touch) the developer's own .env.
const dir = mkdtempSync(join(tmpdir(), 'lf-compose-'));
copyFileSync(join(ROOT, 'docker-compose.yml'), join(dir, 'docker-compose.yml'));
copyFileSync(join(ROOT, '.env.example'), join(dir, '.env'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function composeConfig(env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('docker-compose', ['-f', join(dir, 'docker-compose.yml'), 'config'], {
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

  it('validates (exit 0)', () => {
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.status).toBe(0);
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
    expect(source).toMatch(/env_file: \.env/);
    expect(source).toMatch(/"\$\{PORT:-5000\}:5000"/);
    expect(source).toMatch(/"\$\{FORWARD_PORT:-24224\}:24224\/tcp"/);
    expect(source).toMatch(/"\$\{FORWARD_PORT:-24224\}:24224\/udp"/);
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
