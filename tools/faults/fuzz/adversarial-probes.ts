/**
 * Pathological inputs for every text-handling component, as probes the adversarial scenario and
 * test time at growing sizes: each probe builds an input of about `bytes` bytes and runs one
 * component on it. Families: 1 MB+ lines after each format's header prefix, long runs of every
 * separator, keyword bait for the feature regexps, 100k-frame traces (as one record and as one
 * record per frame, stamped or not), million-token lines, and hostile bodies for every decoder.
 */
import { gzipSync } from 'node:zlib';
import {
  Scorer, TemplateMiner, bulkResponse, decodeBody, decodeBulk, decodeLogBytes, decompressBody, joinRecords, parseEvent,
  splitLines, trainModel,
} from '../../../packages/core/src/index.ts';
import { syntheticJboss } from '../../../packages/core/src/testing/synthetic.ts';
import { presentedSecrets } from '../../../services/ingest/src/middleware/auth/auth.ts';

export interface Probe {
  component: string;
  name: string;
  build(bytes: number): unknown;
  run(input: unknown): unknown;
}

/** `unit` repeated to about `bytes` characters. */
export const rep = (unit: string, bytes: number): string => unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));

export const PREFIXES: Record<string, string> = {
  jboss: '2016-04-24 10:15:02,123 ERROR [org.jboss.as.server] (default task-1) ',
  'jboss-console': '10:15:02,123 INFO  [org.a.B] (main) ',
  rfc5424: '<34>1 2003-10-11T22:14:15.003Z mymachine su - ID47 ',
  rfc3164: '<34>Oct 11 22:14:15 mymachine su[230]: ',
  'rfc3164-no-pri': 'Oct 11 22:14:15 mymachine sshd[230]: ',
  seed: '2024-01-01T00:00:00Z host1 sshd[12]: ',
  'log4j-iso': '2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.Foo: ',
  'log4j-slash': '17/06/09 20:10:40 INFO executor.Executor: ',
  'log4j-compact': '081109 203615 148 INFO dfs.DataNode$PacketResponder: ',
  bgl: '- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO ',
  apache: '[Sun Dec 04 04:47:44 2005] [notice] ',
  unknown: '',
};

/** Tails: separator runs and text that makes scanners look for more. */
export const TAILS = [' ', '\t', '[', '(', ':', '=', ',', '.', '/', '[(', 'a=', 'at ', 'Caused by: ', 'java.', 'Exception', '0', '[stderr] (', 'ERROR ', '<1>', '-', 'a.b', '"', '\\', '{'];

/** Keyword bait for the feature regexps (prefixes of every alternative, never completing). */
const BAIT = ['erro', 'exceptio', 'fai', 'authentication failur', 'failed passwor', 'timed ou', 'reset by pee', 'address already in us', 'could no'];

const MULTILINE: Record<string, string> = {
  'frames (\\n\\tat a.b.C.m(C.java:1))': '\n\tat a.b.C.m(C.java:1)',
  'short lines (\\nx)': '\nx',
  'bare Exception lines': '\nException',
  'Caused by lines': '\nCaused by: x',
  'stderr-stamped frames': '\n2024-05-01 12:00:00,001 ERROR [stderr] (default task-1) \tat a.b.C.m(C.java:1)',
  '... N more lines': '\n\t... 5 more',
};

/** The single-line / multi-line text families, `name → build(bytes)`. */
export function lineFamilies(): Array<[string, (b: number) => string]> {
  const out: Array<[string, (b: number) => string]> = [];
  for (const [p, prefix] of Object.entries(PREFIXES)) for (const t of TAILS) out.push([`${p} + ${JSON.stringify(t)}×N`, (b) => prefix + rep(t, b)]);
  for (const w of BAIT) out.push([`keyword bait ${JSON.stringify(w)}×N`, (b) => PREFIXES['jboss'] + rep(`${w} `, b)]);
  for (const [n, u] of Object.entries(MULTILINE)) out.push([`one event of ${n}`, (b) => PREFIXES['jboss'] + 'java.lang.IllegalStateException: boom' + rep(u, b)]);
  out.push(['1M-token line (a )', (b) => rep('a ', b)], ['one 1 MB token', (b) => rep('a', b)], ['wildfly-json message', (b) => JSON.stringify({ timestamp: '2024-05-01T12:00:00Z', level: 'ERROR', message: rep('a.b ', b) })]);
  return out;
}

