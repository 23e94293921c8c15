import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticJboss } from '@logforest/core/testing';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'bin', 'logforest.mjs');
const dir = mkdtempSync(join(tmpdir(), 'logforest-cli-'));
const cli = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', env: { ...process.env, CI: '1' } });

const log = syntheticJboss(800, 11, 4);
const logFile = join(dir, 'server.log.2024-05-06');
writeFileSync(logFile, `${log.lines.join('\r\n')}\r\n`);

describe('logforest CLI', () => {
  it('analyze lists the anomalies, highest score first', () => {
    const r = cli(['analyze', logFile]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+ anomalies in 800 events/);
    expect(r.stdout).toContain('JBWEB003043');
  });

  it('analyze --ndjson emits the seed verdict shape, sorted by score', () => {
    const r = cli(['analyze', logFile, '--ndjson']);
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const v of rows) {
      expect(v).toMatchObject({ is_anomaly: true });
      expect(typeof v.timestamp).toBe('string');
      expect(typeof v.log).toBe('string');
      expect(v.anomaly_score).toBeGreaterThan(v.threshold);
      expect(Array.isArray(v.explanation)).toBe(true);
    }
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1].anomaly_score).toBeGreaterThanOrEqual(rows[i].anomaly_score);
  });

  it('train writes a model that score and analyze --model reuse', () => {
    const model = join(dir, 'm.lfm');
    const t = cli(['train', logFile, '-o', model]);
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/wrote .*m\.lfm: 800 events/);
    const s = cli(['score', '-', '--model', model, '--ndjson'], log.lines.join('\n'));
    expect(s.status).toBe(0);
    expect(s.stdout.trim().split('\n')).toHaveLength(800);
  });

  it('eval prints metrics for both feature sets', () => {
    const r = cli(['eval', logFile, '--labels', 'proxy']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/trained and tested on the same 800 events\nlabels: proxy — 0 positives/);
    expect(r.stdout).toMatch(/\| seed \(local\) \| \d+ \|/);
    expect(r.stdout).toMatch(/\| default \(local\) \| \d+ \|/);
    expect(r.stdout).toMatch(/\| every ERROR\/FATAL line \| \d+ \|/);
  });

  it('gives one clear message and a non-zero exit on bad input', () => {
    const missing = cli(['analyze', join(dir, 'nope.log')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`logforest: cannot read '${join(dir, 'nope.log')}': no such file\n`);
    const empty = join(dir, 'empty.log');
    writeFileSync(empty, '');
    expect(cli(['analyze', empty]).stderr).toMatch(/is empty/);
    const binary = join(dir, 'garbage.bin');
    writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const g = cli(['analyze', binary]);
    expect(g.status).toBe(1);
    expect(g.stderr).toMatch(/binary file/);
    const badModel = cli(['analyze', logFile, '--model', binary]);
    expect(badModel.status).toBe(2);
    expect(badModel.stderr).toMatch(/not a usable model: not a logforest model/);
    expect(cli(['frobnicate', logFile]).stderr).toMatch(/unknown command/);
    expect(cli(['analyze', logFile, '--contamination', '3']).status).toBe(2);
  });
});
