import { describe, expect, it } from 'vitest';
import { parseEvent } from './event.ts';
import { levelSeverity } from './scan.ts';

const utc = (iso: string): number => Date.parse(iso);

describe('log4j-like layouts (format log4j)', () => {
  it('Hadoop: date time LEVEL [thread] logger: message', () => {
    const ev = parseEvent(
      '2016-02-11 09:30:12,501 WARN [ResponseProcessor for block BP-1:blk_1_2] org.apache.hadoop.hdfs.DFSClient: Slow ReadProcessor read fields took 31504ms',
    );
    expect(ev.format).toBe('log4j');
    expect(ev.ts).toBe(utc('2016-02-11T09:30:12.501Z'));
    expect(ev.level).toBe('WARN');
    expect(ev.thread).toBe('ResponseProcessor for block BP-1:blk_1_2');
    expect(ev.component).toBe('org.apache.hadoop.hdfs.DFSClient');
    expect(ev.message).toBe('Slow ReadProcessor read fields took 31504ms');
  });

  it('Zookeeper: date time - LEVEL  [thread:Class@line] - message', () => {
    const ev = parseEvent(
      '2016-03-01 12:00:01,002 - WARN  [SyncThread:3:FileTxnLog@334] - fsync-ing the write ahead log in SyncThread:3 took 1200ms',
    );
    expect(ev.format).toBe('log4j');
    expect(ev.level).toBe('WARN');
    expect(ev.component).toBe('FileTxnLog');
    expect(ev.thread).toBe('SyncThread:3');
    expect(ev.message).toBe('fsync-ing the write ahead log in SyncThread:3 took 1200ms');
    const nested = parseEvent('2016-03-01 12:00:01,002 - INFO  [QuorumPeer[myid=2]/0.0.0.0:2181:Leader@451] - LEADING');
    expect(nested.component).toBe('Leader');
    expect(nested.message).toBe('LEADING');
  });

  it('Spark: yy/MM/dd HH:mm:ss LEVEL logger: message', () => {
    const ev = parseEvent('18/01/22 07:05:33 ERROR storage.DiskBlockManager: Exception while deleting local spark dir');
    expect(ev.format).toBe('log4j');
    expect(ev.ts).toBe(utc('2018-01-22T07:05:33Z'));
    expect(ev.level).toBe('ERROR');
    expect(ev.component).toBe('storage.DiskBlockManager');
    expect(ev.message).toBe('Exception while deleting local spark dir');
  });

  it('HDFS: yyMMdd HHmmss pid LEVEL logger: message', () => {
    const ev = parseEvent('090307 011502 2211 WARN dfs.DataNode$DataXceiver: 10.0.0.5:50010:Got exception while serving blk_42 to /10.0.0.9');
    expect(ev.format).toBe('log4j');
    expect(ev.ts).toBe(utc('2009-03-07T01:15:02Z'));
    expect(ev.pid).toBe(2211);
    expect(ev.level).toBe('WARN');
    expect(ev.component).toBe('dfs.DataNode$DataXceiver');
    expect(ev.message).toBe('10.0.0.5:50010:Got exception while serving blk_42 to /10.0.0.9');
  });

  it('Apache error log: [Www Mmm dd HH:mm:ss yyyy] [level] message, also 2.4 [module:level] [pid]', () => {
    const a = parseEvent('[Tue Mar 07 18:22:09 2006] [error] [client 192.0.2.4] File does not exist: /var/www/favicon.ico');
    expect(a.format).toBe('log4j');
    expect(a.ts).toBe(utc('2006-03-07T18:22:09Z'));
    expect(a.level).toBe('ERROR');
    expect(a.message).toBe('[client 192.0.2.4] File does not exist: /var/www/favicon.ico');
    const b = parseEvent('[Wed Oct 11 14:32:52.123456 2000] [core:warn] [pid 35708:tid 4328636416] AH00098: pid file overwritten');
    expect(b.level).toBe('WARN');
    expect(b.component).toBe('core');
    expect(b.pid).toBe(35708);
    expect(b.message).toBe('AH00098: pid file overwritten');
    expect(b.ts).toBe(utc('2000-10-11T14:32:52.123Z'));
  });

  it('BGL, with or without its leading label: epoch gives ts, the local stamp gives wall', () => {
    const body = '1120000000 2005.06.28 R11-M0-N4-C:J05-U01 2005-06-28-16.06.40.123456 R11-M0-N4-C:J05-U01 RAS KERNEL FATAL data storage interrupt';
    for (const line of [body, `- ${body}`, `KERNSTOR ${body}`]) {
      const ev = parseEvent(line);
      expect(ev.format).toBe('log4j');
      expect(ev.ts).toBe(1_120_000_000_123);
      expect(ev.wall).toBe(utc('2005-06-28T16:06:40.123Z'));
      expect(ev.host).toBe('R11-M0-N4-C:J05-U01');
      expect(ev.component).toBe('KERNEL');
      expect(ev.level).toBe('FATAL');
      expect(ev.message).toBe('data storage interrupt');
    }
  });

  it('Thunderbird: epoch, node, then a syslog line', () => {
    const ev = parseEvent('- 1131600000 2005.11.09 bn12 Nov 9 21:20:00 bn12/bn12 sshd[7781]: Accepted publickey for root from 10.100.1.1');
    expect(ev.format).toBe('log4j');
    expect(ev.ts).toBe(1_131_600_000_000);
    expect(ev.wall).toBe(utc('2005-11-09T21:20:00Z'));
    expect(ev.host).toBe('bn12');
    expect(ev.component).toBe('sshd');
    expect(ev.pid).toBe(7781);
    expect(ev.message).toBe('Accepted publickey for root from 10.100.1.1');
  });

  it('other "date time …" lines are log4j with whatever fields are there', () => {
    const ev = parseEvent('2024-05-05T10:00:00.5 something happened here');
    expect(ev.format).toBe('log4j');
    expect(ev.ts).toBe(utc('2024-05-05T10:00:00.500Z'));
    expect(ev.level).toBe('');
    expect(ev.message).toBe('something happened here');
  });
});

describe('unknown', () => {
  it('keeps the whole first line and takes the time from rec.ts, receivedAt or NaN', () => {
    const ev = parseEvent({ line: 'hello there\n\tat a.b.C.d(C.java:1)', ts: 42 }, { receivedAt: 7 });
    expect(ev.format).toBe('unknown');
    expect(ev.message).toBe('hello there');
    expect(ev.ts).toBe(42);
    expect(ev.wall).toBe(42);
    expect(ev.stackDepth).toBe(1);
    expect(parseEvent('x', { receivedAt: 7 }).ts).toBe(7);
    expect(Number.isNaN(parseEvent('x').ts)).toBe(true);
    expect(parseEvent('').message).toBe('');
  });

  it('rejects near misses of the known headers', () => {
    for (const line of ['25:61:00,000 INFO [a] (b) c', '2024-02-30 10:00:00 x', 'Foo 12 10:00:00 h t: m', '<999>1 - - - - - -', '12:00:00 no millis']) {
      expect(parseEvent(line).format).toBe('unknown');
    }
  });
});

describe('levelSeverity', () => {
  it('ranks levels of all formats on the syslog scale', () => {
    expect(levelSeverity('FATAL')).toBe(2);
    expect(levelSeverity('SEVERE')).toBe(levelSeverity('ERROR'));
    expect(levelSeverity('WARNING')).toBe(levelSeverity('WARN'));
    expect(levelSeverity('INFO')).toBe(6);
    expect(levelSeverity('')).toBe(-1);
  });
});
