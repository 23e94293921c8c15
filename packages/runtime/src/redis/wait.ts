/**
 * `WAIT numreplicas timeout` on the connection that made the writes: resolves with how many
 * replicas acknowledged every write this connection sent before it.
 *
 * On a cluster WAIT has no key, so ioredis would send it to any node; here it travels in a
 * pipeline behind a command on `key`, which pins it to the master that owns `key`'s slot — the
 * same connection (one per node) that wrote the keys of that slot.
 */
import { isCluster, type RedisClient } from './connect.ts';

export async function waitForReplicas(client: RedisClient, key: string, replicas: number, timeoutMs: number): Promise<number> {
  if (!isCluster(client)) return client.wait(replicas, timeoutMs);
  const results = await client.pipeline().exists(key).wait(replicas, timeoutMs).exec();
  const [err, acked] = results?.[1] ?? [new Error('WAIT: no reply'), 0];
  if (err) throw err;
  return Number(acked);
}
