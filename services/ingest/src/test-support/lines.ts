/**
 * Synthetic JBoss/WildFly server.log lines for tests (generated here: tests must not depend on
 * the research-licensed data in shared/).
 */
const ROUTINE: ReadonlyArray<[level: string, category: string, message: string]> = [
  ['INFO ', 'org.jboss.as.server', 'WFLYSRV0010: Deployed "app-%d.war" (runtime-name : "app-%d.war")'],
  ['INFO ', 'org.jboss.as.connector.subsystems.datasources', 'WFLYJCA0001: Bound data source [java:jboss/datasources/Ds%d]'],
  ['INFO ', 'org.hibernate.Version', 'HHH000412: Hibernate Core {5.3.%d.Final}'],
  ['INFO ', 'org.wildfly.extension.undertow', "WFLYUT0021: Registered web context: '/app%d' for server 'default-server'"],
  ['INFO ', 'com.example.shop.OrderService', 'Order %d processed for customer c%d in %d ms'],
  ['DEBUG', 'com.example.shop.CartResource', 'Cart %d updated: %d items'],
  ['INFO ', 'io.undertow.accesslog', '10.0.%d.%d "GET /shop/api/items/%d HTTP/1.1" 200 %d'],
  ['WARN ', 'com.arjuna.ats.arjuna', 'ARJUNA012117: TransactionReaper::check timeout for TX 0:ffff%d in state RUN'],
];

/** `n` routine lines (mostly INFO, some DEBUG, a few WARN), deterministic. */
export function jbossLines(n: number, start = Date.UTC(2024, 4, 1, 12)): string[] {
  const out: string[] = [];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  for (let i = 0; i < n; i++) {
    const t = new Date(start + i * 1000).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
    const r = next();
    const k = r % 20 === 0 ? ROUTINE.length - 1 : r % (ROUTINE.length - 1);
    const [level, category, template] = ROUTINE[k] as [string, string, string];
    const msg = template.replace(/%d/g, () => String(next() % 5000));
    out.push(`${t} ${level} [${category}] (default task-${(next() % 40) + 1}) ${msg}`);
  }
  return out;
}

/** An event unlike the ordinary ones: an ERROR with a stack trace. */
export const ERROR_EVENT = [
  '2024-05-01 13:00:00,000 ERROR [org.jboss.msc.service.fail] (MSC service thread 1-3) MSC000001: Failed to start service jboss.undertow.listener.default: org.jboss.msc.service.StartException in service jboss.undertow.listener.default: Address already in use /0.0.0.0:8080',
  '\tat org.wildfly.extension.undertow.ListenerService.start(ListenerService.java:153)',
  '\tat org.jboss.msc.service.ServiceControllerImpl$StartTask.startService(ServiceControllerImpl.java:1714)',
  'Caused by: java.net.BindException: Address already in use',
  '\tat sun.nio.ch.Net.bind0(Native Method)',
].join('\n');

/**
 * One routine failure for training sets: real logs hold a few, and without any the forest cannot
 * split on the error-only features (stack depth, exception, keywords), which stay constant.
 */
export const TRAINING_ERROR =
  '2024-05-01 12:30:00,000 ERROR [com.example.shop.OrderService] (default task-3) Order 12 failed: java.lang.IllegalStateException: stock changed\n\tat com.example.shop.OrderService.place(OrderService.java:88)';
