import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../types.ts';
import { parseEvent } from './event.ts';
import { isHeaderLine } from './header.ts';
import { EventJoiner, joinRecords } from './join.ts';

const recs = (lines: string[], extra: Partial<LogRecord> = {}): LogRecord[] => lines.map((line) => ({ line, ...extra }));
const linesOf = (events: LogRecord[]): string[][] => events.map((e) => e.line.split('\n'));

describe('joinRecords', () => {
  it('joins frames, Caused by, ... N more, Suppressed and exception lines to the event before them', () => {
    const input = [
      '2017-05-23 12:11:50,988 ERROR [org.jboss.as.ejb3.invocation] (default task-4) WFLYEJB0034: EJB Invocation failed on component UserService',
      'javax.ejb.EJBException: javax.persistence.PersistenceException: could not prepare statement',
      '\tat org.jboss.as.ejb3.tx.CMTTxInterceptor.handleExceptionInOurTx(CMTTxInterceptor.java:187)',
      '\tat org.jboss.invocation.InterceptorContext.proceed(InterceptorContext.java:340)',
      '\tSuppressed: java.lang.IllegalStateException: rollback',
      '\t\tat com.app.Tx.close(Tx.java:3)',
      'Caused by: org.h2.jdbc.JdbcSQLException: Table "USER_" not found; SQL statement:',
      'select user0_.id as id1_0_ from user_ user0_ [42102-173]',
      '\t... 137 more',
      '2017-05-23 12:11:51,002 INFO  [stdout] (default task-5) next event',
    ];
    const out = joinRecords(recs(input, { source: 'server.log', host: 'h1', ts: 5 }));
    expect(out).toHaveLength(2);
    expect(out[0]!.line).toBe(input.slice(0, 9).join('\n'));
    expect(out[0]!.ts).toBe(5);
    expect(out[0]!.host).toBe('h1');
    expect(out[0]!.source).toBe('server.log');
    expect(out[1]!.line).toBe(input[9]);
    const ev = parseEvent(out[0]!);
    expect(ev.stackDepth).toBe(3);
    expect(ev.causes).toBe(1);
    expect(ev.continuationLines).toBe(8);
    expect(ev.exceptionClass).toBe('javax.ejb.EJBException');
  });

  it('joins DMR failure descriptions and the system-properties dump; keeps a leading orphan as its own event', () => {
    const input = [
      '\tat orphan.Frame.x(Frame.java:1)',
      '11:02:03,004 ERROR [org.jboss.as.controller.management-operation] (Controller Boot Thread) JBAS014612: Operation ("add") failed - address: ([',
      '    ("subsystem" => "datasources"),',
      '    ("data-source" => "AppDS")',
      ']) - failure description: {"JBAS014771: Services with missing/unavailable dependencies" => ["jboss.driver-demander"]}',
      '11:02:03,010 DEBUG [org.jboss.as.config] (MSC service thread 1-3) Configured system properties:',
      '\tjava.version = 1.8.0_131',
      '\tuser.name = svc',
      '',
      '11:02:04,000 INFO  [org.jboss.as] (MSC service thread 1-1) JBAS015899: starting',
    ];
    expect(linesOf(joinRecords(recs(input)))).toEqual([input.slice(0, 1), input.slice(1, 5), input.slice(5, 9), input.slice(9)]);
  });

  it('merges JBoss-stamped printStackTrace lines of the same thread into one event', () => {
    const s = (t: string, msg: string): string => `2016-04-24 02:09:10,990 ERROR [stderr] (${t}) ${msg}`;
    const input = [
      '2016-04-24 02:09:10,980 INFO  [com.app.Orders] (default task-4) placing order 17',
      s('default task-4', 'java.sql.SQLException: Table "ORDERS" not found; SQL statement:'),
      s('default task-4', 'insert into orders values (?)'),
      s('default task-4', '\tat org.h2.message.DbException.getJdbcSQLException(DbException.java:345)'),
      s('default task-4', '\tat com.app.Orders.place(Orders.java:10)'),
      s('default task-4', 'Caused by: java.io.IOException: disk'),
      s('default task-4', '\t... 5 more'),
      s('default task-4', 'java.lang.IllegalStateException: second trace'),
      s('default task-4', '\tat com.app.Orders.retry(Orders.java:30)'),
      s('default task-7', '\tat other.thread.Frame(Frame.java:1)'),
      s('default task-7', 'plain println from task-7'),
      s('default task-7', 'another println'),
    ];
    const out = linesOf(joinRecords(recs(input)));
    // a println after a complete trace is an event of its own; so is each later println
    expect(out).toEqual([input.slice(0, 1), input.slice(1, 7), input.slice(7, 9), input.slice(9, 10), input.slice(10, 11), input.slice(11)]);
    const ev = parseEvent(joinRecords(recs(input))[1]!);
    expect(ev.exceptionClass).toBe('java.sql.SQLException');
    expect(ev.stackDepth).toBe(2);
    expect(ev.causes).toBe(1);
  });

  it('joins a printStackTrace preamble with the exception that follows, but not stderr of another thread', () => {
    const s = (t: string, msg: string): string => `10:00:00,000 ERROR [stderr] (${t}) ${msg}`;
    const input = [s('w1', 'Error while saving:'), s('w1', 'java.lang.RuntimeException: boom'), s('w2', '\tat x.Y.z(Y.java:1)'), s('w1', '\tat a.B.c(B.java:2)')];
    expect(linesOf(joinRecords(recs(input)))).toEqual([input.slice(0, 2), input.slice(2, 3), input.slice(3)]);
  });

  it('lines without any header are one event each; only empty and trace lines join them', () => {
    const input = ['hello', 'world', '\tat a.B.c(B.java:1)', 'Caused by: x.Y: z', 'at a.B.d(B.java:2)', '', '\t... 3 more', 'Suppressed: q.R', 'plain again', 'java.lang.IllegalStateException: not a trace line'];
    expect(linesOf(joinRecords(recs(input)))).toEqual([['hello'], input.slice(1, 8), ['plain again'], [input[9]!]]);
  });

  it('a headed event over a size cap goes on with its unindented lines (service status report)', () => {
    const input = [
      '10:09:13,081 INFO  [org.jboss.as.controller] (Controller Boot Thread) JBAS014774: Service status report',
      'JBAS014775:    New missing/unsatisfied dependencies:',
      '      service jboss.jdbc-driver.mysql (missing) dependents: [service jboss.data-source.AppDS]',
      'JBAS014777:   Services which failed to start:      service jboss.web.connector.http',
    ];
    expect(linesOf(joinRecords(recs(input)))).toEqual([input]);
    expect(linesOf(joinRecords(recs(input), { maxLines: 2 }))).toEqual([input.slice(0, 2), input.slice(2)]);
  });

  it('does not join across sources or hosts', () => {
    const input: LogRecord[] = [
      { line: '2020-01-01 00:00:00,000 ERROR [a] (t) x', source: 'a.log' },
      { line: '\tat a.B.c(B.java:1)', source: 'b.log' },
      { line: '\tat a.B.d(B.java:2)', source: 'b.log' },
    ];
    expect(joinRecords(input).map((r) => r.line)).toEqual([input[0]!.line, '\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)']);
  });

  it('returns unmerged records as the same objects', () => {
    const input = recs(['Jan  1 00:00:00 h a: x', 'Jan  1 00:00:01 h a: y']);
    const out = joinRecords(input);
    expect(out[0]).toBe(input[0]);
    expect(out[1]).toBe(input[1]);
  });

  it('caps events by lines and by characters without dropping anything', () => {
    const head = '2020-01-01 00:00:00,000 ERROR [a] (t) boom';
    const frames = Array.from({ length: 25 }, (_, i) => `\tat a.B.m${i}(B.java:${i})`);
    const out = joinRecords(recs([head, ...frames]), { maxLines: 10 });
    expect(out.map((e) => e.line.split('\n').length)).toEqual([10, 10, 6]);
    expect(out.flatMap((e) => e.line.split('\n'))).toEqual([head, ...frames]);
    const byChars = joinRecords(recs([head, ...frames]), { maxChars: 100 });
    expect(byChars.every((e) => e.line.length <= 100)).toBe(true);
    expect(byChars.flatMap((e) => e.line.split('\n'))).toEqual([head, ...frames]);
  });

  it('counts the lines of records that already hold several lines', () => {
    const out = joinRecords(recs(['2020-01-01 00:00:00,000 ERROR [a] (t) boom', '\tat a\n\tat b\n\tat c', '\tat d']), { maxLines: 4 });
    expect(out.map((e) => e.line)).toEqual(['2020-01-01 00:00:00,000 ERROR [a] (t) boom\n\tat a\n\tat b\n\tat c', '\tat d']);
  });
});

