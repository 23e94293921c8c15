/**
 * Where the CLI's time-only JBoss lines (`HH:mm:ss,SSS`) get their date: the file name when it
 * has one, else the file's modification time (a later time of day is the day before), in the
 * machine's zone. Run through the real binary, with TZ set per case.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'bin', 'logforest.mjs');
const dir = mkdtempSync(join(tmpdir(), 'logforest-dates-'));

/** Console-format lines at the given times of day, with a few ordinary lines in between. */
function consoleLog(times: string[]): string {
  const out: string[] = [];
  times.forEach((t, i) => {
    out.push(`${t} INFO  [org.jboss.as.server] (Controller Boot Thread) WFLYSRV0025: started in ${1000 + i} ms`);
    out.push(`${t} INFO  [io.undertow.request] (default task-${i + 1}) GET /api/orders/${100 + i} completed in ${10 + i} ms`);
  });
  return `${out.join('\n')}\n`;
}

function timestamps(path: string, tz: string): string[] {
  const r = spawnSync(process.execPath, [bin, 'analyze', path, '--ndjson'], { encoding: 'utf8', env: { ...process.env, CI: '1', TZ: tz } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l).timestamp as string).filter((_, i) => i % 2 === 0);
}

describe('CLI dates of time-only lines', () => {
  const times = ['06:00:00,000', '07:09:59,123', '17:59:02,500', '23:10:00,000'];

  it('without a date in the name: the mtime day, the day before for times after the mtime', () => {
    const path = join(dir, 'server.log');
    writeFileSync(path, consoleLog(times));
    const mtime = new Date('2026-12-03T07:10:00Z');
    utimesSync(path, mtime, mtime);
    expect(timestamps(path, 'UTC')).toEqual(['2026-12-03T06:00:00.000Z', '2026-12-03T07:09:59.123Z', '2026-12-02T17:59:02.500Z', '2026-12-02T23:10:00.000Z']);
    // Written on a machine in Tokyo (UTC+9, no DST), last modified at 00:10 UTC = 09:10 there:
    // the lines up to 09:10 are of the 3rd, later ones of the 2nd (times stay as written). Read
    // in UTC, every line is after 00:10, so of the 2nd.
    const early = new Date('2026-12-03T00:10:00Z');
    utimesSync(path, early, early);
    expect(timestamps(path, 'Asia/Tokyo')).toEqual(['2026-12-03T06:00:00.000Z', '2026-12-03T07:09:59.123Z', '2026-12-02T17:59:02.500Z', '2026-12-02T23:10:00.000Z']);
    expect(timestamps(path, 'UTC')).toEqual(['2026-12-02T06:00:00.000Z', '2026-12-02T07:09:59.123Z', '2026-12-02T17:59:02.500Z', '2026-12-02T23:10:00.000Z']);
  });

  it('with a date in the name: that date, whatever the mtime', () => {
    for (const name of ['server.log.2016-05-12', 'server-2016-05-12.log', 'server.log.2016-05-12.1']) {
      const path = join(dir, name);
      writeFileSync(path, consoleLog(times));
      const mtime = new Date('2026-12-03T07:10:00Z');
      utimesSync(path, mtime, mtime);
      expect(timestamps(path, 'UTC'), name).toEqual(times.map((t) => `2016-05-12T${t.replace(',', '.')}Z`));
    }
  });
});
