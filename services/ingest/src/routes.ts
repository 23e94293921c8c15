/**
 * Every HTTP route of the ingest service, with the credential it requires. The app is built from
 * this table (app.ts), so what a test reads here is what the server enforces.
 *
 * Credentials: `none` (probes, metrics), `ingest` (any ingest token or the admin token),
 * `admin` (the admin token only). When no token is configured at all, every route is open.
 *
 * Surfaces: `api` routes are mounted at the root; `es` routes (Elasticsearch emulation for
 * Filebeat, Fluent Bit `es`, Vector, Logstash) under ES_PATH_PREFIX (root when unset), after the
 * api routes, so `/ingest`, `/analyze`, … always win. Express matches with or without a trailing
 * slash, and HEAD is answered by GET routes.
 */
import type { Credential } from './middleware/auth/auth.ts';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSpec {
  /** Stable name: metrics label and handler key. */
  readonly name: string;
  readonly methods: readonly Method[];
  /** Express paths (relative to ES_PATH_PREFIX on the `es` surface). */
  readonly paths: readonly string[];
  readonly credential: Credential;
  readonly surface: 'api' | 'es';
  /** The route reads a body (read raw, up to MAX_BODY_BYTES). */
  readonly body?: boolean;
  /** Metrics surface for routes that carry events (counts received/enqueued/rejected). */
  readonly events?: 'ingest' | 'bulk' | 'analyze' | 'retrain';
}

/**
 * Set-up objects Filebeat, Logstash and Fluentd check for (GET/HEAD: 200 = "exists", so no PUT
 * follows) and create (PUT) on connect. services/ingest/README.md lists which shipper calls which.
 */
const ES_SETUP_PATHS = [
  '/_ilm/policy/:name',
  '/_index_template/:name',
  '/_template/:name',
  '/_data_stream/:name',
  '/_ingest/pipeline/:name',
] as const;

export const ROUTES = [
  // Ours.
  { name: 'ingest', methods: ['POST', 'PUT'], paths: ['/ingest', '/ingest/:tag'], credential: 'ingest', surface: 'api', body: true, events: 'ingest' },
  { name: 'analyze', methods: ['POST'], paths: ['/analyze'], credential: 'ingest', surface: 'api', body: true, events: 'analyze' },
  { name: 'retrain', methods: ['POST'], paths: ['/retrain'], credential: 'admin', surface: 'api', body: true, events: 'retrain' },
  { name: 'retrain.status', methods: ['GET'], paths: ['/retrain/:id'], credential: 'admin', surface: 'api' },
  { name: 'models.list', methods: ['GET'], paths: ['/models'], credential: 'ingest', surface: 'api' },
  { name: 'models.get', methods: ['GET'], paths: ['/models/:version'], credential: 'ingest', surface: 'api' },
  { name: 'models.activate', methods: ['POST'], paths: ['/models/:version/activate'], credential: 'admin', surface: 'api' },
  { name: 'anomalies', methods: ['GET'], paths: ['/anomalies'], credential: 'ingest', surface: 'api' },
  { name: 'healthz', methods: ['GET'], paths: ['/healthz'], credential: 'none', surface: 'api' },
  { name: 'readyz', methods: ['GET'], paths: ['/readyz'], credential: 'none', surface: 'api' },
  { name: 'metrics', methods: ['GET'], paths: ['/metrics'], credential: 'none', surface: 'api' },
  { name: 'stats.throughput', methods: ['GET'], paths: ['/stats/throughput'], credential: 'ingest', surface: 'api' },
  { name: 'openapi', methods: ['GET'], paths: ['/openapi.json'], credential: 'none', surface: 'api' },
  // The web console (static files of packages/ui; it signs in with a token of its own).
  { name: 'ui', methods: ['GET'], paths: ['/ui', '/ui/*path'], credential: 'none', surface: 'api' },
  // Elasticsearch emulation: only the calls the supported shippers make (services/ingest/README.md
  // has the table with each shipper's source); any other path answers 404.
  { name: 'es.info', methods: ['GET', 'HEAD'], paths: ['/'], credential: 'ingest', surface: 'es' },
  { name: 'es.license', methods: ['GET'], paths: ['/_license'], credential: 'ingest', surface: 'es' },
  { name: 'es.xpack', methods: ['GET'], paths: ['/_xpack'], credential: 'ingest', surface: 'es' },
  { name: 'es.health', methods: ['GET'], paths: ['/_cluster/health'], credential: 'ingest', surface: 'es' },
  { name: 'es.nodes', methods: ['GET'], paths: ['/_nodes/http'], credential: 'ingest', surface: 'es' },
  { name: 'es.bulk', methods: ['POST', 'PUT'], paths: ['/_bulk', '/:index/_bulk'], credential: 'ingest', surface: 'es', body: true, events: 'bulk' },
  { name: 'es.setup.exists', methods: ['GET', 'HEAD'], paths: ['/_ilm/policy', ...ES_SETUP_PATHS], credential: 'ingest', surface: 'es' },
  { name: 'es.setup.write', methods: ['PUT'], paths: ES_SETUP_PATHS, credential: 'ingest', surface: 'es', body: true },
  // Rollover-alias checks (Logstash `HEAD /<alias>`, Fluentd `HEAD /_alias/<alias>`): "exists", so
  // no index is created. HEAD only: `GET /<anything>` is a 404, not a made-up index.
  { name: 'es.alias.exists', methods: ['HEAD'], paths: ['/_alias/:name', '/:index'], credential: 'ingest', surface: 'es' },
] as const satisfies readonly RouteSpec[];

export type RouteName = (typeof ROUTES)[number]['name'];
