/**
 * Where a service spends its CPU, from the V8 CPU profile `node --cpu-prof` writes at exit.
 *
 * Each sample is one stack. The services run as esbuild bundles, in which every module starts
 * with a `// path/to/module.ts` comment; a frame's line in the bundle therefore names the module
 * it came from. A sample belongs to the stage of its innermost (leaf-most) frame that matches a
 * rule below, so time inside ioredis called by the result writer counts as "Redis client",
 * whoever called it. Native frames (JSON.parse, regular expressions, Buffer writes) have no module
 * and count for their caller: JSON.parse of a job's data is in "queue (BullMQ)", which parses it.
 * Only samples inside the measured window count; idle samples are left out, so the shares are
 * shares of busy CPU.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Rules, first match wins; tested against `module` (bundle module path, or the frame's url) and the function name. */
const RULES: Array<[stage: string, test: (module: string, fn: string) => boolean]> = [
  ['gc', (_m, f) => f === '(garbage collector)'],
  ['score (forest)', (m) => m.startsWith('wasm://') || (m.includes('core/src/forest/') && !m.endsWith('explain.ts'))],
  ['explain', (m) => m.endsWith('forest/explain.ts')],
  ['parse', (m) => m.includes('core/src/parse/')],
  ['templates', (m) => m.includes('core/src/templates/')],
  ['features', (m) => m.includes('core/src/features/') || m.includes('core/src/history/') || /core\/src\/pipeline\/(featurize|novelty)/.test(m)],
  ['verdicts', (m) => m.includes('core/src/pipeline/')],
  ['decode', (m) => m.includes('core/src/formats/') || m.includes('iconv-lite') || m === 'node:zlib' || m.includes('@msgpack')],
  ['write (results)', (m) => m.includes('runtime/src/sinks/')],
  ['validate (zod, job decode)', (m) => m.includes('node_modules/zod') || m.includes('core/src/queue/')],
  ['enqueue', (m) => m.includes('ingest/src/enqueue/')],
  ['queue (BullMQ)', (m) => m.includes('node_modules/bullmq')],
  ['Redis client (ioredis)', (m) => /node_modules\/(ioredis|redis-parser|@ioredis|redis-errors|standard-as-callback)/.test(m)],
  ['HTTP', (m) => /node_modules\/(express|body-parser|router|raw-body|on-finished|finalhandler|type-is|content-type)/.test(m) || /^node:(_http|internal\/http)/.test(m) || m.includes('ingest/src/')],
  ['socket I/O', (m) => /^node:(net|internal\/(stream|net|streams))/.test(m)],
  ['logging, metrics', (m) => /node_modules\/(pino|prom-client|thread-stream|sonic-boom)/.test(m)],
];

/** Sorted module start lines of a bundle (0-based, as the profile counts them). */
function moduleIndex(bundle: string): { starts: number[]; names: string[] } {
  const starts: number[] = [];
  const names: string[] = [];
  const lines = bundle.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\/\/ (\S+\.(?:ts|js|mjs|cjs|json))$/.exec(lines[i] as string);
    if (m) {
      starts.push(i);
      names.push(m[1] as string);
    }
  }
  return { starts, names };
}

function moduleAt(idx: { starts: number[]; names: string[] }, line: number): string {
  let lo = 0;
  let hi = idx.starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((idx.starts[mid] as number) <= line) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? '' : (idx.names[found] as string);
}

export interface StageShares {
  /** Busy samples in the window. */
  samples: number;
  /** Stage → share of the busy samples (0…1). */
  shares: Map<string, number>;
}

/**
 * Stage shares of one profile. `bundle` is the JS file the process ran; `window` the measured
 * interval in µs of the monotonic clock (`process.hrtime` / 1000), which V8's profile timestamps use.
 */
export function stageShares(profilePath: string, bundle: string, window: [number, number]): StageShares {
  const prof = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  const idx = moduleIndex(readFileSync(bundle, 'utf8'));
  const bundleUrl = pathToFileURL(bundle).href;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageOf = new Map<number, string | null>();
  const classify = (id: number): string | null => {
    if (stageOf.has(id)) return stageOf.get(id) as string | null;
    const n = byId.get(id) as ProfileNode;
    const { url, functionName: fn, lineNumber } = n.callFrame;
    let stage: string | null = null;
    if (fn === '(idle)') stage = null;
    else if (fn === '(program)') stage = 'V8 (program)';
    else {
      const module = url === bundleUrl ? moduleAt(idx, lineNumber) : url;
      const rule = RULES.find(([, test]) => test(module, fn));
      if (rule) stage = rule[0];
      else {
        const up = parent.get(id);
        stage = up === undefined ? 'other' : (classify(up) ?? 'other');
      }
    }
    stageOf.set(id, stage);
    return stage;
  };
  const counts = new Map<string, number>();
  let t = prof.startTime;
  let busy = 0;
  prof.samples.forEach((id, i) => {
    t += prof.timeDeltas[i] ?? 0;
    if (t < window[0] || t > window[1]) return;
    const stage = classify(id);
    if (stage === null) return;
    busy++;
    counts.set(stage, (counts.get(stage) ?? 0) + 1);
  });
  return { samples: busy, shares: new Map([...counts].map(([s, c]) => [s, c / busy])) };
}

/** The single `.cpuprofile` file in `dir` (one process per directory). */
export function profileIn(dir: string): string | undefined {
  const f = readdirSync(dir).find((n) => n.endsWith('.cpuprofile'));
  return f === undefined ? undefined : join(dir, f);
}
