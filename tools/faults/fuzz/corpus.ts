/**
 * A corpus of real shipper bodies (the framings of shared/reference/ingest-protocols.md, built with
 * the same fixture builders the decoder tests use), each with the route, Content-Type and
 * Content-Encoding its shipper sends. The fuzzer mutates these; synthetic data only.
 */
import {
  bulkBody,
  filebeatDoc,
  fluentBitJsonRecord,
  fluentBitMsgpackV1,
  fluentBitMsgpackV2,
  fluentdJsonArray,
  jbossLines,
  jsonStream,
  ndjson,
  pack,
} from '../../../packages/core/src/formats/fixtures/bodies.ts';

export type RouteKind = 'ingest' | 'ingest-tag' | 'bulk' | 'bulk-index' | 'analyze';

export interface Seed {
  name: string;
  route: RouteKind;
  contentType: string | undefined;
  /** Uncompressed body. */
  body: Buffer;
}

const T0 = Date.UTC(2024, 4, 1, 12);
const STACK = '2024-05-01 12:00:07,000 ERROR [stderr] (default task-3) java.lang.IllegalStateException: boom\n\tat a.b.C.m(C.java:1)\n\tat a.b.D.n(D.java:2)';

function lines(n: number, offset: number): string[] {
  return jbossLines(n, T0 + offset * 60_000);
}

/** Build the corpus: every framing, a few sizes each. */
export function buildCorpus(): Seed[] {
  const out: Seed[] = [];
  const add = (name: string, route: RouteKind, contentType: string | undefined, body: string | Buffer) =>
    out.push({ name, route, contentType, body: Buffer.isBuffer(body) ? body : Buffer.from(body) });
  for (const [i, n] of [1, 3, 20].entries()) {
    const ls = lines(n, i);
    const recs = ls.map((l, k) => fluentBitJsonRecord(T0 + k, l));
    add(`fluentd-ndjson-${n}`, 'ingest', 'application/x-ndjson', ndjson(ls.map((message) => ({ message }))));
    add(`fluentd-json-array-${n}`, 'ingest-tag', 'application/json', fluentdJsonArray(ls.map((message) => ({ message }))));
    add(`fluentbit-json-${n}`, 'ingest', 'application/json', JSON.stringify(recs));
    add(`fluentbit-json-lines-${n}`, 'ingest', 'application/x-ndjson', ndjson(recs));
    add(`fluentbit-json-stream-${n}`, 'ingest', 'application/json', jsonStream(recs));
    add(`fluentbit-msgpack-v2-${n}`, 'ingest', 'application/msgpack', fluentBitMsgpackV2(ls.map((l, k) => ({ ms: T0 + k, record: { log: l } }))));
    add(`fluentbit-msgpack-v1-${n}`, 'ingest-tag', 'application/x-msgpack', fluentBitMsgpackV1(ls.map((l, k) => ({ ms: T0 + k, record: { log: l } }))));
    add(`fluentd-forward-${n}`, 'ingest', 'application/msgpack', pack(['app.server', ls.map((l, k) => [1714564800 + k, { log: l }])]));
    add(`vector-ndjson-${n}`, 'ingest', 'application/x-ndjson', ndjson(ls.map((message) => ({ message, host: 'web-1', timestamp: new Date(T0).toISOString() })), false));
    add(`logstash-json-batch-${n}`, 'ingest', 'application/json', JSON.stringify(ls.map((message) => ({ message, '@timestamp': new Date(T0).toISOString(), host: { name: 'h' } }))));
    add(`text-${n}`, 'ingest', 'text/plain', `${ls.join('\r\n')}\r\n`);
    add(`filebeat-bulk-${n}`, 'bulk', 'application/json', bulkBody({ create: { _index: 'filebeat-8.15.1' } }, ls.map((l, k) => filebeatDoc(T0 + k, l))));
    add(`fluentbit-es-bulk-${n}`, 'bulk-index', 'application/x-ndjson', bulkBody({ create: {} }, ls.map((log) => ({ '@timestamp': new Date(T0).toISOString(), log }))));
    add(`logstash-bulk-${n}`, 'bulk', 'application/x-ndjson', bulkBody({ index: { _index: 'logs', _id: `id${i}` } }, ls.map((message) => ({ message, '@timestamp': new Date(T0).toISOString() }))));
    add(`seed-logs-${n}`, 'analyze', 'application/json', JSON.stringify({ logs: ls }));
    add(`analyze-text-${n}`, 'analyze', 'text/plain', `${ls.join('\n')}\n${STACK}\n`);
  }
  add('bulk-mixed-actions', 'bulk', 'application/x-ndjson',
    '{"index":{}}\n{"message":"a"}\n{"delete":{"_id":"1"}}\n{"update":{"_id":"2"}}\n{"doc":{"message":"b"}}\n{"create":{"_index":"x"}}\n{"log":"c"}\n');
  add('stderr-trace', 'ingest', 'text/plain', STACK.split('\n').map((l) => `2024-05-01 12:00:07,001 ERROR [stderr] (default task-3) ${l}`).join('\n'));
  add('syslog-5424', 'ingest', 'text/plain', '<34>1 2003-10-11T22:14:15.003Z mymachine su - ID47 [exampleSDID@32473 iut="3"] BOM\'su root\' failed for lonvick\n');
  add('syslog-3164', 'ingest', undefined, '<34>Oct 11 22:14:15 mymachine su[230]: \'su root\' failed for lonvick on /dev/pts/8\n');
  return out;
}
