import { describe, expect, it } from 'vitest';
import { parseEvent } from './event.ts';

const utc = (iso: string): number => Date.parse(iso);

describe('RFC 5424', () => {
  it('reads every header field, structured data skipped, offset applied', () => {
    const ev = parseEvent(
      '<165>1 2023-08-24T05:14:15.003-07:00 mail-01.example.net postfix 8710 ID47 [exampleSDID@32473 iut="3" eventSource="App \\"x\\"" eventID="1011"][origin ip="192.0.2.1"] queue file write error',
    );
    expect(ev.format).toBe('rfc5424');
    expect(ev.level).toBe('NOTICE'); // 165 & 7 = 5
    expect(ev.host).toBe('mail-01.example.net');
    expect(ev.component).toBe('postfix');
    expect(ev.pid).toBe(8710);
    expect(ev.message).toBe('queue file write error');
    expect(ev.ts).toBe(utc('2023-08-24T12:14:15.003Z'));
    expect(new Date(ev.wall).getUTCHours()).toBe(5);
  });

  it('accepts nil fields, a nil SD, a BOM before MSG, and a nil timestamp', () => {
    const a = parseEvent('<11>1 2023-08-24T05:14:15Z - app - - - \uFEFFdisk full');
    expect(a.level).toBe('ERROR');
    expect(a.host).toBe('');
    expect(a.component).toBe('app');
    expect(a.pid).toBe(-1);
    expect(a.message).toBe('disk full');
    const b = parseEvent({ line: '<14>1 - h a p m - hello', ts: 1234 });
    expect(b.format).toBe('rfc5424');
    expect(b.ts).toBe(1234);
    expect(b.message).toBe('hello');
    expect(b.pid).toBe(-1); // procid "p" is not numeric
  });
});

describe('RFC 3164', () => {
  it('reads PRI, date, host, tag and pid; year from ctx.year', () => {
    const ev = parseEvent('<38>Oct  3 22:14:15 gw-2 sshd[4123]: Accepted publickey for deploy from 10.1.2.3 port 50122 ssh2', {
      year: 2024,
    });
    expect(ev.format).toBe('rfc3164');
    expect(ev.level).toBe('INFO'); // 38 & 7 = 6
    expect(ev.host).toBe('gw-2');
    expect(ev.component).toBe('sshd');
    expect(ev.pid).toBe(4123);
    expect(ev.message).toBe('Accepted publickey for deploy from 10.1.2.3 port 50122 ssh2');
    expect(ev.ts).toBe(utc('2024-10-03T22:14:15Z'));
  });

  it('reads Loghub-style lines without PRI (OpenSSH, Linux)', () => {
    const a = parseEvent('Mar 12 07:41:09 bastion sshd[31337]: Failed password for invalid user oracle from 198.51.100.7 port 40112 ssh2', {
      year: 2019,
    });
    expect(a.format).toBe('rfc3164');
    expect(a.level).toBe('');
    expect(a.host).toBe('bastion');
    expect(a.component).toBe('sshd');
    expect(a.pid).toBe(31337);
    expect(a.message).toBe('Failed password for invalid user oracle from 198.51.100.7 port 40112 ssh2');
    const b = parseEvent('Aug  2 04:02:11 box1 su(pam_unix)[5120]: session opened for user news by (uid=0)', { year: 2005 });
    expect(b.component).toBe('su(pam_unix)');
    expect(b.pid).toBe(5120);
    expect(b.ts).toBe(utc('2005-08-02T04:02:11Z'));
    const c = parseEvent('Aug  2 04:02:11 box1 kernel: usb 1-1: new device', { year: 2005 });
    expect(c.component).toBe('kernel');
    expect(c.pid).toBe(-1);
    expect(c.message).toBe('usb 1-1: new device');
  });

  it('takes the year from rec.ts / receivedAt, the previous one for December lines read in January', () => {
    const line = 'Dec 31 23:59:50 h cron[1]: tick';
    expect(parseEvent({ line, ts: utc('2021-12-31T23:59:51Z') }).ts).toBe(utc('2021-12-31T23:59:50Z'));
    expect(parseEvent({ line: 'Mar  1 10:00:00 h cron[1]: tick', ts: utc('2021-06-01T00:00:00Z') }).ts).toBe(utc('2021-03-01T10:00:00Z'));
    // a date more than a week after the reference is last year's
    expect(parseEvent({ line, ts: utc('2021-06-01T00:00:00Z') }).ts).toBe(utc('2020-12-31T23:59:50Z'));
    expect(parseEvent(line, { receivedAt: utc('2022-01-01T00:00:05Z') }).ts).toBe(utc('2021-12-31T23:59:50Z'));
    const none = parseEvent(line);
    expect(Number.isNaN(none.ts)).toBe(true);
    expect(none.component).toBe('cron');
  });

  it('accepts a tag without host (local syslog) and an ISO timestamp after PRI', () => {
    const a = parseEvent('<13>Feb  5 17:32:18 myapp[77]: started', { year: 2023 });
    expect(a.host).toBe('');
    expect(a.component).toBe('myapp');
    expect(a.pid).toBe(77);
    const b = parseEvent('<13>2025-09-20T17:42:41.378+02:00 web-1 nginx: reload');
    expect(b.format).toBe('rfc3164');
    expect(b.ts).toBe(utc('2025-09-20T15:42:41.378Z'));
    expect(b.host).toBe('web-1');
    expect(b.component).toBe('nginx');
    const c = parseEvent('<13>just text');
    expect(c.format).toBe('rfc3164');
    expect(c.message).toBe('just text');
  });
});

describe('seed pattern', () => {
  it('reads ISO timestamp, host, component, pid and message', () => {
    const ev = parseEvent('2025-09-20T17:42:41.378092+00:00 web-1 sshd[1234]: Failed password for root from 10.0.0.1 port 22 ssh2');
    expect(ev.format).toBe('seed');
    expect(ev.ts).toBe(utc('2025-09-20T17:42:41.378Z'));
    expect(ev.host).toBe('web-1');
    expect(ev.component).toBe('sshd');
    expect(ev.pid).toBe(1234);
    expect(ev.message).toBe('Failed password for root from 10.0.0.1 port 22 ssh2');
  });

  it('accepts Z, no fraction, a space instead of T, an offset without colon, and no pid', () => {
    expect(parseEvent('2025-09-20T17:42:41Z db-1 postgres[9]: checkpoint').ts).toBe(utc('2025-09-20T17:42:41Z'));
    const b = parseEvent('2025-09-20 17:42:41 db-1 cron: job done');
    expect(b.format).toBe('seed');
    expect(b.component).toBe('cron');
    expect(b.pid).toBe(-1);
    const c = parseEvent('2025-09-20T19:42:41+0200 db-1 app[3]: x');
    expect(c.ts).toBe(utc('2025-09-20T17:42:41Z'));
    expect(new Date(c.wall).getUTCHours()).toBe(19);
  });
});
