/**
 * Realistic WildFly server.log events for the end-to-end test, generated (seeded, so every run
 * sends the same text): a busy weekday's routine traffic, and rare, loud failures.
 */
import { rng } from '@logforest/core/testing';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `2024-05-06 10:15:02,123` for a weekday working hour. */
function stamp(rand: () => number, day = 6): string {
  const h = 9 + Math.floor(rand() * 8);
  return `2024-05-${pad(day)} ${pad(h)}:${pad(Math.floor(rand() * 60))}:${pad(Math.floor(rand() * 60))},${pad(Math.floor(rand() * 1000), 3)}`;
}

const ROUTINE: Array<(r: () => number) => string> = [
  (r) => `INFO  [com.acme.shop.OrderService] (default task-${1 + Math.floor(r() * 40)}) Order ${100000 + Math.floor(r() * 900000)} placed by customer c${Math.floor(r() * 5000)} in ${20 + Math.floor(r() * 300)} ms`,
  (r) => `INFO  [com.acme.shop.CartResource] (default task-${1 + Math.floor(r() * 40)}) Cart ${Math.floor(r() * 90000)} updated: ${1 + Math.floor(r() * 9)} items`,
  (r) => `INFO  [io.undertow.accesslog] (default task-${1 + Math.floor(r() * 40)}) 10.20.${Math.floor(r() * 255)}.${Math.floor(r() * 255)} "GET /shop/api/items/${Math.floor(r() * 20000)} HTTP/1.1" 200 ${300 + Math.floor(r() * 4000)}`,
  (r) => `DEBUG [org.jboss.ejb.client.invocation] (default task-${1 + Math.floor(r() * 40)}) Invoking method listItems on CatalogBean, attempt ${1 + Math.floor(r() * 2)}`,
  (r) => `INFO  [org.hibernate.engine.internal.StatisticalLoggingSessionEventListener] (default task-${1 + Math.floor(r() * 40)}) Session Metrics { ${Math.floor(r() * 90000)} nanoseconds spent acquiring 1 JDBC connections }`,
  (r) => `INFO  [com.acme.shop.PaymentGateway] (EE-ManagedExecutorService-default-Thread-${1 + Math.floor(r() * 8)}) Payment ${Math.floor(r() * 1e6)} authorised, amount ${(r() * 500).toFixed(2)} EUR`,
  (r) => `WARN  [org.jboss.jca.core.connectionmanager.pool.strategy.OnePool] (default task-${1 + Math.floor(r() * 40)}) IJ000407: No lazy enlistment available for ShopDS`,
];

/** `n` routine events (single-line, mostly INFO), as WildFly writes them. */
export function routineEvents(n: number, seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const pick = ROUTINE[Math.floor(r() * (r() < 0.97 ? ROUTINE.length - 1 : ROUTINE.length))] as (r: () => number) => string;
    out.push(`${stamp(r)} ${pick(r)}`);
  }
  return out;
}

/**
 * `n` loud failures: FATAL/ERROR at 3 a.m. on a Sunday, from categories the routine traffic never
 * uses, with deep `\tat` stack traces, `Caused by:` chains and error/failure/network vocabulary.
 * `tag` goes into each message so a test can recognise them.
 */
export function failureEvents(n: number, tag: string, seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const frames = 25 + Math.floor(r() * 20);
    const lines = [
      `2024-05-05 03:${pad(Math.floor(r() * 60))}:${pad(Math.floor(r() * 60))},${pad(Math.floor(r() * 1000), 3)} ${i % 2 ? 'FATAL' : 'ERROR'} [org.jboss.as.controller.management-operation.${tag}${i}] (ServerService Thread Pool -- ${90 + i}) WFLYCTL0013: Operation failed, critical error ${tag}-${i}: could not reach datasource java:jboss/datasources/Ledger${i}, connection timed out, access denied: java.lang.IllegalStateException: fatal panic in ${tag}`,
    ];
    for (let f = 0; f < frames; f++) lines.push(`\tat org.acme.ledger.internal.Layer${f % 7}.call${f}(Layer${f % 7}.java:${100 + f * 3})`);
    lines.push(`Caused by: java.net.SocketTimeoutException: Read timed out after ${30000 + i} ms (connection reset by peer)`);
    lines.push('\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)');
    lines.push(`\t... ${frames - 2} more`);
    out.push(lines.join('\n'));
  }
  return out;
}

/** NDJSON body of Fluentd-style `{"message": …}` records with a host. */
export function ndjson(events: readonly string[], host: string): string {
  return events.map((message) => JSON.stringify({ message, host })).join('\n') + '\n';
}
