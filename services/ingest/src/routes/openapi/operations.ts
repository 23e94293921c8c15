/**
 * What `/openapi.json` says about each route of the table (routes.ts): a summary and the zod
 * schemas of its query, path parameters, body and answers. The record is keyed by route name, so
 * a route added to the table without an entry here does not compile.
 */
import type { z } from 'zod';
import { modelVersionSchema } from '@logforest/runtime';
import type { RouteName } from '../../routes.ts';
import { analyzeQuerySchema } from '../analyze/analyze.ts';
import { anomaliesQuerySchema } from '../anomalies/anomalies.ts';
import { seedLogsSchema } from '../decode.ts';
import { tagSchema } from '../ingest/ingest.ts';
import { retrainQuerySchema, trainJobIdSchema } from '../retrain/retrain.ts';
import * as s from './schemas.ts';

export interface Answer {
  description: string;
  schema?: z.ZodType;
  /** @defaultValue application/json */
  type?: string;
}

export interface OperationDoc {
  summary: string;
  description?: string;
  tag: 'events' | 'models' | 'anomalies' | 'operations' | 'console' | 'elasticsearch';
  query?: z.ZodObject;
  params?: Record<string, z.ZodType>;
  body?: { description: string; required: boolean; seedShape?: boolean };
  answers: Record<string, Answer>;
}

/** Content types every event-carrying route decodes. */
export const EVENT_BODY_TYPES = ['application/json', 'application/x-ndjson', 'application/msgpack', 'text/plain'] as const;

const unavailable: Answer = { description: 'Queue full or Redis unavailable; retry after `Retry-After` seconds.', schema: s.errorSchema };
const tooLarge: Answer = { description: 'Body, decompressed body or event count over its limit.', schema: s.errorSchema };
const esAny = (description: string): Answer => ({ description });