describe('EventJoiner (streaming)', () => {
  it('returns each event when the next one starts, and the last on flush', () => {
    const j = new EventJoiner();
    expect(j.push({ line: '2020-01-01 00:00:00,000 ERROR [a] (t) boom' })).toBeUndefined();
    expect(j.push({ line: '\tat a.B.c(B.java:1)' })).toBeUndefined();
    expect(j.push({ line: '2020-01-01 00:00:01,000 INFO [a] (t) ok' })?.line).toBe('2020-01-01 00:00:00,000 ERROR [a] (t) boom\n\tat a.B.c(B.java:1)');
    expect(j.flush()?.line).toBe('2020-01-01 00:00:01,000 INFO [a] (t) ok');
    expect(j.flush()).toBeUndefined();
  });
});

describe('isHeaderLine', () => {
  it('recognises every supported header and nothing that continues a trace', () => {
    for (const l of [
      '2020-01-01 00:00:00,000 INFO [a] (b) c',
      '00:00:00,000 INFO [a] (b) c',
      '{"timestamp":"2020-01-01T00:00:00Z","level":"INFO","message":"x"}',
      '<13>1 - - - - - -',
      'Jan  1 00:00:00 h t: m',
      '2025-09-20T17:42:41Z web-1 sshd[1]: m',
      '17/06/09 20:10:40 INFO a.B: m',
      '081109 203615 148 INFO dfs.X: m',
      '[Sun Dec 04 04:47:44 2005] [notice] m',
      '- 1117838570 2005.06.03 R02 2005-06-03-15.42.50.675872 R02 RAS KERNEL INFO m',
    ])
      expect(isHeaderLine(l)).toBe(true);
    for (const l of ['\tat a.B.c(B.java:1)', 'Caused by: x.Y: z', '\t... 3 more', ']) - failure description: {', '{"JBAS014671: Failed services" => {"a" => "b"}}', 'java.lang.NullPointerException', ''])
      expect(isHeaderLine(l)).toBe(false);
  });
});
