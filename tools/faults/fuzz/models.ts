/**
 * Bad model artifacts for the model-safety scenario and test: every way a blob can be unusable,
 * each next to a good model it must never displace. The container (magic, version, length,
 * SHA-256 of the payload) is rebuilt here from its documented layout, so schema-invalid payloads
 * sit in a valid container with a valid checksum.
 */
import { createHash } from 'node:crypto';
import {
  encodeModel,
  type ModelArtifact,
  trainModel,
} from '../../../packages/core/src/index.ts';
import { pack as encode } from '../../../packages/core/src/formats/fixtures/bodies.ts';
import { syntheticJboss } from '../../../packages/core/src/testing/synthetic.ts';

export interface BadArtifact {
  kind: string;
  /** What the refusal should be about (ModelFormatError.reason, or a word of the message). */
  expect: RegExp;
  blob: Buffer;
  /** The decoded payload when it is a schema-valid artifact object (for `new Scorer(artifact)`). */
  artifact?: ModelArtifact;
}

/** A container around arbitrary payload bytes, with a correct length and checksum. */
export function container(payload: Buffer, version = 1): Buffer {
  const head = Buffer.alloc(46);
  head.write('LFMODEL\0', 0, 'latin1');
  head.writeUInt16BE(version, 8);
  head.writeUInt32BE(payload.length, 10);
  createHash('sha256').update(payload).digest().copy(head, 14);
  return Buffer.concat([head, payload]);
}

/** Small good models: `default` feature set (v1, v2 labels) and a `seed` one (5 features). */
export function goodModels(): { v1: ModelArtifact; v2: ModelArtifact; seed: ModelArtifact } {
  const records = syntheticJboss(400, 5, 3).lines.map((line) => ({ line }));
  const v1 = trainModel(records, { version: 'v1', nEstimators: 30 });
  const v2 = trainModel(records, { version: 'v2', nEstimators: 30, contamination: 0.05 });
  const seed = trainModel(records, { version: 'seed', featureSet: 'seed', nEstimators: 30 });
  return { v1, v2, seed };
}

/** Every bad artifact kind, labelled `version` (so a registry can store it under that name). */
export function badArtifacts(good: ModelArtifact, seed: ModelArtifact, version: string): BadArtifact[] {
  const base: ModelArtifact = { ...good, version };
  const blob = encodeModel(base);
  const out: BadArtifact[] = [];
  const add = (kind: string, expect: RegExp, b: Buffer, artifact?: ModelArtifact) => out.push({ kind, expect, blob: b, ...(artifact ? { artifact } : {}) });

  const flipped = Buffer.from(blob);
  const at = 46 + Math.floor((flipped.length - 46) / 2);
  flipped[at] = (flipped[at] as number) ^ 0x10;
  add('corrupt (one bit flipped in the payload)', /checksum/, flipped);
  add('truncated (last 100 bytes cut)', /truncated/, blob.subarray(0, blob.length - 100));
  add('truncated inside the header', /truncated/, blob.subarray(0, 20));
  add('foreign format (JSON text)', /magic/, Buffer.from(JSON.stringify({ format: 'logforest-model', version })));
  add('foreign format (empty file)', /magic/, Buffer.alloc(0));
  const future = Buffer.from(blob);
  future.writeUInt16BE(2, 8);
  add('foreign container version (2)', /container version/, future);

  const unknownSet = { ...base, featureSet: { ...base.featureSet, name: 'fancy' } };
  add('feature set: unknown name', /feature set "fancy"/, encodeModel(unknownSet), unknownSet);
  const otherVersion = { ...base, featureSet: { ...base.featureSet, version: 99 } };
  add('feature set: known name, other version', /version 99 is not supported/, encodeModel(otherVersion), otherVersion);
  const wrongWidth = { ...base, forest: seed.forest };
  add('feature set: forest with 5 features for a 16-column set', /features/, encodeModel(wrongWidth), wrongWidth);
  const wrongColumns = { ...base, featureSet: { ...base.featureSet, columns: ['hour', 'pid'] } };
  add('feature set: columns differ from the set', /columns/, encodeModel(wrongColumns), wrongColumns);

  add('schema: payload is not msgpack', /msgpack|schema/, container(Buffer.from([0xc1, 0xc1, 0xc1, 0x00])));
  add('schema: msgpack of another shape', /schema/, container(encode({ hello: 'world', version })));
  add('schema: threshold is a string', /schema/, encodeModel({ ...base, threshold: 'high' } as unknown as ModelArtifact));
  const forest = base.forest as Record<string, unknown>;
  const left = Int32Array.from(forest['left'] as Int32Array);
  left[0] = 0; // the root is its own child: a cycle
  const cyclic = { ...base, forest: { ...forest, left } } as ModelArtifact;
  add('schema: forest tree with a cycle', /forest/, encodeModel(cyclic), cyclic);
  const badMiner = { ...base, miner: { format: 'logforest.template-miner', version: 1, clusters: 'nope' } };
  add('schema: template miner state malformed', /miner|clusters|invalid/i, encodeModel(badMiner), badMiner);
  return out;
}
