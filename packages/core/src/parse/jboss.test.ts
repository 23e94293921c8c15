import { describe, expect, it } from 'vitest';
import { CONSOLE_CLOCK_SKEW_MS, fileDateFromName, zoneOffsetMs } from './context.ts';
import { parseEvent } from './event.ts';

const utc = (iso: string): number => Date.parse(iso);

describe('JBoss / WildFly server.log (format jboss)', () => {
  it('reads date, level, category, thread and message', () => {
    const ev = parseEvent(
      '2019-03-11 08:15:02,417 ERROR [org.jboss.as.controller.management-operation] (ServerService Thread Pool -- 12) WFLYCTL0013: Operation ("deploy") failed - address: ([("deployment" => "shop.war")])',
    );
    expect(ev.format).toBe('jboss');
    expect(ev.level).toBe('ERROR');
    expect(ev.component).toBe('org.jboss.as.controller.management-operation');
    expect(ev.thread).toBe('ServerService Thread Pool -- 12');
    expect(ev.message).toBe('WFLYCTL0013: Operation ("deploy") failed - address: ([("deployment" => "shop.war")])');
    expect(ev.ts).toBe(utc('2019-03-11T08:15:02.417Z'));
    expect(ev.wall).toBe(ev.ts);
    expect(new Date(ev.wall).getUTCHours()).toBe(8);
    expect(ev.pid).toBe(-1);
    expect(ev.continuationLines).toBe(0);
  });

  it('handles padded levels, WARNING/SEVERE and nested parentheses in thread names', () => {
    const a = parseEvent('2021-07-01 23:59:59,999 INFO  [org.jboss.as] (Controller Boot Thread) WFLYSRV0025: started');
    expect(a.level).toBe('INFO');
    expect(a.message).toBe('WFLYSRV0025: started');
    const b = parseEvent('2021-07-01 10:00:00,000 WARNING [javax.enterprise.resource.webcontainer.jsf] (default task-3) JSF1064: missing resource');
    expect(b.level).toBe('WARNING');
    const c = parseEvent('2021-07-01 10:00:00,000 SEVERE [com.sun.xml] (pool-2 (worker 1)) boom');
    expect(c.level).toBe('SEVERE');
    expect(c.thread).toBe('pool-2 (worker 1)');
    expect(c.message).toBe('boom');
    for (const lv of ['TRACE', 'DEBUG', 'FATAL']) {
      expect(parseEvent(`2021-07-01 10:00:00,000 ${lv} [a.b] (main) x`).level).toBe(lv);
    }
  });

  it('finds the exception class in the first line', () => {
    const ev = parseEvent(
      '2016-04-24 02:09:10,983 ERROR [org.apache.coyote.http11.Http11Protocol] (MSC service thread 1-2) JBWEB003043: Error initializing endpoint: java.net.BindException: Address already in use /127.0.0.1:8080',
    );
    expect(ev.exceptionClass).toBe('java.net.BindException');
    expect(parseEvent('2016-04-24 02:09:10,983 INFO [a.b.ErrorHandler] (main) no error here').exceptionClass).toBe('');
  });

  it('counts frames, causes and continuation lines of a stack trace, first exception wins', () => {
    const text = [
      '2018-02-03 11:22:33,444 ERROR [org.jboss.msc.service.fail] (MSC service thread 1-4) MSC000001: Failed to start service jboss.undertow.listener.default: org.jboss.msc.service.StartException in service jboss.undertow.listener.default: Address already in use: bind /0.0.0.0:8080',
      '\tat org.wildfly.extension.undertow.ListenerService.start(ListenerService.java:211)',
      '\tat org.jboss.msc.service.ServiceControllerImpl$StartTask.startService(ServiceControllerImpl.java:2032)',
      '\tat java.lang.Thread.run(Thread.java:748)',
      'Caused by: java.net.BindException: Address already in use: bind',
      '\tat sun.nio.ch.Net.bind0(Native Method)',
      '\t... 2 more',
    ].join('\n');
    const ev = parseEvent({ line: text, host: 'app-3' });
    expect(ev.format).toBe('jboss');
    expect(ev.host).toBe('app-3');
    expect(ev.stackDepth).toBe(4);
    expect(ev.causes).toBe(1);
    expect(ev.continuationLines).toBe(6);
    expect(ev.exceptionClass).toBe('org.jboss.msc.service.StartException');
    expect(ev.message.startsWith('MSC000001: Failed to start service')).toBe(true);
  });

  it('takes the exception class from a Caused by or exception line when the first line names none', () => {
    const ev = parseEvent(
      [
        '2018-02-03 11:22:33,444 ERROR [io.undertow.request] (default task-9) UT005023: Exception handling request to /api/orders',
        'java.lang.IllegalStateException: cart is closed',
        '\tat com.shop.Cart.add(Cart.java:88)',
        'Caused by: com.shop.CartClosed: closed at 11:00',
      ].join('\r\n'),
    );
    expect(ev.exceptionClass).toBe('java.lang.IllegalStateException');
    expect(ev.stackDepth).toBe(1);
    expect(ev.causes).toBe(1);
    expect(ev.message).toBe('UT005023: Exception handling request to /api/orders');
  });

  it('judges printStackTrace lines stamped by JBoss by their text', () => {
    const ev = parseEvent(
      [
        '2016-04-24 02:09:10,990 ERROR [stderr] (default task-4) java.lang.NullPointerException',
        '2016-04-24 02:09:10,990 ERROR [stderr] (default task-4) \tat com.foo.Bar.baz(Bar.java:10)',
        '2016-04-24 02:09:10,991 ERROR [stderr] (default task-4) \tat com.foo.Bar.qux(Bar.java:20)',
        '2016-04-24 02:09:10,991 ERROR [stderr] (default task-4) Caused by: java.io.IOException: gone',
        '2016-04-24 02:09:10,991 ERROR [stderr] (default task-4) \t... 5 more',
      ].join('\n'),
    );
    expect(ev.component).toBe('stderr');
    expect(ev.message).toBe('java.lang.NullPointerException');
    expect(ev.exceptionClass).toBe('java.lang.NullPointerException');
    expect(ev.stackDepth).toBe(2);
    expect(ev.causes).toBe(1);
    expect(ev.continuationLines).toBe(4);
  });
});

