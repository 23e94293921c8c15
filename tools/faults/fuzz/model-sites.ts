/**
 * Every place a model artifact can be loaded, as a function answering "was this blob refused, why,
 * and does the previous model keep serving?": decodeModel, new Scorer, the worker's ModelCache
 * (blob published as active), POST /models/:version/activate, and the CLI's --model.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { decodeModel, encodeModel, type ModelArtifact, Scorer } from '../../../packages/core/src/index.ts';
import { artifactMeta, createModelCache, createModelRegistry, type ModelCache, type ModelRegistry } from '../../../packages/runtime/src/index.ts';
import type { Harness } from '../../../services/ingest/src/test-support/harness.ts';
import type { BadArtifact } from './models.ts';

export interface SiteResult {
  refused: boolean;
  /** The refusal message (or what happened instead). */
  detail: string;
  /** The model in service before is still the one in service and scores (where a site serves). */
  previousServes?: boolean;
}

const ROOT = join(import.meta.dirname, '..', '..', '..');
const probe = [{ line: '2024-05-01 12:00:00,000 ERROR [org.jboss.as] (main) WFLYSRV0055: boom' }];

function attempt(fn: () => unknown): SiteResult {
  try {
    fn();
    return { refused: false, detail: 'loaded' };
  } catch (err) {
    return { refused: true, detail: (err as Error).message };
  }
}

export function siteDecode(b: BadArtifact): SiteResult {
  return attempt(() => decodeModel(b.blob));
}

/** `new Scorer(artifact)` on the payload when it is an artifact object, else on decodeModel's output. */
export function siteScorer(b: BadArtifact): SiteResult {
  return attempt(() => new Scorer(b.artifact ?? decodeModel(b.blob)));
}

export function metaOf(a: ModelArtifact) {
  return artifactMeta(a);
}

export interface CacheSite {
  registry: ModelRegistry;
  cache: ModelCache;
  refusals: Array<[string, string]>;
  close(): Promise<void>;
}

/** A registry with `good` active and a worker-style ModelCache following it (pub/sub only). */
export async function openCacheSite(redis: Redis, prefix: string, good: ModelArtifact): Promise<CacheSite> {
  const registry = createModelRegistry({ redis, prefix, retain: 1000 });
  await registry.store(good.version, encodeModel(good), metaOf(good));
  await registry.activate(good.version);
  const refusals: Array<[string, string]> = [];
  const cache = await createModelCache({ redis, prefix, logger: pino({ level: 'silent' }), pollIntervalMs: 0, onRefuse: (v, r) => refusals.push([v, r]) });
  return { registry, cache, refusals, close: () => cache.close() };
}

/** Store `b` as `version`, publish it as active, and see what the cache does. */
export async function siteCache(s: CacheSite, b: BadArtifact, version: string, good: ModelArtifact): Promise<SiteResult> {
  await s.registry.store(version, b.blob, metaOf(good));
  await s.registry.activate(version);
  const end = Date.now() + 5000;
  while (!s.cache.refused.has(version) && s.cache.version !== version && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  const reported = s.refusals.find(([v]) => v === version);
  const serving = s.cache.current();
  const previousServes = serving?.version === good.version && serving.score(probe, { explain: 'none' })[0]?.model_version === good.version;
  const refused = s.cache.refused.has(version) && reported !== undefined && s.cache.version !== version;
  return { refused, detail: s.cache.refused.get(version) ?? `cache now serves ${s.cache.version}`, previousServes };
}

/** Store `b` as `version` in the ingest app's registry and ask POST /models/:version/activate. */
export async function siteActivate(h: Harness, adminToken: string, b: BadArtifact, version: string, good: ModelArtifact): Promise<SiteResult> {
  const before = await h.registry.activeVersion();
  await h.registry.store(version, b.blob, metaOf(good));
  const res = await fetch(`${h.url}/models/${version}/activate`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
  const body = (await res.json()) as { error?: { code?: string; message?: string } };
  const after = await h.registry.activeVersion();
  const list = (await (await fetch(`${h.url}/models`, { headers: { authorization: `Bearer ${adminToken}` } })).json()) as { active: string | null };
  return {
    refused: res.status === 422 && body.error?.code === 'model_unusable',
    detail: `${res.status} ${body.error?.message ?? ''}`,
    previousServes: after === before && list.active === before,
  };
}

/** `logforest score <log> --model <blob>` as a real process: refused = exit 2 with a clear message. */
export function siteCli(b: BadArtifact, dir: string, logFile: string, name: string): SiteResult {
  const file = join(dir, `${name}.lfm`);
  writeFileSync(file, b.blob);
  const r = spawnSync(process.execPath, [join(ROOT, 'packages/cli/bin/logforest.mjs'), 'score', logFile, '--model', file], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, CI: '1' } });
  const err = r.stderr.trim();
  // Clear: says which file and why, no stack trace (validation messages may span a few lines).
  const clear = err.startsWith(`logforest: '${file}' is not a usable model: `) && !/^\s+at .+:\d+:\d+\)?$/m.test(err) && !err.includes('node_modules');
  return { refused: r.status === 2 && clear && r.stdout === '', detail: `exit ${r.status}: ${err.slice(0, 160)}` };
}
