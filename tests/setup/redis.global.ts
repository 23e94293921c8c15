/**
 * vitest global setup: gives every test a real Redis.
 *   1. REDIS_URL when set;
 *   2. otherwise a redis-server from PATH on a free port, data in a temp dir (removed afterwards);
 *   3. otherwise a testcontainers Redis when a Docker engine answers.
 * Tests read the URL with `inject('redisUrl')` and use their own key prefix (see ./redis.ts).
 */
import type { TestProject } from 'vitest/node';
import { startRedisServer, type RedisHandle } from './redis-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

let handle: RedisHandle | undefined;
let stopContainer: (() => Promise<unknown>) | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let url = process.env['REDIS_URL'];
  if (!url) {
    try {
      handle = await startRedisServer();
      url = handle.url;
    } catch (err) {
      const { GenericContainer } = await import('testcontainers').catch(() => {
        throw new Error(`no REDIS_URL, no redis-server on PATH (${(err as Error).message}), and testcontainers is unavailable`);
      });
      const container = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
      url = `redis://${container.getHost()}:${container.getMappedPort(6379)}`;
      stopContainer = () => container.stop();
    }
  }
  project.provide('redisUrl', url);
  process.env['LOGFOREST_TEST_REDIS_URL'] = url;
  return async () => {
    await handle?.stop();
    await stopContainer?.();
  };
}
