import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { EventTime, pack } from '../formats/fixtures/bodies.ts';
import { ForwardFrameError, FrameScanner } from './framer.ts';

const values: unknown[] = [
  null,
  ['app', 1714564800, { message: 'hi', n: -5, f: 1.5, big: 2 ** 40, neg: -(2 ** 40), ok: true, no: false }, { chunk: 'c1' }],
  ['app', [[new EventTime(1714564800, 5), { log: 'x'.repeat(300) }]], { size: 1 }],
  ['app', new Uint8Array(70_000).fill(7), { compressed: 'gzip' }],
  { ['k'.repeat(40)]: 'é'.repeat(40_000), nested: [[[], {}], [1, [2, [3]]]] },
  Array.from({ length: 20 }, (_, i) => i * 1000),
  new Date(1714564800123),
];
const stream = Buffer.concat(values.map(pack));
const hex = (bs: Buffer[]) => bs.map((b) => b.toString('hex'));
const expected = hex(values.map((v) => pack(v)));

describe('FrameScanner', () => {
  it('cuts a stream into its top-level values however it is split', () => {
    for (const size of [1, 2, 3, 7, 64, 1000, 65_536, stream.length]) {
      const s = new FrameScanner({ maxFrameBytes: 1 << 20 });
      const frames: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) frames.push(...s.push(stream.subarray(i, i + size)));
      expect(hex(frames), `chunks of ${size}`).toEqual(expected);
      expect(s.pending).toBe(0);
    }
  });

  it('keeps an incomplete frame until its last byte arrives', () => {
    const s = new FrameScanner({ maxFrameBytes: 1 << 20 });
    const one = pack(['t', 1, { a: 'b' }]);
    expect(s.push(one.subarray(0, one.length - 1))).toEqual([]);
    expect(s.pending).toBe(one.length - 1);
    expect(s.push(one.subarray(one.length - 1))).toEqual([one]);
  });

  it('refuses a frame over the limit, including one that only declares a huge payload or item count', () => {
    const s = () => new FrameScanner({ maxFrameBytes: 1000 });
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as ForwardFrameError;
      }
      throw new Error('did not throw');
    };
    expect(err(() => s().push(pack(['t', 'x'.repeat(2000)]))).code).toBe('frame_too_large');
    expect(err(() => s().push(Buffer.from([0xc6, 0xff, 0xff, 0xff, 0xff]))).code).toBe('frame_too_large'); // bin32 of 4 GiB
    expect(err(() => s().push(Buffer.from([0xdd, 0x00, 0x10, 0x00, 0x00]))).code).toBe('frame_too_large'); // array32 of 1 M
    const slow = s();
    expect(err(() => { for (let i = 0; i < 2000; i++) slow.push(Buffer.from([0x91])); }).code).toBe('frame_too_large'); // nesting, byte by byte
    expect(err(() => s().push(Buffer.from([0x92, 0xc1]))).code).toBe('invalid_msgpack');
  });

  it('accepts a frame of exactly the limit', () => {
    const one = Buffer.from(encode(['t', 'y'.repeat(500)]));
    expect(new FrameScanner({ maxFrameBytes: one.length }).push(one)).toEqual([one]);
  });
});