describe('JBoss console / EAP 6 pattern (format jboss-console)', () => {
  const line = '02:09:10,983 ERROR [org.apache.coyote.http11.Http11Protocol] (MSC service thread 1-2) JBWEB003043: Error initializing endpoint';

  it('takes the date from ctx.fileDate (as parsed from the rotated file name)', () => {
    const fileDate = fileDateFromName('/var/log/jboss/server.log.2016-04-24');
    expect(fileDate).toBe(utc('2016-04-24T00:00:00Z'));
    const ev = parseEvent(line, { fileDate });
    expect(ev.format).toBe('jboss-console');
    expect(ev.ts).toBe(utc('2016-04-24T02:09:10.983Z'));
    expect(ev.wall).toBe(ev.ts);
    expect(ev.level).toBe('ERROR');
    expect(ev.component).toBe('org.apache.coyote.http11.Http11Protocol');
    expect(ev.thread).toBe('MSC service thread 1-2');
    expect(ev.message).toBe('JBWEB003043: Error initializing endpoint');
  });

  it('falls back to the day of rec.ts, then of receivedAt, rolling back a day across midnight', () => {
    expect(parseEvent({ line, ts: utc('2020-01-05T17:00:00Z') }).ts).toBe(utc('2020-01-05T02:09:10.983Z'));
    expect(parseEvent(line, { receivedAt: utc('2020-01-05T03:00:00Z') }).ts).toBe(utc('2020-01-05T02:09:10.983Z'));
    const late = '23:59:58,100 INFO  [org.jboss.as] (main) tick';
    expect(parseEvent(late, { receivedAt: utc('2020-01-05T00:00:03Z') }).ts).toBe(utc('2020-01-04T23:59:58.100Z'));
    expect(parseEvent({ line, ts: 1 }, { fileDate: utc('2016-04-24T00:00:00Z') }).ts).toBe(utc('2016-04-24T02:09:10.983Z'));
  });

  it('a time of day in the future at the reference (beyond 5 min of clock skew) is the day before', () => {
    const at = (t: string, receivedAt: number, clockOffsetMs?: number) =>
      new Date(parseEvent(`${t} INFO  [org.jboss.as] (main) tick`, { receivedAt, ...(clockOffsetMs !== undefined ? { clockOffsetMs } : {}) }).ts).toISOString();
    const r = utc('2026-12-03T07:10:00Z');
    expect(at('17:59:02,123', r)).toBe('2026-12-02T17:59:02.123Z'); // the case: 10 h 49 min ahead
    expect(at('07:14:59,999', r)).toBe('2026-12-03T07:14:59.999Z'); // within the allowance
    expect(at('07:15:00,001', r)).toBe('2026-12-02T07:15:00.001Z');
    expect(at('00:00:00,000', r)).toBe('2026-12-03T00:00:00.000Z');
    expect(CONSOLE_CLOCK_SKEW_MS).toBe(5 * 60_000);
    // A writer on UTC+9: at 07:10 UTC its clock reads 16:10, so 16:00 is today and 16:20 yesterday.
    expect(at('16:00:00,000', r, 9 * 3_600_000)).toBe('2026-12-03T16:00:00.000Z');
    expect(at('16:20:00,000', r, 9 * 3_600_000)).toBe('2026-12-02T16:20:00.000Z');
    // ... and its day can already be the next one: at 23:45 UTC a UTC+1 clock reads 00:45 of the 4th.
    expect(at('00:30:00,000', utc('2026-12-03T23:45:00Z'), 1 * 3_600_000)).toBe('2026-12-04T00:30:00.000Z');
  });

  it('zoneOffsetMs: the offset of a zone from UTC at an instant, DST included', () => {
    expect(zoneOffsetMs('UTC', utc('2026-07-01T12:00:00Z'))).toBe(0);
    expect(zoneOffsetMs('Europe/Berlin', utc('2026-01-15T12:00:00Z'))).toBe(3_600_000);
    expect(zoneOffsetMs('Europe/Berlin', utc('2026-07-15T12:00:00Z'))).toBe(7_200_000);
    expect(zoneOffsetMs('America/New_York', utc('2026-01-15T12:00:00.999Z'))).toBe(-5 * 3_600_000);
    expect(zoneOffsetMs('Asia/Kolkata', utc('2026-01-15T12:00:00Z'))).toBe(5.5 * 3_600_000);
    expect(() => zoneOffsetMs('Mars/Olympus', 0)).toThrow(RangeError);
  });

  it('fileDateFromName reads rotated and dated names', () => {
    for (const name of ['server.log.2016-05-12', 'server-2016-05-12.log', 'server.log.2016-05-12-10', 'server.log.2016-05-12.1', '/var/log/wildfly/eap64_7uv_server.log.2016-05-12']) {
      expect(fileDateFromName(name), name).toBe(utc('2016-05-12T00:00:00Z'));
    }
  });

  it('has NaN times when no date is known, but keeps the fields', () => {
    const ev = parseEvent(line);
    expect(Number.isNaN(ev.ts)).toBe(true);
    expect(Number.isNaN(ev.wall)).toBe(true);
    expect(ev.level).toBe('ERROR');
  });

  it('fileDateFromName ignores names without a valid date', () => {
    expect(fileDateFromName('server.log')).toBeUndefined();
    expect(fileDateFromName('server.log.2016-13-01')).toBeUndefined();
    expect(fileDateFromName('server.log.2016-02-29-10')).toBe(utc('2016-02-29T00:00:00Z'));
  });
});

