/**
 * Decoder throughput: MB/s (of the body as received) and events/s for each body format, built
 * from synthetic JBoss/WildFly lines. Prints a markdown table.
 *
 *   pnpm exec tsx bench/decode.ts [events per body, default 2000] [seconds per case, default 1]
 */
import { gzipSync } from 'node:zlib';
import {
  bulkBody,
  filebeatDoc,
  fluentBitJsonRecord,
  fluentBitMsgpackV2,
  jbossLines,
  ndjson,
} from '../packages/core/src/formats/fixtures/bodies.ts';
import { decodeBody, decodeBulk, decompressBody } from '../packages/core/src/formats/index.ts';

const EVENTS = Number(process.argv[2] ?? 2000);
const SECONDS = Number(process.argv[3] ?? 1);
const receivedAt = Date.UTC(2024, 4, 1, 13);
const limits = { maxDecompressedBytes: 256 << 20 };

interface Case {
  name: string;
  body: Buffer;
  /** Bytes after decompression, when the body is compressed. */
  decodedBytes?: number;
  run: (body: Buffer) => number;
}

const start = Date.UTC(2024, 4, 1, 12);
const lines = jbossLines(EVENTS, start);
const fb = lines.map((line, i) => fluentBitJsonRecord(start + i * 37, line));
const ndjsonBody = Buffer.from(ndjson(fb));

const body = (contentType: string, encoding?: string) => (b: Buffer) =>
  decodeBody(encoding === undefined ? b : decompressBody(b, encoding, limits), { contentType, receivedAt }).length;

const cases: Case[] = [
  { name: 'NDJSON (Fluent Bit json_lines)', body: ndjsonBody, run: body('application/x-ndjson') },
  { name: 'JSON array (Fluent Bit json)', body: Buffer.from(JSON.stringify(fb)), run: body('application/json') },
  {
    name: 'msgpack v2 (Fluent Bit msgpack)',
    body: fluentBitMsgpackV2(lines.map((line, i) => ({ ms: start + i * 37, record: { log: line } }))),
    run: body('application/msgpack'),
  },
  {
    name: 'gzip NDJSON (level 1)',
    body: gzipSync(ndjsonBody, { level: 1 }),
    decodedBytes: ndjsonBody.length,
    run: body('application/x-ndjson', 'gzip'),
  },
  { name: 'plain text (curl)', body: Buffer.from(lines.join('\n') + '\n'), run: body('text/plain') },
  {
    name: 'ES _bulk (Filebeat ECS docs)',
    body: Buffer.from(bulkBody({ create: { _index: 'filebeat-8.15.1' } }, lines.map((l, i) => filebeatDoc(start + i * 37, l)))),
    run: (b) => decodeBulk(b, { receivedAt }).records.length,
  },
];

function measure(c: Case): { mbs: number; decodedMbs: number; evs: number; events: number } {
  let events = 0;
  for (let i = 0; i < 20; i++) events = c.run(c.body); // warm-up
  let iterations = 0;
  const t0 = process.hrtime.bigint();
  const budget = BigInt(Math.round(SECONDS * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    c.run(c.body);
    iterations++;
    elapsed = process.hrtime.bigint() - t0;
  }
  const secs = Number(elapsed) / 1e9;
  const decoded = c.decodedBytes ?? c.body.length;
  return {
    mbs: (c.body.length * iterations) / secs / 1e6,
    decodedMbs: (decoded * iterations) / secs / 1e6,
    evs: (events * iterations) / secs,
    events,
  };
}

const rows = [
  `Decoding ${EVENTS} synthetic JBoss events per body, Node ${process.version}, ${SECONDS}s per case.`,
  '',
  '| format | body bytes | events/body | MB/s (wire) | MB/s (decoded) | events/s |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
];
for (const c of cases) {
  const r = measure(c);
  const cells = [c.name, c.body.length.toLocaleString('en'), r.events, r.mbs.toFixed(1), r.decodedMbs.toFixed(1), Math.round(r.evs).toLocaleString('en')];
  rows.push(`| ${cells.join(' | ')} |`);
}
process.stdout.write(rows.join('\n') + '\n');
