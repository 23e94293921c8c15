/**
 * Container healthcheck (docker-compose.yml): exit 0 when Redis (REDIS_URL, or the cluster of
 * REDIS_CLUSTER_NODES, with the service's credentials and TLS) answers a PING within 3 s, else 1.
 * The image runs the compiled `dist/healthcheck.js`.
 */
import { redisPingOnce } from '@logforest/runtime';

process.exit((await redisPingOnce()) ? 0 : 1);
