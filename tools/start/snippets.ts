/**
 * What `pnpm start` prints once the stack is up: the URLs and shipper output sections that point
 * at the port actually in use. Secrets are never printed: a configured token shows as a
 * placeholder naming the variable it comes from.
 */

export interface BannerInput {
  /** Address shippers on this machine use, e.g. 127.0.0.1. */
  host: string;
  port: number;
  /** Interface ingest listens on (HOST). */
  listen: string;
  /** ES_PATH_PREFIX, or '' for the root. */
  esPrefix: string;
  /** INGEST_TOKENS is set. */
  ingestTokens: boolean;
  /** ADMIN_TOKEN is set. */
  adminToken: boolean;
  /** Redis URL with any password masked. */
  redis: string;
  /** What that Redis is (e.g. where the local redis-server keeps its data), shown after it. */
  redisNote?: string | undefined;
  workers: number;
  /** Port of the Fluentd forward input (0 or absent: off). */
  forwardPort?: number | undefined;
  /** `name → url` of every /metrics endpoint (ingest, each worker, the trainer). */
  metrics: ReadonlyArray<[string, string]>;
  /** Where alerts go (ALERT_FORMAT and the receiver's host), when ALERT_WEBHOOK_URL is set. */
  alerts?: string | undefined;
}

/** The token placeholder shippers should carry, or undefined when every route is open. */
export function tokenPlaceholder(b: Pick<BannerInput, 'ingestTokens' | 'adminToken'>): string | undefined {
  if (b.ingestTokens) return '<one of INGEST_TOKENS>';
  if (b.adminToken) return '<ADMIN_TOKEN>';
  return undefined;
}

export function fluentBitSnippet(b: BannerInput): string {
  const token = tokenPlaceholder(b);
  return [
    '[OUTPUT]',
    '    Name        http',
    '    Match       *',
    `    Host        ${b.host}`,
    `    Port        ${b.port}`,
    '    URI         /ingest/jboss',
    '    Format      json_lines',
    '    Compress    gzip',
    ...(token ? [`    Header      Authorization Bearer ${token}`] : []),
    '    Retry_Limit no_limits',
  ].join('\n');
}

export function filebeatSnippet(b: BannerInput): string {
  const token = tokenPlaceholder(b);
  return [
    'output.elasticsearch:',
    `  hosts: ["http://${b.host}:${b.port}${b.esPrefix}"]`,
    ...(token ? ['  username: "logforest"', `  password: "${token}"`] : []),
    'setup.ilm.enabled: false',
    'setup.template.enabled: false',
  ].join('\n');
}

export function fluentdSnippet(b: BannerInput): string {
  const token = tokenPlaceholder(b);
  return [
    '<match **>',
    '  @type http',
    `  endpoint http://${b.host}:${b.port}/ingest/jboss`,
    '  compress gzip',
    '  retryable_response_codes [503]',
    '  <format>',
    '    @type json',
    '  </format>',
    ...(token ? ['  <auth>', '    method basic', '    username logforest', `    password ${token}`, '  </auth>'] : []),
    '  <buffer>',
    '    flush_interval 2s',
    '  </buffer>',
    '</match>',
  ].join('\n');
}

/** scrape_configs for the targets of this run, one job per service kind (as deploy/prometheus). */
export function prometheusSnippet(b: BannerInput): string {
  const jobs = new Map<string, string[]>();
  for (const [name, url] of b.metrics) {
    const job = `logforest-${name.replace(/-\d+$/, '')}`;
    jobs.set(job, [...(jobs.get(job) ?? []), new URL(url).host]);
  }
  const lines = ['scrape_configs:'];
  for (const [job, targets] of jobs) {
    lines.push(`  - job_name: ${job}`, `    static_configs:`, `      - targets: [${targets.map((t) => `"${t}"`).join(', ')}]`);
  }
  return lines.join('\n');
}

/** The whole "stack is up" block. */
export function banner(b: BannerInput): string {
  const base = `http://${b.host}:${b.port}`;
  const token = tokenPlaceholder(b);
  const curlAuth = token ? ` -H 'Authorization: Bearer ${token}'` : '';
  const lines = [
    '',
    'logforest is up.',
    `  ingest     ${base}  (listening on ${b.listen}:${b.port})`,
    `  send       POST ${base}/ingest/<tag>   (JSON, NDJSON, msgpack, text; gzip/deflate)`,
    `  ES bulk    ${base}${b.esPrefix || ''}/_bulk   (Filebeat, Fluent Bit es, Vector, Logstash)`,
    ...(b.forwardPort ? [`  forward    tcp://${b.host}:${b.forwardPort}   (Fluentd / Fluent Bit forward output, acks with require_ack_response)`] : []),
    `  results    ${base}/anomalies   ${base}/models   ${base}/analyze`,
    `  probes     ${base}/healthz   ${base}/readyz`,
    ...b.metrics.map(([name, url]) => `  metrics    ${url}  (${name})`),
    `  alerts     ${b.alerts ?? 'off (set ALERT_WEBHOOK_URL and ALERT_FORMAT=json|alertmanager|slack)'}`,
    `  redis      ${b.redis}${b.redisNote ? `  (${b.redisNote})` : ''}`,
    `  workers    ${b.workers}   (--workers N or WORKERS=N to change)`,
    token
      ? '  auth       tokens are configured: shippers send one (shown below as a placeholder); /retrain and activation need ADMIN_TOKEN'
      : '  auth       no INGEST_TOKENS/ADMIN_TOKEN set: every route is open (set them in .env before exposing this port)',
    '',
    'Try it:',
    `  printf '2024-05-06 10:15:02,123 INFO  [org.jboss.as.server] (Controller Boot Thread) WFLYSRV0025: started\\n' | curl -sS --data-binary @- -H 'Content-Type: text/plain'${curlAuth} ${base}/ingest/jboss`,
    '',
    '--- Fluent Bit (fluent-bit.conf) ---',
    fluentBitSnippet(b),
    '',
    '--- Filebeat (filebeat.yml) ---',
    filebeatSnippet(b),
    '',
    '--- Fluentd (fluent.conf) ---',
    fluentdSnippet(b),
    '',
    '--- Prometheus (prometheus.yml; rules and dashboard in deploy/) ---',
    prometheusSnippet(b),
    '',
    `Shippers on other machines: use this machine's address instead of ${b.host}. Full examples: examples/.`,
    'Ctrl-C stops everything (services first, then Redis).',
    '',
  ];
  return lines.join('\n');
}
