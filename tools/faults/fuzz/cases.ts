/**
 * fast-check arbitraries of whole HTTP requests for the ingest fuzzer: route, method, path
 * parameters, query, Content-Type, Content-Encoding and body. Bodies are real shipper bodies
 * (./corpus.ts), mutated or not, or hostile constructions (./mutate.ts), or plain random data.
 * `sampleCases(n, seed)` draws a reproducible batch.
 */
import fc from 'fast-check';
import { buildCorpus, type RouteKind, type Seed } from './corpus.ts';
import { badBulk, badMsgpack, bomb, compress, encodingHeader, huge, invalidUtf8, mutate, nested, type Encoding, type Mutation } from './mutate.ts';

export interface FuzzCase {
  kind: string;
  route: RouteKind;
  method: 'POST' | 'PUT';
  path: string;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  body: Buffer;
}

interface Draft {
  kind: string;
  route?: RouteKind;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  body: Buffer;
}

const corpus: Seed[] = buildCorpus();
const seedArb = fc.nat(corpus.length - 1).map((i) => corpus[i] as Seed);

const CONTENT_TYPES = [
  undefined, 'application/json', 'application/x-ndjson', 'application/msgpack', 'application/x-msgpack', 'text/plain',
  'application/octet-stream', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'text/csv',
  'application/x-protobuf', 'multipart/form-data; boundary=x', 'application/vnd.elastic+json', ';;;', '', 'image/png',
  'APPLICATION/JSON', 'application/json;', 'text/plain; charset=latin1', '*/*',
];
const ENCODINGS = [
  undefined, 'gzip', 'x-gzip', 'deflate', 'br', 'identity', 'gzip, gzip', 'zstd', 'snappy', 'GZIP', 'gzip, identity',
  ' ', 'compress', ',,,', 'identity, br', 'chunked',
];
const ctArb = fc.constantFrom(...CONTENT_TYPES);
const encArb = fc.constantFrom(...ENCODINGS);
const compressionArb = fc.constantFrom<(Encoding | undefined)[]>(undefined, undefined, 'gzip', 'deflate', 'deflate-raw', 'br');
const routeArb = fc.constantFrom<RouteKind[]>('ingest', 'ingest', 'ingest-tag', 'bulk', 'bulk-index', 'analyze');

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('flip', 'set', 'truncate', 'splice', 'duplicate', 'insert', 'delete', 'swap-lines'),
  a: fc.nat(),
  b: fc.nat(),
  byte: fc.nat(255),
});

function packed(body: Buffer, enc: Encoding | undefined): { body: Buffer; contentEncoding: string | undefined } {
  return enc === undefined ? { body, contentEncoding: undefined } : { body: compress(body, enc), contentEncoding: encodingHeader(enc) };
}

const corpusArb: fc.Arbitrary<Draft> = fc.record({ seed: seedArb, enc: compressionArb }).map(({ seed, enc }) => ({
  kind: 'corpus', route: seed.route, contentType: seed.contentType, ...packed(seed.body, enc),
}));

const mutatedArb: fc.Arbitrary<Draft> = fc
  .record({ seed: seedArb, other: seedArb, enc: compressionArb, after: fc.boolean(), muts: fc.array(mutationArb, { minLength: 1, maxLength: 4 }) })
  .map(({ seed, other, enc, after, muts }) => {
    const apply = (b: Buffer) => muts.reduce((acc, m) => mutate(acc, m, other.body), b);
    if (after && enc !== undefined) {
      const p = packed(seed.body, enc);
      return { kind: 'mutated-compressed', route: seed.route, contentType: seed.contentType, contentEncoding: p.contentEncoding, body: apply(p.body) };
    }
    return { kind: 'mutated', route: seed.route, contentType: seed.contentType, ...packed(apply(seed.body), enc) };
  });

const randomArb: fc.Arbitrary<Draft> = fc
  .record({ bytes: fc.uint8Array({ maxLength: 4096 }), ct: ctArb, enc: encArb })
  .map(({ bytes, ct, enc }) => ({ kind: 'random-bytes', contentType: ct, contentEncoding: enc, body: Buffer.from(bytes) }));

const KEYS = ['log', 'message', 'msg', 'MESSAGE', 'short_message', 'event.original', 'event', '@timestamp', 'timestamp', 'time', 'date',
  'host', 'host.name', 'hostname', 'log.file.path', 'file', 'path', 'source', 'tag', '__proto__', 'constructor', 'toString', 'fields'];
const valueArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.double(),
  fc.integer(),
  fc.constantFrom(null, true, '2024-05-01T12:00:00Z', '1714564800', 1714564800.5, -1, 1e308, '', 'NaN'),
  fc.jsonValue({ maxDepth: 3 }),
);
const recordArb = fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), valueArb, { maxKeys: 8 });