/** Record lists for joinRecords / Scorer: many records whose lines look like continuations. */
function recordFamilies(): Array<[string, (b: number) => Array<{ line: string }>]> {
  const head = { line: `${PREFIXES['jboss']}java.lang.IllegalStateException: boom` };
  const many = (line: string) => (b: number) => [head, ...Array.from({ length: Math.max(1, Math.floor(b / line.length)) }, () => ({ line }))];
  return [
    ['100k-frame trace, one record per frame', many('\tat a.b.C.m(C.java:1)')],
    ['stderr-stamped frames, one record each', many('2024-05-01 12:00:00,001 ERROR [stderr] (default task-1) \tat a.b.C.m(C.java:1)')],
    ['stderr exception lines, one record each', many('2024-05-01 12:00:00,001 ERROR [stderr] (default task-1) java.sql.SQLException: x')],
    ['headerless records (x)', many('x')],
    ['header-only records', many('2024-05-01 12:00:00,000 INFO [a] (b) m')],
  ];
}

let scorer: Scorer | undefined;
const model = () => (scorer ??= new Scorer(trainModel(syntheticJboss(400, 5, 3).lines.map((line) => ({ line })))));
let trained: TemplateMiner | undefined;
const miner = () => {
  if (!trained) {
    trained = new TemplateMiner();
    for (const l of syntheticJboss(400, 6, 2).lines) trained.add(l);
  }
  return trained;
};
const receivedAt = Date.UTC(2024, 4, 1);
const BIG = { receivedAt, maxRecordBytes: 1 << 30, maxEvents: 1 << 30 };
const body = (s: string) => Buffer.from(s);
const nilArray = (b: number) => {
  const h = Buffer.from([0xdd, 0, 0, 0, 0]);
  h.writeUInt32BE(b, 1);
  return Buffer.concat([h, Buffer.alloc(b, 0xc0)]);
};

