/**
 * Test data: JBoss/WildFly server.log and sshd lines written for logforest's tests (no third-party
 * logs), deterministic for a given seed. `normalLines` is the everyday traffic a model learns;
 * `anomalousEvents` are events such traffic never shows (a bind failure with a stack trace,
 * a root login attempt from outside at 3 a.m., an OutOfMemoryError).
 */

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function jbossTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}`;
}

const PATHS = ['/api/orders', '/api/customers', '/api/invoices', '/health', '/api/cart'];
const USERS = ['deploy', 'jenkins', 'backup'];

/** `n` ordinary lines starting at `start` (epoch ms), a few seconds apart, business hours. */
export function normalLines(n: number, seed = 1, start = Date.UTC(2024, 4, 6, 9, 0, 0)): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out: string[] = [];
  let t = start;
  for (let i = 0; i < n; i++) {
    t += 500 + Math.floor(r() * 3000);
    const task = 1 + Math.floor(r() * 16);
    const id = 1000 + Math.floor(r() * 9000);
    const kind = r();
    if (kind < 0.35) {
      out.push(`${jbossTime(t)} INFO  [io.undertow.request] (default task-${task}) GET ${pick(PATHS)}/${id} completed in ${5 + Math.floor(r() * 40)} ms`);
    } else if (kind < 0.6) {
      out.push(`${jbossTime(t)} DEBUG [org.hibernate.SQL] (default task-${task}) select o.id, o.total from orders o where o.customer_id=${id}`);
    } else if (kind < 0.75) {
      out.push(`${jbossTime(t)} INFO  [com.example.shop.OrderService] (default task-${task}) Order ${id} placed by customer ${id + 17}`);
    } else if (kind < 0.78) {
      out.push(`${jbossTime(t)} WARN  [org.jboss.jca.core.connectionmanager.pool.strategy.OnePool] (default task-${task}) IJ000604: Throwable while attempting to get a new connection: java.net.SocketTimeoutException: connect timed out`);
    } else if (kind < 0.785) {
      out.push(`${jbossTime(t)} ERROR [io.undertow.request.io] (default I/O-${task}) UT005013: An IOException occurred: java.io.IOException: Broken pipe\n\tat sun.nio.ch.FileDispatcherImpl.write0(Native Method)`);
    } else if (kind < 0.88) {
      const iso = new Date(t).toISOString();
      out.push(`${iso} web1 sshd[${2000 + Math.floor(r() * 50)}]: Accepted publickey for ${pick(USERS)} from 10.0.0.${1 + Math.floor(r() * 20)} port ${40000 + id} ssh2`);
    } else {
      const iso = new Date(t).toISOString();
      out.push(`${iso} web1 sshd[${2000 + Math.floor(r() * 50)}]: pam_unix(sshd:session): session opened for user ${pick(USERS)} by (uid=0)`);
    }
  }
  return out;
}

/** Events ordinary traffic never shows; the JBoss ones carry their stack traces (joined by '\n'). */
export function anomalousEvents(at = Date.UTC(2024, 4, 7, 3, 12, 44)): string[] {
  return [
    [
      `${jbossTime(at)} ERROR [org.jboss.msc.service.fail] (MSC service thread 1-4) MSC000001: Failed to start service jboss.undertow.listener.default: org.jboss.msc.service.StartException in service jboss.undertow.listener.default: Address already in use /0.0.0.0:8080`,
      '\tat org.wildfly.extension.undertow.ListenerService.start(ListenerService.java:199)',
      '\tat org.jboss.msc.service.ServiceControllerImpl$StartTask.startService(ServiceControllerImpl.java:1714)',
      'Caused by: java.net.BindException: Address already in use',
      '\tat sun.nio.ch.Net.bind0(Native Method)',
      '\t... 8 more',
    ].join('\n'),
    `${new Date(at + 1000).toISOString()} web1 sshd[31337]: Failed password for invalid user root from 203.0.113.66 port 4444 ssh2`,
    [
      `${jbossTime(at + 2000)} FATAL [org.jboss.as.ejb3.invocation] (EJB default - 7) WFLYEJB0034: EJB Invocation failed on component ReportBean: java.lang.OutOfMemoryError: Java heap space`,
      '\tat java.util.Arrays.copyOf(Arrays.java:3332)',
      '\tat com.example.shop.ReportBean.export(ReportBean.java:88)',
    ].join('\n'),
  ];
}