const jsonArb: fc.Arbitrary<Draft> = fc
  .record({ values: fc.array(fc.oneof(recordArb, fc.jsonValue({ maxDepth: 5 })), { minLength: 1, maxLength: 6 }), framing: fc.nat(4), ct: ctArb })
  .map(({ values, framing, ct }) => {
    const s = [
      () => JSON.stringify(values),
      () => values.map((v) => JSON.stringify(v)).join('\n'),
      () => values.map((v) => JSON.stringify(v)).join(''),
      () => JSON.stringify({ logs: values }),
      () => values.map((v) => `{"index":{}}\n${JSON.stringify(v)}`).join('\n'),
    ][framing] as () => string;
    return { kind: 'json-values', contentType: ct, contentEncoding: undefined, body: Buffer.from(s()) };
  });

const PREFIXES = ['2016-04-24 10:15:02,123 ERROR [org.a.B] (default task-1) ', '10:15:02,123 INFO  [a] (main) ', '<34>1 2003-10-11T22:14:15.003Z h a - - ',
  '<13>Oct 11 22:14:15 host su[1]: ', '2024-01-01T00:00:00Z host comp[12]: ', '{"timestamp":"2024-01-01T00:00:00Z","level":"ERROR","message":', '\tat ', 'Caused by: ', ''];
const textArb: fc.Arbitrary<Draft> = fc
  .record({
    lines: fc.array(fc.tuple(fc.constantFrom(...PREFIXES), fc.string({ unit: 'binary', maxLength: 200 })), { minLength: 1, maxLength: 20 }),
    eol: fc.constantFrom('\n', '\r\n', '\r', '\0'),
    ct: fc.constantFrom(undefined, 'text/plain', 'application/octet-stream', 'application/x-ndjson'),
  })
  .map(({ lines, eol, ct }) => ({ kind: 'text-lines', contentType: ct, contentEncoding: undefined, body: Buffer.from(lines.map(([p, s]) => p + s).join(eol)) }));

const gzipArb: fc.Arbitrary<Draft> = fc.record({ seed: seedArb, op: fc.nat(5), cut: fc.nat(), junk: fc.uint8Array({ minLength: 1, maxLength: 64 }) }).map(({ seed, op, cut, junk }) => {
  const gz = compress(seed.body, 'gzip');
  const base = { kind: 'gzip-broken', route: seed.route, contentType: seed.contentType };
  switch (op) {
    case 0:
      return { ...base, contentEncoding: 'gzip', body: gz.subarray(0, cut % gz.length) };
    case 1:
      return { ...base, contentEncoding: 'gzip', body: Buffer.concat([gz, gz]) };
    case 2:
      return { ...base, contentEncoding: 'gzip', body: Buffer.concat([gz, Buffer.from(junk)]) };
    case 3:
      return { ...base, contentEncoding: cut % 2 ? 'deflate' : 'br', body: gz };
    case 4:
      return { ...base, contentEncoding: 'gzip', body: compress(seed.body, 'deflate') };
    default:
      return { ...base, contentEncoding: cut % 2 ? 'gzip' : undefined, body: compress(gz, 'gzip') };
  }
});

const utf8Arb: fc.Arbitrary<Draft> = fc.record({ kind: fc.nat(4), which: fc.nat(7) }).map(({ kind, which }) => {
  const r = invalidUtf8(kind, which);
  return { kind: 'invalid-utf8', route: kind % 5 === 3 ? 'bulk' : kind % 5 === 4 ? 'analyze' : undefined, contentType: r.contentType, contentEncoding: undefined, body: r.body };
}) as fc.Arbitrary<Draft>;

const msgpackArb: fc.Arbitrary<Draft> = fc
  .record({ kind: fc.nat(9), x: fc.nat(), ct: fc.constantFrom('application/msgpack', 'application/x-msgpack', undefined) })
  .map(({ kind, x, ct }) => ({ kind: 'msgpack-bad', route: 'ingest', contentType: ct, contentEncoding: undefined, body: badMsgpack(kind, x) }));

const bulkArb: fc.Arbitrary<Draft> = fc
  .record({ kind: fc.nat(11), n: fc.nat(), route: fc.constantFrom<RouteKind[]>('bulk', 'bulk-index'), ct: fc.constantFrom('application/x-ndjson', 'application/json', undefined) })
  .map(({ kind, n, route, ct }) => ({ kind: 'bulk-bad', route, contentType: ct, contentEncoding: undefined, body: Buffer.from(badBulk(kind, n)) }));

