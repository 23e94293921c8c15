/**
 * Compiles one service into plain JavaScript that `node` runs without tsx or node_modules:
 *
 *   node ../../tools/build-service.mjs        # from services/<name> (its `build` script)
 *   node tools/build-service.mjs services/ingest services/worker   # several at once (pnpm start)
 *   import { buildService } from './build-service.mjs'; await buildService('services/worker');
 *
 * esbuild bundles `src/main.ts` (and `src/healthcheck.ts` when there is one) with every
 * dependency it reaches — workspace packages and npm packages alike — into `dist/`, one ESM file
 * each, so the production image needs neither dev dependencies nor node_modules. What the
 * bundle reads from disk at run time is copied beside it: the runtime's Redis Lua scripts
 * (resolved against `import.meta.url`). Optional native/alternative drivers stay external; their
 * importers fall back when they are absent (msgpackr's JS decoder, ioredis instead of Valkey GLIDE).
 * Takes about a second per service. A file whose bytes did not change is not touched and a changed
 * one is replaced by rename, so a running service or a concurrent build never sees a half file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Never bundled: optional native or alternative modules that their importers do without. */
const EXTERNAL = ['msgpackr-extract', '@valkey/valkey-glide', 'pino-pretty'];

function luaFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...luaFiles(p));
    else if (e.name.endsWith('.lua')) out.push(p);
  }
  return out;
}

/** Bundle the service in `serviceDir` (absolute or relative to the project root) into its dist/. */
export async function buildService(serviceDir) {
  const dir = resolve(ROOT, serviceDir);
  const dist = join(dir, 'dist');
  mkdirSync(dist, { recursive: true });
  const entryPoints = ['main', 'healthcheck'].filter((n) => existsSync(join(dir, 'src', `${n}.ts`))).map((n) => ({ in: join(dir, 'src', `${n}.ts`), out: n }));
  const result = await build({
    entryPoints,
    outdir: dist,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    // CommonJS dependencies call require() for Node built-ins; an ESM bundle needs one.
    banner: { js: "import { createRequire as __lfCreateRequire } from 'node:module'; const require = __lfCreateRequire(import.meta.url);" },
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  const files = new Map(result.outputFiles.map((f) => [f.path.slice(dist.length + 1), Buffer.from(f.contents)]));
  for (const lua of luaFiles(join(ROOT, 'packages/runtime/src'))) {
    const name = lua.slice(lua.lastIndexOf('/') + 1);
    if (files.has(name)) throw new Error(`two files named ${name}: the bundle keeps its Lua scripts in one folder`);
    files.set(name, readFileSync(lua));
  }
  files.set('package.json', Buffer.from('{ "type": "module" }\n'));
  for (const [name, bytes] of files) {
    const target = join(dist, name);
    if (existsSync(target) && readFileSync(target).equals(bytes)) continue;
    const tmp = `${target}.tmp-${process.pid}`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, target);
  }
  for (const name of readdirSync(dist)) if (!files.has(name) && !name.includes('.tmp-')) rmSync(join(dist, name), { recursive: true, force: true });
  return { dist, entries: entryPoints.map((e) => e.out), inputs: Object.keys(result.metafile.inputs).length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const targets = process.argv.length > 2 ? process.argv.slice(2) : [process.cwd()];
  const t0 = Date.now();
  for (const r of await Promise.all(targets.map((t) => buildService(t)))) {
    console.log(`built ${r.entries.map((e) => `${r.dist.slice(ROOT.length + 1)}/${e}.js`).join(', ')} from ${r.inputs} modules in ${Date.now() - t0} ms`);
  }
}
