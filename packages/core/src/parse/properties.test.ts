import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LineFormat, LogRecord } from '../types.ts';
import { splitLines } from './bytes.ts';
import { parseEvent } from './event.ts';
import { joinRecords } from './join.ts';

const FORMATS: readonly LineFormat[] = ['jboss', 'jboss-console', 'wildfly-json', 'rfc5424', 'rfc3164', 'seed', 'log4j', 'unknown'];

/** Fragments of real headers and separators, so generated strings often get deep into the parsers. */
const fragment = fc.constantFrom(
  '2016-04-24 ', '02:09:10,983 ', 'ERROR ', 'INFO  ', '[stderr] ', '[', ']', '(', ')', '(default task-4) ', '<34>', '<165>1 ',
  'Dec 10 ', 'Jun  4 ', '06:55:46 ', 'sshd[24200]: ', 'host ', '{"timestamp":"', '"}', '\tat ', 'Caused by: ',
  'java.lang.', 'Exception', 'Error', ': ', '... 5 more', '- ', '1117838570 2005.06.03 ', '2005-06-03-15.42.50.675872 ',
  'RAS KERNEL INFO ', '[Sun Dec 04 04:47:44 2005] ', '081109 203615 ', '17/06/09 ', 'T', 'Z', '+02:00', '\n', '\r\n', '\r',
  ' ', '\t', '.', '@774] - ', '\uFEFF', '\u0000', '😀', '\uD800',
);
const logish = fc.array(fc.oneof(fragment, fc.string({ unit: 'grapheme', maxLength: 8 })), { maxLength: 30 }).map((a) => a.join(''));
const anyText = fc.oneof(logish, fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 }));

function checkShape(ev: ReturnType<typeof parseEvent>): void {
  expect(FORMATS).toContain(ev.format);
  for (const k of ['level', 'host', 'component', 'thread', 'message', 'exceptionClass'] as const) expect(typeof ev[k]).toBe('string');
  expect(Number.isInteger(ev.pid) && ev.pid >= -1).toBe(true);
  expect(ev.stackDepth).toBeGreaterThanOrEqual(0);
  expect(ev.causes).toBeGreaterThanOrEqual(0);
  expect(ev.continuationLines).toBeGreaterThanOrEqual(0);
  expect(typeof ev.ts).toBe('number');
  expect(typeof ev.wall).toBe('number');
}

describe('parseEvent properties', () => {
  it('never throws and always returns a well-formed event', () => {
    fc.assert(
      fc.property(anyText, fc.option(fc.integer({ min: -1e13, max: 1e13 }), { nil: undefined }), (line, ts) => {
        checkShape(parseEvent(line));
        checkShape(parseEvent({ line, ts }, { receivedAt: 1_700_000_000_000, year: 2024 }));
      }),
      { numRuns: 3000 },
    );
  });

  it('survives malformed records', () => {
    for (const rec of [null, undefined, 42, {}, { line: 7 }, { line: null, ts: 'x' }] as unknown[]) {
      checkShape(parseEvent(rec as LogRecord));
    }
  });

  it('counts one continuation line per line after the first', () => {
    fc.assert(
      fc.property(fc.array(logish.map((s) => s.replace(/[\r\n]/g, ' ')), { minLength: 1, maxLength: 12 }), (lines) => {
        const ev = parseEvent(lines.join('\n'));
        if (ev.format !== 'wildfly-json') expect(ev.continuationLines).toBe(lines.length - 1);
      }),
    );
  });
});

describe('joinRecords properties', () => {
  const records = fc.array(
    fc.record({ line: anyText, source: fc.constantFrom(undefined, 'a', 'b') }).map((r): LogRecord => (r.source === undefined ? { line: r.line } : r)),
    { maxLength: 40 },
  );

  it('never loses or reorders a line, and keeps each event to one source', () => {
    fc.assert(
      fc.property(records, fc.integer({ min: 1, max: 6 }), (recs, maxLines) => {
        const out = joinRecords(recs, { maxLines });
        expect(out.map((r) => r.line).join('\n')).toBe(recs.map((r) => r.line).join('\n'));
        expect(out.length).toBeLessThanOrEqual(recs.length);
        if (recs.length > 0) expect(out.length).toBeGreaterThan(0);
        for (const e of out) expect(e.line.split('\n').length).toBeLessThanOrEqual(Math.max(maxLines, ...recs.map((r) => r.line.split('\n').length)));
      }),
      { numRuns: 1500 },
    );
  });

  it('splitLines → joinRecords → split again gives back the lines', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const lines = splitLines(text);
        const events = joinRecords(lines.map((line) => ({ line })));
        expect(events.flatMap((e) => e.line.split('\n'))).toEqual(lines);
      }),
    );
  });
});

describe('splitLines properties', () => {
  it('round-trips lines joined with any line ending', () => {
    const line = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ''));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean(), (lines, eol, final) => {
        // Every line terminated, or the last one unterminated but not empty (else it is not there to see).
        fc.pre(final || lines.length === 0 || lines[lines.length - 1] !== '');
        const text = lines.join(eol) + (final && lines.length > 0 ? eol : '');
        expect(splitLines(text)).toEqual(lines);
      }),
    );
  });

  it('normalises endings: splitLines(t).join("\\n") is t with every ending as LF, minus a final one', () => {
    fc.assert(
      fc.property(anyText, (t) => {
        const norm = t.replace(/\r\n|\r/g, '\n');
        expect(splitLines(t).join('\n')).toBe(norm.endsWith('\n') ? norm.slice(0, -1) : norm);
      }),
    );
  });
});

describe('linear time on hostile input', () => {
  const big = 1 << 20;
  const cases: Array<[string, string]> = [
    ['1 MB message after a JBoss header', `2016-04-24 02:09:10,983 ERROR [a.b] (t) ${'x'.repeat(big)}`],
    ['1 MB of dotted names (exception class scanner)', `2016-04-24 02:09:10,983 ERROR [a.b] (t) ${'a.'.repeat(big / 2)}Exception`],
    ['1 MB of Exception words', `02:09:10,983 ERROR [a] (t) ${'Exception'.repeat(big / 9)}`],
    ['unclosed category bracket', `2016-04-24 02:09:10,983 ERROR ${'['.repeat(big)}`],
    ['unclosed thread parenthesis', `2016-04-24 02:09:10,983 ERROR [a] ${'('.repeat(big)}`],
    ['1 MB of spaces after a syslog date', `Dec 10 06:55:46 ${' '.repeat(big)}x`],
    ['1 MB of separators after a timestamp', `2015-07-29 17:41:44,747 ${'- '.repeat(big / 2)}`],
    ['5424 structured data that never closes', `<13>1 - h a p m [x a="${'\\"'.repeat(big / 2)}`],
    ['JSON-looking line', `{"timestamp":"x","m":"${'a'.repeat(big)}"}`],
    ['1 MB of digits', '1'.repeat(big)],
    ['1 MB stack trace', `2016-04-24 02:09:10,983 ERROR [a] (t) e\n${'\tat a.b.C.d(C.java:1)\n'.repeat(big / 22)}`],
  ];
  it.each(cases)('%s', (_name, line) => {
    const t0 = performance.now();
    const ev = parseEvent(line);
    joinRecords(splitLines(line).map((l) => ({ line: l })));
    const ms = performance.now() - t0;
    checkShape(ev);
    expect(ms).toBeLessThan(1500);
  });
});
