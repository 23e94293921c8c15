import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticJboss } from '@logforest/core/testing';
import { describe, expect, it } from 'vitest';
import { commands } from './commands/index.ts';
import { CliError } from './input.ts';
import { run } from './main.ts';

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

  it('analyze --ndjson gives every event a verdict, in input order, with the line it starts on', () => {
    const r = cli(['analyze', logFile, '--ndjson']);
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(800);
    for (const v of rows) {
      expect(typeof v.timestamp).toBe('string');
      expect(typeof v.log).toBe('string');
      expect(v.is_anomaly).toBe(v.anomaly_score > v.threshold);
      // `line` points at the event's first line in the file (stack traces span several lines).
      expect(log.lines[v.line - 1]).toBe(v.log.split('\n')[0]);
    }
    for (let i = 1; i < rows.length; i++) expect(rows[i].line).toBeGreaterThan(rows[i - 1].line);
    const anomalies = rows.filter((v) => v.is_anomaly);
    expect(anomalies.length).toBeGreaterThanOrEqual(4);
    expect(anomalies.every((v) => Array.isArray(v.explanation) && v.explanation.length > 0)).toBe(true);
    // The table counts the same anomalies.
    expect(cli(['analyze', logFile]).stdout).toMatch(new RegExp(`^${anomalies.length} anomalies in 800 events`));
  });

  it('analyze --json is the same verdicts as one array', () => {
    const nd = cli(['analyze', logFile, '--ndjson']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const r = cli(['analyze', logFile, '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(nd);
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
    expect(cli(['analyze', logFile, '--contamination', '3']).status).toBe(2);
  });

  it('a reader that closes the pipe early (| head) is a normal end: exit 0, no error', async () => {
    const big = join(dir, 'big.log');
    writeFileSync(big, `${syntheticJboss(6000, 5, 6).lines.join('\n')}\n`);
    for (const args of [['analyze', big, '--ndjson'], ['analyze', big, '--json']]) {
      const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      child.stdout.destroy(); // what `head` does once it has its lines
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      expect({ args, code }).toEqual({ args, code: 0 });
      expect(stderr).not.toMatch(/EPIPE|Error/); // a progress line may be there on a slow machine
    }
  });

  it('--version, help, and usage errors', () => {
    const v = cli(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^logforest \d+\.\d+\.\d+\n$/);

    const none = cli([]);
    expect(none.status).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/usage: logforest <command>/);

    const unknown = cli(['frobnicate', logFile]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^logforest: unknown command "frobnicate"/);

    const help = run(['--help']);
    for (const c of commands) expect(help).toContain(`  ${c.name} `);
    const usageError = (argv: string[]) => {
      try {
        run(argv);
      } catch (err) {
        expect(err).toBeInstanceOf(CliError);
        return { code: (err as CliError).exitCode, message: (err as Error).message };
      }
      throw new Error(`${argv.join(' ')} did not fail`);
    };
    expect(usageError(['analyze', logFile, '--frob'])).toMatchObject({ code: 2, message: expect.stringMatching(/--frob.*see logforest analyze --help/) });
    expect(usageError(['analyze'])).toMatchObject({ code: 2, message: expect.stringMatching(/analyze needs <file\|->/) });
    expect(usageError(['analyze', logFile, 'extra'])).toMatchObject({ code: 2, message: expect.stringMatching(/unexpected arguments: extra/) });
    expect(usageError(['analyze', logFile, '--json', '--ndjson'])).toMatchObject({ code: 2 });
  });

  it('every command has its own --help with options and examples, and accepts each option it lists', () => {
    const h = cli(['analyze', '--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/^usage: logforest analyze <file\|->/);
    expect(h.stdout).toMatch(/\nexamples:\n {2}logforest analyze /);
    for (const c of commands) {
      const text = run([c.name, '--help']);
      expect(text).toMatch(new RegExp(`^usage: logforest ${c.name} `));
      expect(text).toMatch(/\nexamples:\n(?: {2}.*\n)* {2}logforest /);
      const listed = [...text.matchAll(/^ {2}(?:-\w, )? *--([\w-]+)/gm)].map((m) => m[1] as string);
      expect(listed.length, c.name).toBeGreaterThan(1);
      // Each option the help lists is one the parser accepts (with --help the command does not run).
      for (const name of listed) {
        const value = c.options[name]?.type === 'string' ? ['x'] : [];
        expect(run([c.name, '--help', `--${name}`, ...value]), `${c.name} --${name}`).toBe(text);
      }
    }
    expect(run(['help', 'score'])).toMatch(/^usage: logforest score <file\|->/);
  });

  it('--quiet prints nothing on stderr', () => {
    const r = cli(['analyze', logFile, '--quiet']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
