/** Helpers shared by the trainer's tests (not used at run time). */
import { encodeModel, keys, trainModel } from '@logforest/core';
import { artifactMeta, createModelRegistry, loadConfig, SAMPLE_FIELD } from '@logforest/runtime';
import type { RedisClient } from '@logforest/runtime';
import { normalLines } from '../../../packages/runtime/src/model-cache/testing/lines.ts';
import { trainerEnvSchema, type TrainerConfig } from './config.ts';

export function trainerConfig(redisUrl: string, prefix: string, env: Record<string, string> = {}): TrainerConfig {
  return loadConfig(trainerEnvSchema, { REDIS_URL: redisUrl, LOGFOREST_PREFIX: prefix, TRAIN_INTERVAL_MS: '0', TRAIN_MIN_EVENTS: '100', ...env });
}

/** Store and activate a `v1` trained on ordinary lines (and consume `v1` from the sequence). */
export async function seedActiveModel(redis: RedisClient, prefix: string): Promise<void> {
  const registry = createModelRegistry({ redis, prefix });
  const version = await registry.nextVersion();
  const model = trainModel(normalLines(500, 3).map((line) => ({ line })), { version });
  await registry.store(version, encodeModel(model), artifactMeta(model));
  await registry.activate(version);
}

/** Append ordinary events to the sample stream, as workers do. */
export async function seedSample(redis: RedisClient, prefix: string, n: number, seed = 7): Promise<void> {
  const k = keys(prefix);
  const lines = normalLines(n, seed);
  for (let i = 0; i < lines.length; i += 1000) {
    const p = redis.pipeline();
    for (const line of lines.slice(i, i + 1000)) p.xadd(k.sample, '*', SAMPLE_FIELD, JSON.stringify({ line }));
    await p.exec();
  }
}

export async function until(cond: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