export const OPERATIONS: Record<RouteName, OperationDoc> = {
  ingest: {
    summary: 'Queue events from any shipper',
    description: 'JSON array, NDJSON, Fluent Bit msgpack or plain text; gzip, deflate or br bodies. Answered only after Redis accepted every score job.',
    tag: 'events',
    params: { tag: tagSchema },
    body: { description: 'Events in any supported format.', required: true },
    answers: { '202': { description: 'Accepted and queued.', schema: s.acceptedSchema }, '413': tooLarge, '415': { description: 'Unsupported Content-Encoding.', schema: s.errorSchema }, '503': unavailable },
  },
  analyze: {
    summary: 'Score posted lines now with the model in service',
    tag: 'events',
    query: analyzeQuerySchema,
    body: { description: '`{"logs": [...]}`, `{"log": "..."}` or any body /ingest accepts.', required: true, seedShape: true },
    answers: {
      '200': { description: 'One verdict per event (or `{model_version, verdicts}` with `envelope=true`).', schema: s.verdictSchema.array() },
      '413': tooLarge,
      '503': { description: 'No model is active yet.', schema: s.errorSchema },
    },
  },
  retrain: {
    summary: 'Queue a training run (admin)',
    description: 'Body: lines to train on (any format, or `{"logs": [...]}`); empty: the recent sample of ingested events.',
    tag: 'models',
    query: retrainQuerySchema,
    body: { description: 'Training lines, or nothing.', required: false, seedShape: true },
    answers: { '202': { description: 'Queued; poll `status_url`.', schema: s.retrainAcceptedSchema }, '503': unavailable },
  },
  'retrain.status': {
    summary: 'State, progress and result of a training run (admin)',
    tag: 'models',
    params: { id: trainJobIdSchema },
    answers: { '200': { description: 'The job.', schema: s.retrainStatusSchema }, '404': { description: 'No such job.', schema: s.errorSchema } },
  },
  'models.list': {
    summary: 'Stored model versions, newest first, the active one marked',
    tag: 'models',
    answers: { '200': { description: 'Versions with training range, event counts, validation report and status.', schema: s.modelsSchema } },
  },
  'models.get': {
    summary: 'One stored model version',
    tag: 'models',
    params: { version: modelVersionSchema },
    answers: { '200': { description: 'Its metadata.', schema: s.modelSchema }, '404': { description: 'No such version.', schema: s.errorSchema } },
  },
  'models.activate': {
    summary: 'Activate a stored version; also the rollback (admin)',
    tag: 'models',
    params: { version: modelVersionSchema },
    answers: {
      '200': { description: 'Activated.', schema: s.activatedSchema },
      '404': { description: 'No such version.', schema: s.errorSchema },
      '422': { description: 'The stored blob cannot be loaded; the active model stays.', schema: s.errorSchema },
    },
  },
  anomalies: {
    summary: 'Anomalous verdicts, newest first, paged by cursor',
    tag: 'anomalies',
    query: anomaliesQuerySchema,
    answers: { '200': { description: 'A page of anomalies.', schema: s.anomaliesPageSchema }, '503': unavailable },
  },
  healthz: { summary: 'The process answers', tag: 'operations', answers: { '200': { description: 'Up.', schema: s.healthSchema } } },
  readyz: {
    summary: 'Redis answers and a model is in service',
    tag: 'operations',
    answers: { '200': { description: 'Ready.', schema: s.readySchema }, '503': { description: 'Not ready, with the reasons.', schema: s.readySchema } },
  },
  metrics: { summary: 'Prometheus metrics', tag: 'operations', answers: { '200': { description: 'Text exposition format.', type: 'text/plain' } } },
  'stats.throughput': {
    summary: 'The last hour of throughput samples (the console draws them)',
    tag: 'operations',
    answers: { '200': { description: 'Samples, oldest first.', schema: s.throughputSchema } },
  },
  openapi: { summary: 'This document', tag: 'operations', answers: { '200': { description: 'OpenAPI 3.1.' } } },
  ui: {
    summary: 'The web console (static files)',
    tag: 'console',
    answers: { '200': { description: 'A file of the console.', type: 'text/html' }, '301': { description: '`/ui` → `/ui/`.' }, '503': { description: 'The console is not built.', schema: s.errorSchema } },
  },
  'es.info': { summary: 'Elasticsearch handshake (version, cluster)', tag: 'elasticsearch', answers: { '200': esAny('ES 8 look-alike.') } },
  'es.license': { summary: 'Elasticsearch license', tag: 'elasticsearch', answers: { '200': esAny('A basic, active license.') } },
  'es.xpack': { summary: 'Elasticsearch X-Pack info', tag: 'elasticsearch', answers: { '200': esAny('Features.') } },
  'es.health': { summary: 'Cluster health (Vector health check)', tag: 'elasticsearch', answers: { '200': esAny('Green.') } },
  'es.nodes': { summary: 'Nodes (Logstash and Fluentd sniffing)', tag: 'elasticsearch', answers: { '200': esAny('This node.') } },
  'es.bulk': {
    summary: 'Elasticsearch bulk API (Filebeat, Fluent Bit es, Vector, Logstash, Fluentd)',
    tag: 'elasticsearch',
    body: { description: 'NDJSON action/document pairs.', required: true },
    answers: { '200': { description: 'One item per action.', schema: s.bulkResponseSchema }, '413': tooLarge, '429': { description: 'Queue full or Redis unavailable; retry.' } },
  },
  'es.setup.exists': { summary: 'Set-up objects exist (ILM, templates, pipelines, data streams)', tag: 'elasticsearch', answers: { '200': esAny('Exists.') } },
  'es.setup.write': {
    summary: 'Create set-up objects (acknowledged, nothing stored)',
    tag: 'elasticsearch',
    body: { description: 'Ignored.', required: false },
    answers: { '200': { description: 'Acknowledged.', schema: s.acknowledgedSchema } },
  },
  'es.alias.exists': { summary: 'Rollover alias exists (Logstash, Fluentd ILM set-up)', tag: 'elasticsearch', answers: { '200': { description: 'Exists (empty body).' } } },
};
