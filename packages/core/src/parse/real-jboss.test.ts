/**
 * Runs only where the shared evaluation data exists (../shared/data/jboss, see its README):
 * the counts below are the README's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeLogBytes, splitLines } from './bytes.ts';
import { fileDateFromName } from './context.ts';
import { parseEvent } from './event.ts';
import { isHeaderLine } from './header.ts';
import { joinRecords } from './join.ts';

const dir = fileURLToPath(new URL('../../../../../shared/data/jboss/', import.meta.url));

const files = [
  { name: 'eap64_7uv_server.log.2016-04-24', lines: 2462, records: 857, frames: 864, errors: 33, format: 'jboss-console' },
  { name: 'wildfly10_doureca_server.log.2017-05-23', lines: 2895, records: 534, frames: 1484, errors: 25, format: 'jboss' },
  { name: 'keycloak483_europeana_server.log.2020-05-26', lines: 1539, records: 288, frames: 947, errors: 61, format: 'jboss' },
  { name: 'eap64ptbr_davidjeremias_server.log.2018-11-28', lines: 2655, records: 645, frames: 627, errors: 85, format: 'jboss-console' },
] as const;

/** The README's definition of a timestamped record. */
const STAMP = /^(?:\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d,\d{3}/;

describe.skipIf(!existsSync(dir))('real JBoss/WildFly server.log files', () => {
  it.each(files)('$name', (f) => {
    const text = decodeLogBytes(readFileSync(dir + f.name));
    const lines = splitLines(text);
    expect(lines).toHaveLength(f.lines);
    expect(lines.filter((l) => STAMP.test(l))).toHaveLength(f.records);

    const events = joinRecords(lines.map((line) => ({ line, source: f.name })));
    // Every event starts with a timestamped header, and there is one per timestamped record
    // (these files hold no stderr-stamped traces, so nothing else merges).
    expect(events.filter((e) => isHeaderLine(e.line.split('\n', 1)[0]!))).toHaveLength(f.records);
    expect(events).toHaveLength(f.records);
    // No line is lost or reordered.
    expect(events.flatMap((e) => e.line.split('\n'))).toEqual(lines);

    const ctx = { fileDate: fileDateFromName(f.name) };
    const parsed = events.map((e) => parseEvent(e, ctx));
    expect(parsed.every((p) => p.format === f.format)).toBe(true);
    expect(parsed.reduce((n, p) => n + 1 + p.continuationLines, 0)).toBe(f.lines);
    expect(parsed.reduce((n, p) => n + p.stackDepth, 0)).toBe(f.frames);
    expect(parsed.filter((p) => p.level === 'ERROR' || p.level === 'FATAL')).toHaveLength(f.errors);
    // Every `\tat` frame sits in an event whose first line is a timestamped header.
    for (const e of events) {
      if (e.line.includes('\n\tat ')) expect(STAMP.test(e.line)).toBe(true);
    }
    const day = ctx.fileDate!;
    expect(parsed.every((p) => p.ts >= day && p.ts < day + 86_400_000)).toBe(true);
  });

  it('finds the exceptions the README names', () => {
    const parse = (name: string) => {
      const lines = splitLines(decodeLogBytes(readFileSync(dir + name)));
      return joinRecords(lines.map((line) => ({ line }))).map((e) => parseEvent(e, { fileDate: fileDateFromName(name) }));
    };
    const eap = parse(files[0].name);
    expect(eap.some((p) => p.exceptionClass === 'java.net.BindException' && p.message.includes('JBWEB003043'))).toBe(true);
    const kc = parse(files[2].name);
    expect(kc.filter((p) => p.exceptionClass === 'org.keycloak.models.ModelException').length).toBeGreaterThanOrEqual(56);
    const ptbr = parse(files[3].name);
    expect(ptbr.some((p) => p.message.includes('Falha na operação'))).toBe(true);
  });
});
