/**
 * Container healthcheck (docker-compose.yml): exit 0 when Redis at REDIS_URL answers a PING
 * within 3 s, else 1. The image runs the compiled `dist/healthcheck.js`.
 */
import { redisPingOnce } from '@logforest/runtime';

process.exit((await redisPingOnce(process.env['REDIS_URL']?.trim() || 'redis://127.0.0.1:6379')) ? 0 : 1);
