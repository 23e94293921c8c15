/**
 * Support for the benchmark smoke tests (bench/*.test.ts): tiny inputs written by the project
 * itself (a data directory shaped like ../shared/data, jboss/ and loghub/ files at the paths the
 * benches read, so every bench runs on a fresh clone without the research data sets), running a
 * bench as its own process, and reading the markdown table it prints.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jbossLines } from '../packages/core/src/formats/fixtures/bodies.ts';
import { ROOT } from '../tests/stack/proc.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MESSAGES = [
  (i: number) => `Failed password for invalid user u${i % 13} from 10.0.${i % 7}.${i % 251} port ${40000 + (i % 999)} ssh2`,
  (i: number) => `Accepted publickey for deploy from 10.1.${i % 5}.${i % 200} port ${50000 + (i % 777)} ssh2`,
  (i: number) => `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.2.0.${i % 250}`,
  (i: number) => `Received disconnect from 10.3.1.${i % 240}: 11: Bye Bye [preauth]`,
  (i: number) => `session opened for user root by (uid=0) id ${i}`,
];

/** `n` lines of the seed's shape `<Mon dd HH:MM:SS> <host> <comp>[<pid>]: <msg>` (both /analyze peers parse them). */
export function seedLines(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const day = String(1 + (i % 28)).padStart(2, ' ');
    const hh = String((i * 7) % 24).padStart(2, '0');
    const mm = String((i * 13) % 60).padStart(2, '0');
    const ss = String(i % 60).padStart(2, '0');
    const comp = i % 5 === 4 ? 'su' : 'sshd';
    out.push(`${MONTHS[i % 12]} ${day} ${hh}:${mm}:${ss} host${i % 3} ${comp}[${1000 + (i % 4000)}]: ${(MESSAGES[i % MESSAGES.length] as (i: number) => string)(i)}`);
  }
  return out;
}

/**
 * A temp directory with `jboss/eap64_7uv_server.log.2016-04-24` (synthetic WildFly lines),
 * `loghub/OpenSSH_2k.log` and `loghub/Linux_2k.log` (seed-shaped lines) and
 * `loghub/OpenSSH_2k.log_structured.csv` (their messages, Loghub's structured CSV columns).
 */
export function smokeDataDir(lines = 1200): string {
  const dir = mkdtempSync(join(tmpdir(), 'logforest-bench-smoke-'));
  mkdirSync(join(dir, 'jboss'));
  mkdirSync(join(dir, 'loghub'));
  writeFileSync(join(dir, 'jboss', 'eap64_7uv_server.log.2016-04-24'), `${jbossLines(Math.min(lines, 400), Date.UTC(2016, 3, 24, 10)).join('\n')}\n`);
  const seed = seedLines(lines);
  writeFileSync(join(dir, 'loghub', 'OpenSSH_2k.log'), `${seed.slice(0, Math.ceil(lines / 2)).join('\n')}\n`);
  writeFileSync(join(dir, 'loghub', 'Linux_2k.log'), `${seed.slice(Math.ceil(lines / 2)).join('\n')}\n`);
  const csv = ['LineId,Content', ...seed.slice(0, 200).map((l, i) => `${i + 1},"${l.slice(l.indexOf(': ') + 2).replace(/"/g, '""')}"`)];
  writeFileSync(join(dir, 'loghub', 'OpenSSH_2k.log_structured.csv'), `${csv.join('\n')}\n`);
  return dir;
}

export interface BenchRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node --import tsx bench/<file> …args` from the project root; resolves when it exits. */
export function runBench(file: string, args: string[], env: Record<string, string> = {}, timeoutMs = 110_000): Promise<BenchRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join('bench', file), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.once('error', reject);
    p.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The markdown table rows (after the header separator) of `text`. */
export function tableRows(text: string): string[][] {
  const lines = text.split('\n');
  const sep = lines.findIndex((l) => /^\|\s*-{3}/.test(l) || /^\|-{3}/.test(l));
  if (sep < 1) return [];
  const rows: string[][] = [];
  for (const l of lines.slice(sep + 1)) {
    if (!l.startsWith('|')) break;
    rows.push(l.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows;
}
