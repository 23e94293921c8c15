/**
 * A msgpack array or map longer than one record may be is refused before it is built. Found by
 * the adversarial scenario (tools/faults/scenarios/adversarial.ts): the record-size check ran
 * after decoding, so 64 MB of nils in one array32 (a ~64 KB gzip body) took 5.7 s and 1.1 GB RSS
 * before its 413; at the default 128 MiB decompressed limit a few such requests could exhaust memory.
 */
import { describe, expect, it } from 'vitest';
import { FormatError } from '../errors.ts';
import { resolveOptions } from '../options.ts';
import { decodeMsgpack } from './index.ts';

const ctx = resolveOptions({ receivedAt: Date.UTC(2024, 4, 1) });
const array32 = (n: number, fill: number) => {
  const head = Buffer.from([0xdd, 0, 0, 0, 0]);
  head.writeUInt32BE(n, 1);
  return Buffer.concat([head, Buffer.alloc(n, fill)]);
};
const refusal = (fn: () => unknown): FormatError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof FormatError) return err;
    throw err;
  }
  throw new Error('expected a FormatError');
};

describe('msgpack containers longer than a record may hold', () => {
  it('64 MB of nils in one array is refused (413) at once', () => {
    const t0 = performance.now();
    const err = refusal(() => decodeMsgpack(array32(64 << 20, 0xc0), ctx));
    expect(performance.now() - t0).toBeLessThan(500);
    expect(err).toMatchObject({ status: 413, code: 'record_too_large' });
  });

  it('a map32 with more pairs than the record limit is refused too; a declared length past the body stays 400', () => {
    const head = Buffer.from([0xdf, 0, 0x20, 0, 0]); // 2M pairs
    expect(refusal(() => decodeMsgpack(Buffer.concat([head, Buffer.alloc(4 << 20, 0xc0)]), ctx)).code).toBe('record_too_large');
    expect(refusal(() => decodeMsgpack(Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0]), ctx)).code).toBe('invalid_msgpack');
  });

  it('arrays within the limit still decode', () => {
    expect(decodeMsgpack(array32(1000, 0xc0), ctx)).toHaveLength(1);
  });
});
