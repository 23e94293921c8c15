/**
 * Deterministic synthetic logs in the real formats, written by this project, for tests and
 * benchmarks that must run on a fresh clone (the real logs in ../shared are evaluation-only).
 */

/** Small seeded generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function jbossStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}`;
}

const NORMAL = [
  (r: () => number) => `INFO  [org.jboss.as.server.deployment] (MSC service thread 1-${1 + Math.floor(r() * 8)}) WFLYSRV0027: Starting deployment of "app-${Math.floor(r() * 5)}.war" (runtime-name: "app.war")`,
  (r: () => number) => `INFO  [org.wildfly.extension.undertow] (ServerService Thread Pool -- ${10 + Math.floor(r() * 60)}) WFLYUT0021: Registered web context: '/api${Math.floor(r() * 4)}' for server 'default-server'`,
  (r: () => number) => `INFO  [org.hibernate.engine.jdbc.batch] (default task-${1 + Math.floor(r() * 64)}) HHH000010: On release of batch it still contained ${Math.floor(r() * 20)} JDBC statements`,
  (r: () => number) => `INFO  [com.example.orders.OrderService] (default task-${1 + Math.floor(r() * 64)}) Order ${100000 + Math.floor(r() * 900000)} placed in ${Math.floor(r() * 300)} ms`,
  (r: () => number) => `DEBUG [com.example.cache.CacheManager] (EJB default - ${1 + Math.floor(r() * 9)}) cache hit ratio ${(r() * 100).toFixed(1)}%`,
];

export const STACK = [
  '\tat org.apache.tomcat.util.net.JIoEndpoint.init(JIoEndpoint.java:979) [jbossweb-7.5.7.Final-redhat-1.jar:7.5.7.Final-redhat-1]',
  '\tat org.apache.coyote.http11.Http11Protocol.init(Http11Protocol.java:187)',
  '\tat org.jboss.msc.service.ServiceControllerImpl$StartTask.run(ServiceControllerImpl.java:1980)',
  'Caused by: java.net.BindException: Address already in use',
  '\tat sun.nio.ch.Net.bind0(Native Method)',
  '\t... 12 more',
];

export interface SyntheticLog {
  lines: string[];
  /** Indices (into the events, in order) of the injected anomalies. */
  anomalyEvents: number[];
  events: number;
}

/** A WildFly server.log: mostly INFO traffic during the day, a few ERROR events with stack traces at night. */
export function syntheticJboss(events: number, seed = 1, anomalies = 5, startMs = Date.UTC(2024, 4, 6, 8)): SyntheticLog {
  const r = rng(seed);
  const lines: string[] = [];
  const anomalyEvents: number[] = [];
  const every = Math.max(2, Math.floor(events / Math.max(1, anomalies)));
  let t = startMs;
  for (let e = 0; e < events; e++) {
    t += Math.floor(r() * 20_000);
    if (anomalies > 0 && e % every === every - 1 && anomalyEvents.length < anomalies) {
      anomalyEvents.push(e);
      const night = Date.UTC(2024, 4, 6 + anomalyEvents.length, 3, Math.floor(r() * 59));
      lines.push(`${jbossStamp(night)} ERROR [org.apache.coyote.http11.Http11Protocol] (MSC service thread 1-2) JBWEB003043: Error initializing endpoint: java.net.BindException: Address already in use /127.0.0.1:${8000 + e}`);
      for (const s of STACK) lines.push(s);
      continue;
    }
    lines.push(`${jbossStamp(t)} ${(NORMAL[Math.floor(r() * NORMAL.length)] as (r: () => number) => string)(r)}`);
  }
  return { lines, anomalyEvents, events };
}

/** An sshd auth log in the seed's format (ISO time, host, component[pid]). */
export function syntheticAuth(events: number, seed = 2, attacks = 5): SyntheticLog {
  const r = rng(seed);
  const lines: string[] = [];
  const anomalyEvents: number[] = [];
  const every = Math.max(2, Math.floor(events / Math.max(1, attacks)));
  let t = Date.UTC(2025, 8, 20, 9);
  for (let e = 0; e < events; e++) {
    t += Math.floor(r() * 30_000);
    const d = new Date(t);
    const pid = 1000 + Math.floor(r() * 500);
    if (attacks > 0 && e % every === every - 1 && anomalyEvents.length < attacks) {
      anomalyEvents.push(e);
      const night = new Date(Date.UTC(2025, 8, 21, 2, Math.floor(r() * 59)));
      lines.push(`${night.toISOString().replace('Z', '000+00:00')} web-1 sshd[${pid}]: Failed password for root from 203.0.113.${Math.floor(r() * 250)} port ${40000 + Math.floor(r() * 20000)} ssh2`);
      continue;
    }
    const msg = r() < 0.5
      ? `Accepted publickey for deploy from 10.0.0.${Math.floor(r() * 250)} port ${40000 + Math.floor(r() * 20000)} ssh2`
      : `pam_unix(sshd:session): session opened for user deploy by (uid=0)`;
    lines.push(`${d.toISOString().replace('Z', '000+00:00')} web-1 sshd[${pid}]: ${msg}`);
  }
  return { lines, anomalyEvents, events };
}