/** Every probe. */
export function probes(): Probe[] {
  const out: Probe[] = [];
  const lines = lineFamilies();
  for (const [name, build] of lines) {
    out.push({ component: 'parseEvent', name, build, run: (l) => parseEvent({ line: l as string }, { receivedAt }) });
    // The later stages see the message after the header: every tail after three header kinds is enough.
    if (/^(jboss-console|log4j|rfc5424|seed|bgl|apache|rfc3164-no)/.test(name)) continue;
    out.push({ component: 'TemplateMiner.add', name, build, run: (l) => new TemplateMiner().add(l as string) });
    out.push({ component: 'TemplateMiner.match', name, build, run: (l) => miner().match(l as string) });
    out.push({ component: 'Scorer.score (features)', name, build: (b) => [{ line: build(b) }], run: (r) => model().score(r as never, { receivedAt, explain: 'all' }) });
  }
  for (const [name, build] of recordFamilies()) {
    out.push({ component: 'joinRecords', name, build, run: (r) => joinRecords(r as never) });
    out.push({ component: 'Scorer.score (features)', name, build, run: (r) => model().score(r as never, { receivedAt, explain: 'none' }) });
  }
  const bytes: Array<[string, (b: number) => Buffer]> = [
    ['\\r×N', (b) => body(rep('\r', b))], ['\\r\\n×N', (b) => body(rep('\r\n', b))], ['\\r\\r\\n×N', (b) => body(rep('\r\r\n', b))],
    ['\\n×N', (b) => body(rep('\n', b))], ['invalid UTF-8 (0x80×N, cp1252 path)', (b) => Buffer.alloc(b, 0x80)],
    ['a\\x9d mix (C1 remap)', (b) => Buffer.from(rep('a\x9d', b), 'latin1')], ['UTF-16LE BOM + text', (b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rep('a\n', b), 'utf16le')])],
  ];
  for (const [name, build] of bytes) out.push({ component: 'decodeLogBytes + splitLines', name, build, run: (x) => splitLines(decodeLogBytes(x as Buffer)) });
  const bodies: Array<[string, string | undefined, (b: number) => Buffer]> = [
    ['JSON string of \\\\ pairs', 'application/json', (b) => body(`{"log":"${rep('\\\\', b)}"}`)],
    ['JSON string of \\" escapes', 'application/json', (b) => body(`{"log":"${rep('\\"', b)}"}`)],
    ['JSON array [1,1,…]', 'application/json', (b) => body(`[${rep('1,', b)}1]`)],
    ['NDJSON {}\\n×N', 'application/x-ndjson', (b) => body(rep('{}\n', b))],
    ['json_stream {}{}…', 'application/json', (b) => body(rep('{"a":1}', b))],
    ['"[" sniffed, not JSON (text fallback)', undefined, (b) => body(`[${rep('x[', b)}`)],
    ['text: blank lines', 'text/plain', (b) => body(`x\n${rep(' \t\r\n', b)}`)],
    ['text: a\\n×N', 'text/plain', (b) => body(rep('a\n', b))],
    ['msgpack nil×N (heartbeats)', 'application/msgpack', (b) => Buffer.concat([body('\x81\xa3log\xa1x'), Buffer.alloc(b, 0xc0)])],
    ['msgpack array32 of nils (record cap lifted)', 'application/msgpack', nilArray],
  ];
  for (const [name, ct, build] of bodies) out.push({ component: 'decodeBody', name, build, run: (x) => { try { decodeBody(x as Buffer, { ...BIG, contentType: ct }); } catch { /* refusals are answers too */ } } });
  out.push({ component: 'decodeBody', name: 'msgpack array32 of nils (default 1 MiB record cap: 413)', build: nilArray, run: (x) => { try { decodeBody(x as Buffer, { receivedAt, maxEvents: 1 << 30, contentType: 'application/msgpack' }); } catch { /* refused */ } } });
  const bulks: Array<[string, (b: number) => Buffer]> = [
    ['\\n×N', (b) => body(`{"index":{}}\n{"m":1}\n${rep('\n', b)}`)],
    ['delete actions ×N', (b) => body(rep('{"delete":{}}\n', b))],
    ['documents where actions belong ×N', (b) => body(`{"index":{}}\n{"m":1}\n${rep('{"m":1}\n', b)}`)],
    ['malformed action lines ×N', (b) => body(`{"index":{}}\n{"m":1}\n${rep('{"create":\n', b)}`)],
    ['action + doc pairs ×N', (b) => body(rep('{"index":{}}\n{"message":"m"}\n', b))],
  ];
  for (const [name, build] of bulks) out.push({ component: 'decodeBulk', name, build, run: (x) => decodeBulk(x as Buffer, BIG) });
  const filters: Array<[string, string]> = [['Filebeat filter_path', 'errors,items.*.error,items.*.status'], ['1,600 glob paths', Array.from({ length: 1600 }, (_, i) => `items.*a${i}*`).join(',')], ['one glob of 8,000 stars', `items.${rep('*r', 16_000)}`]];
  for (const [name, fp] of filters) out.push({ component: 'bulkResponse (filter_path)', name, build: (b) => decodeBulk(body(rep('{"index":{}}\n{"m":1}\n', b)), BIG).items, run: (items) => bulkResponse(items as never, 1, fp) });
  out.push({ component: 'decompressBody', name: 'gzip of zeros', build: (b) => gzipSync(Buffer.alloc(b)), run: (x) => decompressBody(x as Buffer, 'gzip', { maxDecompressedBytes: 1 << 30 }) });
  // Node caps a header at 16 KB; the parser itself is measured past that to show its growth.
  const auth = (u: string) => (b: number) => `Bearer a${rep(u, b)}b`;
  out.push({ component: 'Authorization header parsing', name: 'inner run of spaces', build: auth(' '), run: (h) => presentedSecrets({ authorization: h as string }) });
  out.push({ component: 'Authorization header parsing', name: 'inner run of tabs and spaces', build: auth('\t '), run: (h) => presentedSecrets({ authorization: h as string }) });
  return out;
}