const headersArb: fc.Arbitrary<Draft> = fc
  .record({ seed: seedArb, ct: ctArb, enc: encArb })
  .map(({ seed, ct, enc }) => ({ kind: 'wrong-headers', route: seed.route, contentType: ct, contentEncoding: enc, body: seed.body }));

const nestedArb: fc.Arbitrary<Draft> = fc.record({ kind: fc.nat(4), depth: fc.integer({ min: 60, max: 200_000 }) }).map(({ kind, depth }) => {
  const r = nested(kind, depth);
  return { kind: 'deep-nesting', route: kind % 5 === 4 ? 'bulk' : undefined, contentType: r.contentType, contentEncoding: undefined, body: r.body };
}) as fc.Arbitrary<Draft>;

const hugeArb: fc.Arbitrary<Draft> = fc.record({ kind: fc.nat(5), mb: fc.double({ min: 0.9, max: 3, noNaN: true }) }).map(({ kind, mb }) => {
  const r = huge(kind, mb);
  return { kind: 'huge-string', route: kind % 4 === 2 ? 'bulk' : undefined, contentType: r.contentType, contentEncoding: undefined, body: r.body };
}) as fc.Arbitrary<Draft>;

const bombArb: fc.Arbitrary<Draft> = fc.nat(5).map((k) => {
  const b = bomb(k);
  return { kind: 'gzip-bomb', contentType: 'application/json', contentEncoding: b.encoding || undefined, body: b.body };
});

const draftArb: fc.Arbitrary<Draft> = fc.oneof(
  { arbitrary: corpusArb, weight: 260 },
  { arbitrary: mutatedArb, weight: 300 },
  { arbitrary: randomArb, weight: 80 },
  { arbitrary: jsonArb, weight: 70 },
  { arbitrary: textArb, weight: 50 },
  { arbitrary: gzipArb, weight: 50 },
  { arbitrary: utf8Arb, weight: 40 },
  { arbitrary: msgpackArb, weight: 40 },
  { arbitrary: bulkArb, weight: 60 },
  { arbitrary: headersArb, weight: 30 },
  { arbitrary: nestedArb, weight: 15 },
  { arbitrary: hugeArb, weight: 1 },
  { arbitrary: bombArb, weight: 1 },
);

const TAGS = ['app', 'wildfly.server', 'a/b', 'x:y@z+1', '%ZZ', '%', '%E0%A4%A', 'a'.repeat(300), '-bad', '..', '%2e%2e', '%00', 'caf%C3%A9', 'tag%20with%20space'];
const INDEXES = ['logs-x', 'filebeat-8.15.1', '_x', '_bulk', '%ZZ', 'a%2Fb', 'x'.repeat(2000), '%F0%9F%98%80', '.hidden'];
const tagArb = fc.oneof(fc.constantFrom(...TAGS), fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent));
const indexArb = fc.oneof(fc.constantFrom(...INDEXES), fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent));
const BULK_QUERIES = ['', '', '?filter_path=errors,items.*.error', '?filter_path=', '?refresh=true&timeout=1m', '?filter_path=%ZZ', '?a[b]=c', '?filter_path=items.*._id&filter_path=x',
  `?filter_path=errors,items.${'*r'.repeat(3000)}`, `?filter_path=${Array.from({ length: 900 }, (_, i) => `items.*a${i}*`).join(',')}`];
const ANALYZE_QUERIES = ['', '', '?explain=all', '?envelope=true', '?explain=bogus', '?envelope=1&explain=none', '?explain=all&explain=none', '?envelope=%ZZ'];

const caseArb: fc.Arbitrary<FuzzCase> = fc
  .record({
    draft: draftArb,
    retarget: fc.nat(9),
    route: routeArb,
    put: fc.nat(6),
    tag: tagArb,
    index: indexArb,
    bq: fc.constantFrom(...BULK_QUERIES),
    aq: fc.constantFrom(...ANALYZE_QUERIES),
  })
  .map(({ draft, retarget, route: other, put, tag, index, bq, aq }) => {
    const route = draft.route !== undefined && retarget > 0 ? draft.route : other;
    const path = {
      ingest: '/ingest',
      'ingest-tag': `/ingest/${tag}`,
      bulk: `/_bulk${bq}`,
      'bulk-index': `/${index}/_bulk${bq}`,
      analyze: `/analyze${aq}`,
    }[route];
    const method = route !== 'analyze' && put === 0 ? 'PUT' : 'POST';
    return { kind: draft.kind, route, method, path, contentType: draft.contentType, contentEncoding: draft.contentEncoding, body: draft.body };
  });

/** A reproducible batch of `n` requests. */
export function sampleCases(n: number, seed: number): FuzzCase[] {
  return fc.sample(caseArb, { numRuns: n, seed });
}
