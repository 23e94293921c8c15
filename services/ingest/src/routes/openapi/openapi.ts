/**
 * `GET /openapi.json` — an OpenAPI 3.1 document built from the route table (routes.ts) and, per
 * route, the zod schemas it validates with (operations.ts), converted by zod's own JSON Schema
 * output (`z.toJSONSchema`, draft 2020-12, which OpenAPI 3.1 uses as is). Nothing is written by
 * hand: a route, parameter or limit changed in code changes the document.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { RouteContext } from '../../context.ts';
import { ROUTES, type RouteName, type RouteSpec } from '../../routes.ts';
import { EVENT_BODY_TYPES, OPERATIONS, type OperationDoc } from './operations.ts';
import { errorSchema, verdictSchema } from './schemas.ts';
import { seedLogsSchema } from '../decode.ts';

type Json = Record<string, unknown>;

/** Express path → OpenAPI path: `/:index/_bulk` → `/{index}/_bulk`, `/ui/*path` → `/ui/{path}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** Path parameter names of an express path. */
function pathParams(expressPath: string): string[] {
  return [...expressPath.matchAll(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
}

/** Collects named schemas (`.meta({id})`) into components and answers `$ref`s to them. */
class SchemaSet {
  readonly components: Record<string, Json> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): Json {
    const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
    const defs = (out['$defs'] ?? {}) as Record<string, Json>;
    delete out['$defs'];
    delete out['$schema'];
    for (const [id, def] of Object.entries(defs)) this.components[id] = rewrite(def) as Json;
    return rewrite(out) as Json;
  }
}

function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewrite);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : rewrite(v);
  }
  return out;
}

function parameters(doc: OperationDoc, path: string, set: SchemaSet): Json[] {
  const out: Json[] = [];
  for (const name of pathParams(path)) {
    const schema = doc.params?.[name] ?? z.string();
    out.push({ name, in: 'path', required: true, schema: set.convert(schema, 'input') });
  }
  if (doc.query) {
    const q = set.convert(doc.query, 'input');
    const required = new Set((q['required'] as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((q['properties'] ?? {}) as Record<string, Json>)) {
      const description = schema['description'];
      out.push({ name, in: 'query', required: required.has(name), ...(description ? { description } : {}), schema });
    }
  }
  return out;
}

function requestBody(doc: OperationDoc, set: SchemaSet): Json | undefined {
  if (!doc.body) return undefined;
  const content: Json = {};
  for (const type of EVENT_BODY_TYPES) content[type] = {};
  if (doc.body.seedShape) content['application/json'] = { schema: { anyOf: [set.convert(seedLogsSchema, 'input'), {}] } };
  return { description: doc.body.description, required: doc.body.required, content };
}

function responses(doc: OperationDoc, spec: RouteSpec, set: SchemaSet): Json {
  const out: Json = {};
  const answers = { ...doc.answers };
  if (doc.query || doc.body || pathParams(spec.paths.join('')).length > 0) answers['400'] ??= { description: 'Malformed request.', schema: errorSchema };
  if (spec.credential !== 'none') {
    answers['401'] ??= { description: 'No valid token.', schema: errorSchema };
    answers['403'] ??= { description: spec.credential === 'admin' ? 'The admin token is required.' : 'The token is not allowed here.', schema: errorSchema };
  }
  for (const [status, a] of Object.entries(answers).sort(([x], [y]) => x.localeCompare(y))) {
    const type = a.type ?? 'application/json';
    out[status] = { description: a.description, ...(a.schema || type !== 'application/json' || status < '300' ? { content: { [type]: a.schema ? { schema: set.convert(a.schema, 'output') } : {} } } : {}) };
  }
  return out;
}

const SECURITY = [{ bearer: [] }, { basic: [] }, { apiKey: [] }];

export interface OpenApiOptions {
  /** ES_PATH_PREFIX (the Elasticsearch surface is documented under it). */
  esPrefix?: string | undefined;
  version?: string;
}

export function buildOpenApi(opts: OpenApiOptions = {}): Json {
  const set = new SchemaSet();
  const paths: Record<string, Json> = {};
  for (const spec of ROUTES as readonly RouteSpec[]) {
    const doc = OPERATIONS[spec.name as RouteName];
    for (const path of spec.paths) {
      const full = spec.surface === 'es' && opts.esPrefix ? `${opts.esPrefix}${path === '/' ? '' : path}` || '/' : path;
      const key = openApiPath(full);
      const item = (paths[key] ??= {});
      for (const method of spec.methods) {
        const m = method.toLowerCase();
        item[m] = {
          operationId: spec.methods.length > 1 || spec.paths.length > 1 ? `${spec.name}.${m}.${spec.paths.indexOf(path)}` : spec.name,
          summary: doc.summary,
          ...(doc.description ? { description: doc.description } : {}),
          tags: [doc.tag],
          'x-credential': spec.credential,
          security: spec.credential === 'none' ? [] : SECURITY,
          parameters: parameters(doc, path, set),
          ...(doc.body && method !== 'GET' && method !== 'HEAD' ? { requestBody: requestBody(doc, set) } : {}),
          responses: responses(doc, spec, set),
        };
      }
    }
  }
  set.convert(verdictSchema, 'output'); // named in components even where an envelope wraps it
  return {
    openapi: '3.1.0',
    info: {
      title: 'logforest',
      version: opts.version ?? '0.1.0',
      description: 'Isolation-Forest anomaly detection for JBoss/WildFly and syslog logs. Credentials: `ingest` routes take any ingest token or the admin token, `admin` routes the admin token only (`x-credential` on each operation).',
    },
    tags: ['events', 'anomalies', 'models', 'operations', 'console', 'elasticsearch'].map((name) => ({ name })),
    paths,
    components: {
      schemas: set.components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <token>' },
        basic: { type: 'http', scheme: 'basic', description: 'Any user name; the password is the token.' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
    },
  };
}

export function openApiRoutes(ctx: RouteContext): { openapi: RequestHandler } {
  let cached: string | undefined;
  const openapi: RequestHandler = (_req, res) => {
    cached ??= JSON.stringify(buildOpenApi({ esPrefix: ctx.config.ES_PATH_PREFIX }));
    res.type('application/json').send(cached);
  };
  return { openapi };
}
