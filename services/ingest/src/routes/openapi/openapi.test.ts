/**
 * GET /openapi.json: every route the express app actually answers (read from its router stack,
 * the ES sub-router included) is in the document with each of its methods, and the document
 * passes a maintained OpenAPI 3.1 validator (@seriousme/openapi-schema-validator).
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type Harness } from '../../test-support/harness.ts';
import { openApiPath } from './openapi.ts';

let h: Harness;
let doc: any;
beforeAll(async () => {
  h = await startIngest({ ES_PATH_PREFIX: '/es', INGEST_TOKENS: 'ing', ADMIN_TOKEN: 'adm' });
  const res = await fetch(`${h.url}/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/json');
  doc = await res.json();
});
afterAll(async () => {
  await h?.close();
});

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  name?: string;
}

/**
 * `[method, path]` of every route layer express holds. The app's 405 answers are `app.all`
 * layers, which express 5 registers for every HTTP method it knows: those are skipped.
 */
function expressRoutes(stack: Layer[], prefix: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const layer of stack) {
    if (layer.route && Object.keys(layer.route.methods).length < 10) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const m of Object.keys(layer.route.methods)) {
        for (const p of paths) out.push([m, `${prefix}${p === '/' && prefix ? '' : p}` || '/']);
      }
    } else if (!layer.route && layer.name === 'router' && layer.handle?.stack) {
      out.push(...expressRoutes(layer.handle.stack, '/es'));
    }
  }
  return out;
}

describe('GET /openapi.json', () => {
  it('describes every route of the express route table, each method', () => {
    const routes = expressRoutes((h.app.handler as unknown as { router: { stack: Layer[] } }).router.stack, '');
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter(([m, p]) => !doc.paths[openApiPath(p)]?.[m]).map(([m, p]) => `${m.toUpperCase()} ${p}`);
    expect(missing).toEqual([]);
    // Spot checks that the schemas are the routes' own: limits and enums come from zod.
    expect(routes).toContainEqual(['post', '/es/_bulk']);
    const anomalies = doc.paths['/anomalies'].get;
    expect(anomalies.parameters.find((p: any) => p.name === 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000, default: 100 });
    expect(doc.paths['/analyze'].post.parameters.find((p: any) => p.name === 'explain').schema.enum).toEqual(['anomalies', 'all', 'none']);
    expect(doc.paths['/models/{version}/activate'].post).toMatchObject({ 'x-credential': 'admin', parameters: [{ name: 'version', in: 'path', schema: { pattern: expect.any(String) } }] });
    expect(doc.components.schemas.Model.properties.status.enum).toEqual(['candidate', 'active', 'inactive', 'rejected']);
    expect(doc.paths['/healthz'].get.security).toEqual([]);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('a document broken on purpose fails the same validator (the check can fail)', async () => {
    const broken = structuredClone(doc);
    broken.paths['/anomalies'].get.responses = { '200': { content: {} } }; // description is required
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });
});
