/**
 * The model registry: versioned model blobs and their metadata in Redis, one `active` pointer,
 * a pub/sub announcement on every activation, and retention of the newest K versions.
 *
 * Keys (see core's `keys()`): `model:<v>` blob, `model:<v>:meta` JSON, `models` sorted set of
 * kept versions scored by their number, `model:seq` counter, `model:active` pointer, and the
 * `model:activated` channel. Writes that touch several keys are single Lua scripts.
 */
import { keys as keyNames, type Keys } from '@logforest/core';
import type { RedisClient } from '../redis/connect.ts';
import type { Logger } from 'pino';
import { ModelActiveError, ModelExistsError, ModelNotFoundError } from './errors.ts';
import { modelMetaSchema, modelVersionSchema, parseMeta, versionNumber, type ModelMeta } from './meta.ts';
import { loadScript } from './script.ts';

const storeScript = loadScript('./store-3.lua', import.meta.url);
const activateScript = loadScript('./activate-4.lua', import.meta.url);
const updateMetaScript = loadScript('./update-meta-1.lua', import.meta.url);
const dropScript = loadScript('./drop-4.lua', import.meta.url);

/** Compare-and-set attempts before giving up under heavy contention. */
const CAS_ATTEMPTS = 20;

export interface ModelRegistryOptions {
  redis: RedisClient;
  /** Key prefix (hash tag). @defaultValue '{logforest}' */
  prefix?: string;
  /**
   * How many versions to keep (newest by number); older ones are deleted after each `store`.
   * The active version is never deleted, even when it is older. @defaultValue 10
   */
  retain?: number;
  /** Receives warnings about unreadable metadata in `list()`. */
  logger?: Logger;
  /** Clock for activatedAt. @defaultValue Date.now */
  now?: () => number;
}

/** Metadata `store` accepts: the registry sets `version`, `bytes`, and starts the status. */
export type StoreMeta = Omit<ModelMeta, 'version' | 'status' | 'bytes' | 'activatedAt'> & {
  /** Initial status. @defaultValue 'candidate' */
  status?: 'candidate' | 'rejected';
};

export interface ModelRegistry {
  readonly keys: Keys;
  /** Reserve the next version label (`v<N>`, INCR of the sequence). */
  nextVersion(): Promise<string>;
  /** Store an immutable version. @throws ModelExistsError when the version is already stored. */
  store(version: string, blob: Buffer, meta: StoreMeta): Promise<ModelMeta>;
  /**
   * Make `version` the active one: one atomic step (pointer + both metadata entries), then a
   * PUBLISH of the version on the `activated` channel. Activating an older version is a rollback.
   * @throws ModelNotFoundError when its blob is not stored.
   */
  activate(version: string): Promise<ModelMeta>;
  /** The active version, or undefined before the first activation. */
  activeVersion(): Promise<string | undefined>;
  getBlob(version: string): Promise<Buffer | undefined>;
  getMeta(version: string): Promise<ModelMeta | undefined>;
  /** Metadata of every kept version, newest first. */
  list(): Promise<ModelMeta[]>;
  /**
   * Mark a stored version rejected, keeping `reasons`.
   * @throws ModelNotFoundError, ModelActiveError (the active version cannot be rejected).
   */
  reject(version: string, reasons: string[]): Promise<ModelMeta>;
  /** Apply retention now; answers the versions deleted. `store` calls it. */
  prune(): Promise<string[]>;
}

