/**
 * `pnpm test:faults` — run every fault scenario in tools/faults/scenarios/ in its own child
 * process, in a fixed order (crash, redis, overload, fuzz, adversarial, auth, model; then any
 * other file alphabetically), collect the markdown section each prints, print them with a
 * summary, and exit non-zero when a scenario's invariant failed or it crashed / ran out of time.
 *
 *   pnpm test:faults [--quick] [--only crash,redis] [--write]
 *
 * --quick  shorter runs (each scenario decides what that means)
 * --only   scenario names (file name without .ts, or its prefix), comma-separated or repeated
 * --write  write the crash/redis/overload sections to docs/reliability/faults.md (sections of
 *          scenarios not run this time are kept as they were)
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '../..');
const SCENARIOS = join(import.meta.dirname, 'scenarios');
const DOC = join(ROOT, 'docs/reliability/faults.md');
const ORDER = ['crash', 'redis', 'overload', 'fuzz', 'adversarial', 'auth', 'model'];
/** Scenarios whose sections go to docs/reliability/faults.md. */
const OURS = ['crash', 'redis', 'overload'];
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, write: { type: 'boolean' }, only: { type: 'string', multiple: true } },
});
const quick = values.quick === true;
const only = (values.only ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
const limitMs = (quick ? 8 : 25) * 60_000;

const rank = (name: string): number => {
  const i = ORDER.findIndex((o) => name.startsWith(o));
  return i < 0 ? ORDER.length : i;
};
const files = existsSync(SCENARIOS)
  ? readdirSync(SCENARIOS)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
      .map((f) => basename(f, '.ts'))
      .filter((n) => only.length === 0 || only.some((o) => n === o || n.startsWith(o)))
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  : [];
if (files.length === 0) {
  console.error(only.length ? `no scenario matches --only ${only.join(',')}` : `no scenarios in ${SCENARIOS}`);
  process.exit(2);
}

interface Ran {
  name: string;
  status: 'passed' | 'failed' | 'crashed' | 'timed out';
  seconds: number;
  markdown: string;
}

let interrupted = false;
let current: ReturnType<typeof spawn> | undefined;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    interrupted = true;
    current?.kill('SIGTERM'); // the scenario kills what it started, then exits
  });
}

function runOne(name: string): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, join(SCENARIOS, `${name}.ts`), ...(quick ? ['--quick'] : [])], {
      cwd: ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    current = child;
    let out = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => process.stderr.write(d.toString().replace(/^(?=.)/gm, `[${name}] `)));
    // SIGTERM lets the scenario kill what it started; SIGKILL if it does not go.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    }, limitMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      current = undefined;
      const status: Ran['status'] = timedOut ? 'timed out' : code === 0 ? 'passed' : code === 1 ? 'failed' : 'crashed';
      resolve({ name, status, seconds: (Date.now() - started) / 1000, markdown: out.trim() });
    });
  });
}

function redisVersion(): string {
  try {
    return /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function machine(): string {
  const cpu = cpus();
  const load = loadavg().map((l) => l.toFixed(1)).join(' / ');
  return (
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${release()}, ` +
    `Node ${process.version}, redis-server ${redisVersion()}; load average at start ${load} (1/5/15 min) — shared with other work, so figures are as measured on a loaded machine`
  );
}

/** Replace (or append) the marked section of each scenario run now; keep the others. */
function writeDoc(ran: readonly Ran[], header: string): void {
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
  const intro = [
    '# Fault scenarios: worker crashes, Redis restarts, overload',
    '',
    'Written by `pnpm test:faults --write` (tools/faults/run.ts); each section says when and how it was measured.',
    'Every scenario runs redis-server, ingest and the workers as real processes on 127.0.0.1; the harness',
    'only signals processes it started, by PID. A section ends with its invariants: the run fails when one does not hold.',
    '',
  ].join('\n');
  if (!doc.startsWith('# ')) doc = intro;
  for (const r of ran.filter((x) => OURS.some((o) => x.name.startsWith(o)))) {
    const open = `<!-- scenario:${r.name} -->`;
    const close = `<!-- /scenario:${r.name} -->`;
    const body = `${open}\n${header.replace('{status}', r.status).replace('{seconds}', r.seconds.toFixed(0))}\n\n${r.markdown || '(no output)'}\n${close}`;
    const a = doc.indexOf(open);
    const b = doc.indexOf(close);
    doc = a >= 0 && b > a ? doc.slice(0, a) + body + doc.slice(b + close.length) : `${doc.trimEnd()}\n\n${body}\n`;
  }
  // Keep the sections in the fixed order.
  const blocks = [...doc.matchAll(/<!-- scenario:([\w-]+) -->[\s\S]*?<!-- \/scenario:\1 -->/g)];
  if (blocks.length > 1) {
    const head = doc.slice(0, blocks[0]?.index ?? 0).trimEnd();
    const last = blocks[blocks.length - 1] as RegExpExecArray;
    const tail = doc.slice((last.index ?? 0) + last[0].length).trim();
    const sorted = blocks.map((m) => ({ name: m[1] as string, text: m[0] })).sort((x, y) => rank(x.name) - rank(y.name));
    doc = `${head}\n\n${sorted.map((s) => s.text).join('\n\n')}\n${tail ? `\n${tail}\n` : ''}`;
  }
  mkdirSync(dirname(DOC), { recursive: true });
  writeFileSync(DOC, doc);
  console.error(`wrote ${DOC}`);
}

const startedAt = new Date();
const machineLine = machine();
const command = `pnpm test:faults${quick ? ' --quick' : ''}${only.length ? ` --only ${only.join(',')}` : ''}${values.write ? ' --write' : ''}`;
const results: Ran[] = [];
for (const name of files) {
  if (interrupted) break;
  console.error(`▶ ${name}${quick ? ' (quick)' : ''}`);
  const r = await runOne(name);
  console.error(`■ ${name}: ${r.status} in ${r.seconds.toFixed(0)} s`);
  results.push(r);
  console.log(`\n<!-- ${name}: ${r.status} -->\n${r.markdown}\n`);
}
console.log('\n| scenario | result | seconds |\n| --- | --- | ---: |');
for (const r of results) console.log(`| ${r.name} | ${r.status} | ${r.seconds.toFixed(0)} |`);
if (values.write) {
  const header = `Measured ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${command}\` ({status}, {seconds} s). Machine: ${machineLine}.`;
  writeDoc(results, header);
}
process.exitCode = !interrupted && results.every((r) => r.status === 'passed') ? 0 : 1;
