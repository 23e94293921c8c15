import { describe, expect, it } from 'vitest';
import { joinRecords, parseEvent } from '../parse/index.ts';
import { maskedSignature, messageCode, rootCause, signatureOf } from './signature.ts';

/** Join the lines into events as the pipeline does and give the signature of each. */
function sigs(lines: string[], fallback = 'tpl:x'): string[] {
  return joinRecords(lines.map((line) => ({ line }))).map((r) => signatureOf(parseEvent(r), r.line, fallback));
}

describe('messageCode', () => {
  it('finds the codes of every JBoss-family project', () => {
    const cases: Array<[string, string]> = [
      ['WFLYCTL0013: Operation ("add") failed - address: ([("subsystem" => "undertow")])', 'WFLYCTL0013'],
      ['JBAS014612: Operation ("deploy") failed - address: ([("deployment" => "shop.war")])', 'JBAS014612'],
      ['ISPN000136: Error executing command PutKeyValueCommand on Cache \'sessions\'', 'ISPN000136'],
      ['HHH000100: Hibernate Core {5.3.20.Final}', 'HHH000100'],
      ['RESTEASY002142: Multiple resource methods match request "GET /api/orders"', 'RESTEASY002142'],
      ['ARJUNA012117: TransactionReaper::check timeout for TX 0:ffff7f000001:-3c0b2a5e:5f1', 'ARJUNA012117'],
      ['IJ000453: Unable to get managed connection for java:jboss/datasources/ShopDS', 'IJ000453'],
      ['UT005023: Exception handling request to /shop/cart', 'UT005023'],
      ['WELD-000900: 3.1.7 (SP1)', 'WELD-000900'],
      ['MSC000001: Failed to start service jboss.deployment.unit."shop.war".POST_MODULE', 'MSC000001'],
      ['KC-SERVICES0089: Failed to run scheduled task PurgeOldTokens: org.example.TaskFailed', 'KC-SERVICES0089'],
      ['JBWEB003043: Error initializing endpoint: java.net.BindException: port in use', 'JBWEB003043'],
      ['WFLYCLINF0002: Started shop-sessions cache from web container', 'WFLYCLINF0002'],
      ['HV000001: Hibernate Validator 6.0.22.Final', 'HV000001'],
    ];
    for (const [msg, code] of cases) expect(messageCode(msg), msg).toBe(code);
  });

  it('takes the first code, also after text or in brackets', () => {
    expect(messageCode('Deployment failed [WFLYSRV0153] then WFLYCTL0013')).toBe('WFLYSRV0153');
    expect(messageCode('(MSC000001) boom')).toBe('MSC000001');
  });

  it('ignores look-alikes: short digit runs, glued words, dotted names, lower case', () => {
    expect(messageCode('charset UTF8, port ABC123')).toBe('');
    expect(messageCode('class org.foo.WFLY0001 loaded')).toBe('');
    expect(messageCode('id xWFLY0001 and WFLY0001abc and JBAS01461x')).toBe('');
    expect(messageCode('path /opt/WFLY0001 and wflyctl0013')).toBe('');
    expect(messageCode('A1234 is one capital only')).toBe('');
    expect(messageCode('charset ISO-8859-1, file X-AB0001 and AB-CD-EF-GH0001')).toBe('');
    expect(messageCode('KC-SERVICES without a number, A-BC0001 with a one-letter group')).toBe('');
    expect(messageCode('version WFLYCTL0013.1 or WFLYCTL0013-b')).toBe('');
  });

  it('finds hyphenated families after look-alikes and at the end of a sentence', () => {
    expect(messageCode('encoding ISO-8859-1 then KC-SERVICES0050: Initializing realm')).toBe('KC-SERVICES0050');
    expect(messageCode('see AB-CD-EF0001.')).toBe('AB-CD-EF0001');
    expect(messageCode('failed (code WELD-001408)')).toBe('WELD-001408');
    expect(messageCode('')).toBe('');
  });
});

describe('rootCause', () => {
  it('names the class of the last Caused by', () => {
    const t = 'x\njava.lang.RuntimeException: a\n\tat a.B.c(B.java:1)\nCaused by: javax.naming.NamingException: b\n\tat c.D.e(D.java:2)\nCaused by: java.net.ConnectException: Connection refused\n\t... 4 more';
    expect(rootCause(t)).toBe('java.net.ConnectException');
    expect(rootCause('no cause here')).toBe('');
    expect(rootCause('Caused by: notqualified')).toBe('');
  });
});

describe('signatureOf', () => {
  it('prefers the message code over an exception in the same event', () => {
    expect(
      sigs([
        '2024-05-06 10:15:02,123 ERROR [org.jboss.msc.service.fail] (MSC service thread 1-3) MSC000001: Failed to start service jboss.undertow.listener.default: org.jboss.msc.service.StartException in service jboss.undertow.listener.default: Address already in use',
        '\tat org.wildfly.extension.undertow.ListenerService.start(ListenerService.java:211)',
        'Caused by: java.net.BindException: Address already in use',
      ]),
    ).toEqual(['MSC000001']);
  });

  it('uses the exception class and its root cause when there is no code', () => {
    expect(
      sigs([
        '2024-05-06 10:16:00,001 ERROR [com.example.shop.CartService] (default task-7) cart update failed: javax.ejb.EJBException: txn aborted',
        '\tat org.jboss.as.ejb3.tx.CMTTxInterceptor.handleExceptionInOurTx(CMTTxInterceptor.java:166)',
        'Caused by: java.lang.NullPointerException',
        '\tat com.example.shop.CartService.update(CartService.java:42)',
        '\t... 12 more',
      ]),
    ).toEqual(['javax.ejb.EJBException caused by java.lang.NullPointerException']);
  });

  it('gives the class alone for a one-line exception or when the root cause is the same class', () => {
    expect(sigs(['2024-05-06 10:17:00,000 WARN [com.example.Poller] (pool-3-thread-1) poll failed: java.io.IOException: Broken pipe'])).toEqual([
      'java.io.IOException',
    ]);
    expect(signatureOf({ message: 'x', exceptionClass: 'a.B' }, 'x\nCaused by: a.B: again')).toBe('a.B');
  });

  it('falls back when neither a code nor an exception is present', () => {
    expect(sigs(['2024-05-06 10:18:00,000 INFO [com.example.Boot] (main) started in 42 ms'], 'tpl:7')).toEqual(['tpl:7']);
    expect(signatureOf({ message: 'nothing', exceptionClass: '' })).toBe('');
  });

  it('reads codes in syslog and JSON-less log4j lines as well', () => {
    expect(sigs(['May  6 10:19:00 app3 wildfly[4242]: WFLYUT0021: Registered web context: /shop'])).toEqual(['WFLYUT0021']);
  });
});

describe('maskedSignature', () => {
  it('masks tokens with digits and keeps the category', () => {
    expect(maskedSignature('com.example.Pool', 'pool size 42 reached for user7 after 3.5s')).toBe('com.example.Pool|pool size <*> reached for <*> after <*>');
    expect(maskedSignature('c', 'a'.repeat(1000)).length).toBe(2 + 160);
  });
});
