/**
 * .env.example documents every variable of every service, each with a comment, and the value it
 * shows is the real default: loading the file's values gives the same configuration as loading
 * nothing. A variable added to a service schema without a line here fails this test.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../packages/runtime/src/config/index.ts';
import { ingestEnvSchema } from '../../services/ingest/src/config.ts';
import { trainerEnvSchema } from '../../services/trainer/src/config.ts';
import { workerEnvSchema } from '../../services/worker/src/config.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const text = readFileSync(join(ROOT, '.env.example'), 'utf8');

/** Variables only tools/start.ts reads. */
const START_ONLY = ['WORKERS'];

interface Entry {
  name: string;
  value: string;
  comment: string;
}

function entries(): Entry[] {
  const out: Entry[] = [];
  let comment: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^#?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) {
      out.push({ name: m[1] as string, value: m[2] as string, comment: comment.join(' ') });
      comment = [];
    } else if (line.startsWith('#') && !line.startsWith('# ----')) comment.push(line.replace(/^#\s*/, ''));
    else comment = [];
  }
  return out;
}

/** The variable names a service schema declares (a piped schema: its input object). */
function names(schema: Parameters<typeof loadConfig>[0]): string[] {
  const s = schema as unknown as { shape?: Record<string, unknown>; in?: { shape?: Record<string, unknown> } };
  const shape = s.shape ?? s.in?.shape;
  if (!shape) throw new Error('schema has no object shape');
  return Object.keys(shape);
}

const schemas = { ingest: ingestEnvSchema, worker: workerEnvSchema, trainer: trainerEnvSchema } as const;

describe('.env.example', () => {
  const list = entries();
  const byName = new Map(list.map((e) => [e.name, e]));

  it('lists each variable once, each under a comment', () => {
    expect(new Set(list.map((e) => e.name)).size).toBe(list.length);
    for (const e of list) expect(e.comment.length, `${e.name} has no comment`).toBeGreaterThan(10);
  });

  it('documents every variable of every service, and nothing else', () => {
    const all = new Set<string>(START_ONLY);
    for (const [service, schema] of Object.entries(schemas)) {
      for (const name of names(schema)) {
        expect(byName.has(name), `${service}: ${name} missing from .env.example`).toBe(true);
        all.add(name);
      }
    }
    expect([...byName.keys()].filter((n) => !all.has(n))).toEqual([]);
  });

  it('shows each default exactly: the documented values load as the defaults do', () => {
    for (const schema of Object.values(schemas)) {
      const env: Record<string, string> = {};
      for (const name of names(schema)) env[name] = (byName.get(name) as Entry).value;
      expect(loadConfig(schema, env)).toEqual(loadConfig(schema, {}));
    }
  });

  it('leaves every line commented out, so a copied .env changes nothing until edited', () => {
    for (const e of list) expect(text).toContain(`\n#${e.name}=`);
  });
});
