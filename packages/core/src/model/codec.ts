/**
 * The model artifact on the wire: data, never code.
 *
 *   bytes 0..7    magic "LFMODEL\0"
 *   bytes 8..9    container format version (uint16 BE)
 *   bytes 10..13  payload length (uint32 BE)
 *   bytes 14..45  SHA-256 of the payload
 *   bytes 46..    payload: msgpack of the artifact, typed arrays stored as tagged byte strings
 *
 * decodeModel refuses — with a ModelFormatError saying which — a foreign blob (no magic),
 * an unknown container version, a truncated blob (length), a corrupt one (checksum), a
 * payload that does not match the artifact schema (forest trees and miner state included), or a
 * feature set this build does not know, with other columns or a forest of another width.
 */
import { createHash } from 'node:crypto';
import { decode, encode } from '@msgpack/msgpack';
import { featureSet } from '../features/sets.ts';
import { checkForestArrays } from '../forest/arrays.ts';
import { TemplateMiner } from '../templates/index.ts';
import { artifactSchema, type ModelArtifact } from './artifact.ts';
import { isRawModel, rawModelProblem } from './raw.ts';

const MAGIC = Buffer.from('LFMODEL\0', 'latin1');
export const MODEL_FORMAT_VERSION = 1;
const HEADER = MAGIC.length + 2 + 4 + 32;

export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
  constructor(
    message: string,
    /** foreign | version | truncated | checksum | schema | feature-set */
    readonly reason: string,
  ) {
    super(message);
  }
}

type Typed = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;
const TYPED: Record<string, new (b: ArrayBuffer) => Typed> = {
  f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array,
  i16: Int16Array, u16: Uint16Array, i8: Int8Array, u8: Uint8Array,
};
function tagOf(a: Typed): string {
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint32Array) return 'u32';
  if (a instanceof Int16Array) return 'i16';
  if (a instanceof Uint16Array) return 'u16';
  if (a instanceof Int8Array) return 'i8';
  return 'u8';
}

/** Typed arrays → { $ta: tag, b: bytes } (little-endian, as every platform we run on). */
function pack(v: unknown): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = v as Typed;
    return { $ta: tagOf(a), b: new Uint8Array(a.buffer, a.byteOffset, a.byteLength) };
  }
  if (v instanceof Map) return pack(Object.fromEntries(v));
  if (Array.isArray(v)) return v.map(pack);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = pack(x);
    return out;
  }
  return v;
}

function unpack(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unpack);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const o = v as Record<string, unknown>;
    if (typeof o['$ta'] === 'string' && o['b'] instanceof Uint8Array) {
      const Ctor = TYPED[o['$ta']];
      if (!Ctor) throw new ModelFormatError(`unknown array type "${o['$ta']}" in model`, 'schema');
      const bytes = o['b'];
      const copy = new ArrayBuffer(bytes.byteLength); // aligned copy
      new Uint8Array(copy).set(bytes);
      if (bytes.byteLength % (new Ctor(new ArrayBuffer(0)).BYTES_PER_ELEMENT || 1) !== 0) {
        throw new ModelFormatError('typed array length is not a multiple of its element size', 'schema');
      }
      return new Ctor(copy);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = unpack(x);
    return out;
  }
  return v;
}

export function encodeModel(model: ModelArtifact): Buffer {
  const payload = Buffer.from(encode(pack(model)));
  const head = Buffer.alloc(HEADER);
  MAGIC.copy(head, 0);
  head.writeUInt16BE(MODEL_FORMAT_VERSION, MAGIC.length);
  head.writeUInt32BE(payload.length, MAGIC.length + 2);
  createHash('sha256').update(payload).digest().copy(head, MAGIC.length + 6);
  return Buffer.concat([head, payload]);
}

/** Options of {@link decodeModel}. */
export interface ModelDecodeOptions {
  /** Accept raw-feature models (model/raw.ts), which score feature matrices, not events. @defaultValue false */
  allowRaw?: boolean;
}

