import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../setup/redis.ts';

describe('test Redis', () => {
  it('is a real Redis that stores and returns values', async () => {
    const redis = new Redis(testRedisUrl());
    const key = `${uniquePrefix()}:k`;
    await redis.set(key, 'v', 'EX', 10);
    expect(await redis.get(key)).toBe('v');
    await redis.quit();
  });
});
