/**
 * The Elasticsearch handshake and set-up calls, answered the way ES 8 does as far as shippers
 * look: `GET|HEAD /` (version, build flavor, cluster uuid), `/_license`, `/_xpack` (with ILM
 * available, which Fluentd checks), `/_cluster/health` (Vector's healthcheck), `/_nodes/http`
 * (Logstash and Fluentd sniffing), and the ILM / index-template / data-stream / ingest-pipeline /
 * rollover-alias calls Filebeat, Logstash and Fluentd make on connect: GET/HEAD answer 200
 * ("exists", so no PUT follows), PUT answers `{"acknowledged":true}`. Which shipper makes which
 * call, with sources: services/ingest/README.md.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Request, RequestHandler } from 'express';
import type { RouteContext } from '../../context.ts';

const CLUSTER_NAME = 'logforest';

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/**
 * The version to report: ES_VERSION, or the client's own version when an Elastic client
 * (`User-Agent: Elastic-filebeat/8.19.2 (…)`) is newer, so Filebeat 8.0–8.10's
 * "Elasticsearch is too old" check passes.
 */
export function reportedVersion(configured: string, userAgent: string | undefined): string {
  const own = configured.split('.').map(Number);
  const m = /^Elastic-[A-Za-z]+\/(\d{1,4})\.(\d{1,4})\.(\d{1,4})/.exec(userAgent ?? '');
  if (!m) return configured;
  const theirs = [Number(m[1]), Number(m[2]), Number(m[3])];
  return compare(theirs, own) > 0 ? theirs.join('.') : configured;
}

function stableId(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('base64url').slice(0, length);
}

export function esInfoRoutes(ctx: RouteContext) {
  const clusterUuid = stableId(`cluster:${ctx.config.LOGFOREST_PREFIX}`, 22);
  const nodeName = hostname();
  const nodeId = stableId(`node:${nodeName}:${ctx.config.LOGFOREST_PREFIX}`, 22);
  const h = createHash('sha256').update(`license:${clusterUuid}`).digest('hex');
  const licenseUid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  const startedAt = ctx.now();

  const version = (req: Request) => reportedVersion(ctx.config.ES_VERSION, req.headers['user-agent']);

  const info: RequestHandler = (req, res) => {
    res.json({
      name: nodeName,
      cluster_name: CLUSTER_NAME,
      cluster_uuid: clusterUuid,
      version: {
        number: version(req),
        build_flavor: 'default',
        build_type: 'docker',
        build_hash: '0000000000000000000000000000000000000000',
        build_date: '2025-01-01T00:00:00.000Z',
        build_snapshot: false,
        lucene_version: '9.12.0',
        minimum_wire_compatibility_version: '7.17.0',
        minimum_index_compatibility_version: '7.0.0',
      },
      tagline: 'You Know, for Search',
    });
  };

  const license: RequestHandler = (_req, res) => {
    res.json({
      license: {
        status: 'active',
        uid: licenseUid,
        type: 'basic',
        issue_date: new Date(startedAt).toISOString(),
        issue_date_in_millis: startedAt,
        max_nodes: 1000,
        max_resource_units: null,
        issued_to: CLUSTER_NAME,
        issuer: 'elasticsearch',
        start_date_in_millis: -1,
      },
    });
  };

  const xpack: RequestHandler = (_req, res) => {
    res.json({
      build: { hash: '0000000000000000000000000000000000000000', date: '2025-01-01T00:00:00.000Z' },
      license: { uid: licenseUid, type: 'basic', mode: 'basic', status: 'active' },
      features: { ilm: { available: true, enabled: true } },
    });
  };

  const health: RequestHandler = (_req, res) => {
    res.json({
      cluster_name: CLUSTER_NAME,
      status: 'green',
      timed_out: false,
      number_of_nodes: 1,
      number_of_data_nodes: 1,
      active_primary_shards: 0,
      active_shards: 0,
      relocating_shards: 0,
      initializing_shards: 0,
      unassigned_shards: 0,
      delayed_unassigned_shards: 0,
      number_of_pending_tasks: 0,
      number_of_in_flight_fetch: 0,
      task_max_waiting_in_queue_millis: 0,
      active_shards_percent_as_number: 100,
    });
  };

  const nodes: RequestHandler = (req, res) => {
    const host = req.headers.host ?? `${ctx.config.HOST}:${ctx.config.PORT}`;
    res.json({
      _nodes: { total: 1, successful: 1, failed: 0 },
      cluster_name: CLUSTER_NAME,
      nodes: {
        [nodeId]: {
          name: nodeName,
          host: host.replace(/:\d+$/, ''),
          ip: req.socket.localAddress ?? '127.0.0.1',
          version: version(req),
          roles: ['data', 'ingest', 'master'],
          http: { bound_address: [host], publish_address: host, max_content_length_in_bytes: ctx.config.MAX_BODY_BYTES },
        },
      },
    });
  };

  /** GET/HEAD of a set-up resource: it "exists", in the shape ES answers for its kind. */
  const setupExists: RequestHandler = (req, res) => {
    const name = String(req.params['name'] ?? '');
    const kind = req.path.split('/').filter(Boolean)[0] ?? '';
    switch (kind) {
      case '_ilm':
        if (name === '') {
          res.json({}); // `GET /_ilm/policy`: Logstash only checks that ILM answers
          return;
        }
        res.json({ [name]: { version: 1, modified_date: new Date(startedAt).toISOString(), policy: { phases: {} } } });
        return;
      case '_index_template':
        res.json({ index_templates: [{ name, index_template: { index_patterns: [`${name}*`], composed_of: [], data_stream: {} } }] });
        return;
      case '_data_stream':
        res.json({ data_streams: [{ name, status: 'GREEN', template: name, timestamp_field: { name: '@timestamp' }, indices: [] }] });
        return;
      case '_ingest':
        res.json({ [name]: { processors: [] } });
        return;
      default:
        res.json({ [name]: { index_patterns: [`${name}*`], settings: {}, mappings: {}, aliases: {} } });
    }
  };

  const setupWrite: RequestHandler = (_req, res) => {
    res.json({ acknowledged: true });
  };

  /** `HEAD /<alias>` and `HEAD /_alias/<alias>`: the rollover alias exists; other `_` names are ES APIs we do not serve → 404. */
  const aliasExists: RequestHandler = (req, res, next) => {
    if (String(req.params['index'] ?? '').startsWith('_')) {
      next();
      return;
    }
    res.status(200).end();
  };

  return {
    'es.info': info,
    'es.license': license,
    'es.xpack': xpack,
    'es.health': health,
    'es.nodes': nodes,
    'es.setup.exists': setupExists,
    'es.setup.write': setupWrite,
    'es.alias.exists': aliasExists,
  } as const;
}