export function createModelRegistry(opts: ModelRegistryOptions): ModelRegistry {
  const { redis } = opts;
  const k = keyNames(opts.prefix);
  const retain = opts.retain ?? 10;
  const now = opts.now ?? Date.now;
  if (!Number.isInteger(retain) || retain < 1) throw new RangeError(`retain must be a positive integer, got ${retain}`);

  async function rawMeta(version: string): Promise<string | null> {
    return redis.get(k.modelMeta(version));
  }

  async function activeVersion(): Promise<string | undefined> {
    return (await redis.get(k.active)) ?? undefined;
  }

  async function prune(): Promise<string[]> {
    const victims = await redis.zrevrange(k.models, retain, -1);
    const dropped: string[] = [];
    for (const v of victims) {
      const r = await dropScript.run(redis, [k.active, k.model(v), k.modelMeta(v), k.models], [v]);
      if (r === 1) dropped.push(v);
    }
    return dropped;
  }

  async function activate(version: string): Promise<ModelMeta> {
    modelVersionSchema.parse(version);
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const [newRaw, current] = await Promise.all([rawMeta(version), activeVersion()]);
      if (newRaw === null) throw new ModelNotFoundError(version);
      const meta: ModelMeta = { ...parseMeta(version, newRaw), status: 'active', activatedAt: new Date(now()).toISOString() };
      let oldKey = k.modelMeta(version);
      let oldRaw = '';
      let oldNext = '';
      if (current !== undefined && current !== version) {
        oldKey = k.modelMeta(current);
        oldRaw = (await rawMeta(current)) ?? '';
        if (oldRaw !== '') {
          try {
            oldNext = JSON.stringify({ ...parseMeta(current, oldRaw), status: 'inactive' });
          } catch (err) {
            opts.logger?.warn({ version: current, err }, 'previous active model has unreadable metadata; left as is');
          }
        }
      }
      const r = await activateScript.run(
        redis,
        [k.active, k.model(version), k.modelMeta(version), oldKey],
        [version, current ?? '', newRaw, JSON.stringify(meta), oldRaw, oldNext, k.activated],
      );
      if (r === 1) return meta;
      if (r === -1) throw new ModelNotFoundError(version);
    }
    throw new Error(`activate ${version}: registry kept changing; gave up after ${CAS_ATTEMPTS} attempts`);
  }

  async function reject(version: string, reasons: string[]): Promise<ModelMeta> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const raw = await rawMeta(version);
      if (raw === null) throw new ModelNotFoundError(version);
      if ((await activeVersion()) === version) throw new ModelActiveError(version, 'reject');
      const meta: ModelMeta = { ...parseMeta(version, raw), status: 'rejected', reasons: [...reasons] };
      const r = await updateMetaScript.run(redis, [k.modelMeta(version)], [raw, JSON.stringify(meta)]);
      if (r === 1) return meta;
    }
    throw new Error(`reject ${version}: metadata kept changing; gave up after ${CAS_ATTEMPTS} attempts`);
  }

  return {
    keys: k,
    async nextVersion() {
      return `v${await redis.incr(k.modelSeq)}`;
    },
    async store(version, blob, input) {
      const meta = modelMetaSchema.parse({ ...input, version, status: input.status ?? 'candidate', bytes: blob.length });
      const r = await storeScript.run(
        redis,
        [k.model(version), k.modelMeta(version), k.models],
        [version, versionNumber(version), blob, JSON.stringify(meta)],
      );
      if (r !== 1) throw new ModelExistsError(version);
      await prune();
      return meta;
    },
    activate,
    activeVersion,
    async getBlob(version) {
      return (await redis.getBuffer(k.model(version))) ?? undefined;
    },
    async getMeta(version) {
      const raw = await rawMeta(version);
      return raw === null ? undefined : parseMeta(version, raw);
    },
    async list() {
      const versions = await redis.zrevrange(k.models, 0, -1);
      if (versions.length === 0) return [];
      const raws = await redis.mget(versions.map((v) => k.modelMeta(v)));
      const out: ModelMeta[] = [];
      versions.forEach((v, i) => {
        const raw = raws[i];
        if (raw == null) return;
        try {
          out.push(parseMeta(v, raw));
        } catch (err) {
          opts.logger?.warn({ version: v, err }, 'skipping model with unreadable metadata');
        }
      });
      return out;
    },
    reject,
    prune,
  };
}