export function decodeModel(blob: Uint8Array, opts: ModelDecodeOptions = {}): ModelArtifact {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < MAGIC.length || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ModelFormatError('not a logforest model (bad magic bytes)', 'foreign');
  }
  if (buf.length < HEADER) throw new ModelFormatError(`model is truncated: ${buf.length} bytes, header needs ${HEADER}`, 'truncated');
  const version = buf.readUInt16BE(MAGIC.length);
  if (version !== MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(`model container version ${version} is not supported (this build reads ${MODEL_FORMAT_VERSION})`, 'version');
  }
  const length = buf.readUInt32BE(MAGIC.length + 2);
  const payload = buf.subarray(HEADER);
  if (payload.length !== length) {
    throw new ModelFormatError(`model is truncated or padded: payload ${payload.length} bytes, header says ${length}`, 'truncated');
  }
  const digest = createHash('sha256').update(payload).digest();
  if (!digest.equals(buf.subarray(MAGIC.length + 6, HEADER))) throw new ModelFormatError('model checksum mismatch (corrupt blob)', 'checksum');
  let raw: unknown;
  try {
    raw = unpack(decode(payload));
  } catch (err) {
    if (err instanceof ModelFormatError) throw err;
    throw new ModelFormatError(`model payload is not valid msgpack: ${(err as Error).message}`, 'schema');
  }
  const parsed = artifactSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ModelFormatError(`model does not match the artifact schema at ${first?.path.join('.') || '(root)'}: ${first?.message}`, 'schema');
  }
  const model = parsed.data as ModelArtifact;
  if (isRawModel(model)) checkRaw(model, opts.allowRaw ?? false);
  else checkLoadable(model);
  return model;
}

/** A raw-feature model: refused unless allowed; its column names and forest checked. */
function checkRaw(model: ModelArtifact, allow: boolean): void {
  if (!allow) {
    throw new ModelFormatError(
      `model ${model.version} is a raw-feature model over ${model.featureSet.columns.length} named columns: it scores feature matrices (logforest score-matrix), not log events`,
      'feature-set',
    );
  }
  let nFeatures: number;
  try {
    nFeatures = checkForestArrays(model.forest).nFeatures;
  } catch (err) {
    throw new ModelFormatError(`model ${model.version} cannot be loaded: ${(err as Error).message}`, 'schema');
  }
  const problem = rawModelProblem(model, nFeatures);
  if (problem) throw new ModelFormatError(`model ${model.version}: ${problem}`, 'feature-set');
  if (model.miner != null) throw new ModelFormatError(`model ${model.version}: a raw-feature model carries no template miner`, 'schema');
}

/**
 * What the schema cannot see: the feature set is known with the same columns, the forest arrays
 * hold valid trees as wide as the set, and the miner state loads. Everything a Scorer would later
 * refuse is refused here, so every load site (registry, cache, CLI) gets the same answer.
 */
function checkLoadable(model: ModelArtifact): void {
  let set;
  try {
    set = featureSet(model.featureSet.name, model.featureSet.version);
  } catch (err) {
    throw new ModelFormatError((err as Error).message, 'feature-set');
  }
  if (model.featureSet.columns.join(',') !== set.columns.join(',')) {
    throw new ModelFormatError(`model columns [${model.featureSet.columns.join(', ').slice(0, 200)}] differ from feature set ${set.name} v${set.version}`, 'feature-set');
  }
  // A model is data, not code: custom mask regexes (a TemplateMiner library option) would be
  // compiled and run on every message, so an artifact carrying any is refused.
  const masks = (model.miner as { options?: { extraMasks?: unknown[] } } | null)?.options?.extraMasks;
  if (Array.isArray(masks) && masks.length > 0) {
    throw new ModelFormatError(`model ${model.version} carries ${masks.length} custom mask pattern(s); artifacts may not carry code`, 'schema');
  }
  let nFeatures: number;
  try {
    nFeatures = checkForestArrays(model.forest).nFeatures;
    if (model.miner != null) TemplateMiner.fromJSON(model.miner);
  } catch (err) {
    throw new ModelFormatError(`model ${model.version} cannot be loaded: ${(err as Error).message}`, 'schema');
  }
  if (nFeatures !== set.columns.length) {
    throw new ModelFormatError(`model ${model.version} has ${nFeatures} forest features but feature set ${set.name} has ${set.columns.length}`, 'feature-set');
  }
}
