export { clusterNodesVar, loadRedisConfig, redisEnv, type ClusterNode, type RedisConfig } from './env.ts';
export {
  connectRedis,
  describeRedis,
  isCluster,
  redisClientOptions,
  redisReady,
  tlsOptions,
  type RedisClient,
  type RedisConnectOptions,
} from './connect.ts';
export { crc16, hashTagOf, keySlot } from './slot.ts';
export { waitForReplicas } from './wait.ts';