describe('WildFly JSON formatter (format wildfly-json)', () => {
  it('reads the standard keys and applies the offset', () => {
    const line = JSON.stringify({
      timestamp: '2022-10-04T14:03:11.052+02:00',
      sequence: 4121,
      loggerClassName: 'org.jboss.logging.DelegatingBasicLogger',
      loggerName: 'org.hibernate.engine.jdbc.spi.SqlExceptionHelper',
      level: 'WARN',
      message: 'SQL Error: 0, SQLState: 08001',
      threadName: 'default task-17',
      threadId: 233,
      mdc: {},
      ndc: '',
      hostName: 'web-2',
      processName: 'jboss-modules.jar',
      processId: 4711,
    });
    const ev = parseEvent(line);
    expect(ev.format).toBe('wildfly-json');
    expect(ev.ts).toBe(utc('2022-10-04T12:03:11.052Z'));
    expect(new Date(ev.wall).getUTCHours()).toBe(14);
    expect(ev.level).toBe('WARN');
    expect(ev.component).toBe('org.hibernate.engine.jdbc.spi.SqlExceptionHelper');
    expect(ev.thread).toBe('default task-17');
    expect(ev.host).toBe('web-2');
    expect(ev.pid).toBe(4711);
    expect(ev.message).toBe('SQL Error: 0, SQLState: 08001');
  });

  it('reads a detailed exception with its cause chain', () => {
    const line = JSON.stringify({
      timestamp: '2022-10-04T14:03:11.052Z',
      level: 'ERROR',
      loggerName: 'io.undertow.request',
      message: 'UT005023: Exception handling request',
      threadName: 'default task-1',
      exception: {
        refId: 1,
        exceptionType: 'java.lang.IllegalStateException',
        message: 'closed',
        frames: [
          { class: 'com.shop.Cart', method: 'add', line: 88 },
          { class: 'com.shop.Api', method: 'post', line: 12 },
        ],
        causedBy: { exception: { refId: 2, exceptionType: 'java.io.IOException', message: 'x', frames: [{ class: 'a.B', method: 'c', line: 1 }] } },
      },
    });
    const ev = parseEvent(line);
    expect(ev.exceptionClass).toBe('java.lang.IllegalStateException');
    expect(ev.stackDepth).toBe(3);
    expect(ev.causes).toBe(1);
  });

  it('treats broken JSON as unknown, whole line as message', () => {
    const line = '{"timestamp":"2022-10-04T14:03:11Z","level":"INFO","message":"cut off"';
    const ev = parseEvent(line + ' }x}');
    expect(ev.format).toBe('unknown');
    expect(ev.message).toBe(line + ' }x}');
  });
});
