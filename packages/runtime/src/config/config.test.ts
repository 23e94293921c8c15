import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, boolVar, bytesVar, commonEnv, intVar, listVar, loadConfig, loadEnvFile, redactConfig } from './index.ts';

const schema = z.object({
  ...commonEnv,
  PORT: intVar(5000, { min: 1, max: 65535 }),
  MAX_BODY_BYTES: bytesVar(16 * 1024 * 1024),
  TOKENS: listVar(),
  OPEN: boolVar(false),
});

describe('loadConfig', () => {
  it('applies defaults, treating blank values as unset', () => {
    const c = loadConfig(schema, { PORT: '  ', REDIS_URL: '' });
    expect(c).toEqual({
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_CLUSTER_NODES: [],
      REDIS_TLS: false,
      LOGFOREST_PREFIX: '{logforest}',
      LOG_LEVEL: 'info',
      SOURCE_TZ: 'UTC',
      PORT: 5000,
      MAX_BODY_BYTES: 16 * 1024 * 1024,
      TOKENS: [],
      OPEN: false,
    });
  });

  it('parses units, lists and booleans', () => {
    const c = loadConfig(schema, { MAX_BODY_BYTES: '512KiB', TOKENS: ' a, b ,,c', OPEN: 'Yes', LOG_LEVEL: 'DEBUG', PORT: '8080' });
    expect(c.MAX_BODY_BYTES).toBe(512 * 1024);
    expect(c.TOKENS).toEqual(['a', 'b', 'c']);
    expect(c.OPEN).toBe(true);
    expect(c.LOG_LEVEL).toBe('debug');
    expect(c.PORT).toBe(8080);
  });

  it('reports every bad variable at once, hiding secrets and URL passwords', () => {
    const s = z.object({ ...commonEnv, PORT: intVar(1, { min: 1, max: 65535 }), ADMIN_TOKEN: intVar(1) });
    let error: unknown;
    try {
      loadConfig(s, { PORT: '99999', LOG_LEVEL: 'loud', REDIS_URL: 'http://:hunter2@x', LOGFOREST_PREFIX: 'nobraces', ADMIN_TOKEN: 'sekret' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.issues.map((i) => i.variable).sort()).toEqual(['ADMIN_TOKEN', 'LOGFOREST_PREFIX', 'LOG_LEVEL', 'PORT', 'REDIS_URL']);
    expect(e.message).toContain('PORT: must be a whole number from 1 to 65535 (got "99999")');
    expect(e.message).toContain('LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent');
    expect(e.message).toContain('hash tag');
    expect(e.message).not.toContain('sekret');
    expect(e.message).not.toContain('hunter2');
  });
});

describe('REDIS_CLUSTER_NODES', () => {
  it('reads host:port lists, unbrackets IPv6 literals, and names a bad item', () => {
    const c = loadConfig(schema, { REDIS_CLUSTER_NODES: 'redis-1:7000, 10.0.0.2:7001,[::1]:7002' });
    expect(c.REDIS_CLUSTER_NODES).toEqual([
      { host: 'redis-1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(() => loadConfig(schema, { REDIS_CLUSTER_NODES: 'redis-1:7000,[::1:7002' })).toThrow(/\[::1:7002/);
    expect(() => loadConfig(schema, { REDIS_CLUSTER_NODES: 'redis-1:70000' })).toThrow(/host:port/);
  });
});

describe('redactConfig', () => {
  it('masks secret fields and URL passwords, keeps empties visible', () => {
    const out = redactConfig({ ADMIN_TOKEN: 'x', INGEST_TOKENS: ['a', 'b'], EMPTY_TOKEN: '', REDIS_URL: 'redis://u:pw@h:1', PORT: 1 });
    expect(out).toEqual({ ADMIN_TOKEN: '[redacted]', INGEST_TOKENS: '[redacted] ×2', EMPTY_TOKEN: '', REDIS_URL: 'redis://u:%5Bredacted%5D@h:1', PORT: 1 });
  });
});

describe('loadEnvFile', () => {
  it('loads a .env file without overriding the environment, and ignores a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'LF_TEST_A=from-file\nLF_TEST_B=from-file\n');
    process.env['LF_TEST_B'] = 'from-env';
    expect(loadEnvFile(file)).toBe(file);
    expect(process.env['LF_TEST_A']).toBe('from-file');
    expect(process.env['LF_TEST_B']).toBe('from-env');
    expect(loadEnvFile(join(dir, 'missing.env'))).toBeUndefined();
  });
});
