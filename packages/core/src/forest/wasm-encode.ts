/**
 * A few WebAssembly binary-format helpers for the generated scoring kernels (`wasm-kernel.ts`,
 * `simd-kernel.ts`). Opcodes are from the WebAssembly core specification (section 5.4) and, for
 * the 0xfd-prefixed SIMD instructions, from its fixed-width SIMD extension (WebAssembly 2.0).
 */
export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n !== 0 ? b | 0x80 : b);
  } while (n !== 0);
  return out;
};
export const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

export const get = (i: number) => [0x20, i];
export const set = (i: number) => [0x21, i];
export const tee = (i: number) => [0x22, i];
export const i32 = (v: number) => [0x41, ...sleb(v)];
export const add = [0x6a];
export const sub = [0x6b];
export const shl = [0x74];
export const shrU = [0x76];
export const and = [0x71];
export const eqz = [0x45];
export const gtS = [0x4a];
export const geS = [0x4e];
export const load32 = (offset: number) => [0x28, 2, ...uleb(offset)];
export const load16u = (offset: number) => [0x2f, 1, ...uleb(offset)];
export const store32 = (offset: number) => [0x36, 2, ...uleb(offset)];
export const store16 = (offset: number) => [0x3b, 1, ...uleb(offset)];
export const loadF64 = (offset: number) => [0x2b, 3, ...uleb(offset)];
export const storeF64 = (offset: number) => [0x39, 3, ...uleb(offset)];
export const fAdd = [0xa0];
export const blockLoop = [0x02, 0x40, 0x03, 0x40];
export const endEnd = [0x0b, 0x0b];
export const brIf = (depth: number) => [0x0d, depth];
export const br = (depth: number) => [0x0c, depth];
export const incr = (i: number, by: number) => [...get(i), ...i32(by), ...add, ...set(i)];
export const repeat = (n: number, code: number[]) => Array.from({ length: n }, () => code).flat();

// SIMD (0xfd prefix, then the opcode as unsigned LEB128).
const simd = (op: number) => [0xfd, ...uleb(op)];
export const v128Load = (offset: number) => [...simd(0x00), 4, ...uleb(offset)];
export const swizzle = simd(0x0e); // i8x16.swizzle: out[i] = a[s[i]] (0 where s[i] ≥ 16)
export const i16x8LtS = simd(0x2f);
export const v128Or = simd(0x50);
export const i16x8Bitmask = simd(0x84);

export const section = (id: number, payload: number[]) => [id, ...uleb(payload.length), ...payload];
export const name = (s: string) => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];

/** `ranks` body shared by both kernels; `store` writes one rank and `dstStride` steps dst. */
export function ranksBody(store: number[], dstStride: number): number[] {
  const R = { x: 0, stride: 1, bn: 2, t0: 3, top: 4, dst: 5, r: 6, i: 7, s: 8, v: 9 } as const;
  return [
    ...blockLoop, ...get(R.r), ...get(R.bn), ...geS, ...brIf(1),
    ...get(R.x), ...loadF64(0), 0xb6 /* f32.demote_f64 */, 0xbb /* f64.promote_f32 */, ...tee(R.v),
    ...get(R.v), 0xa1 /* f64.sub */, 0x44, 0, 0, 0, 0, 0, 0, 0, 0 /* f64.const 0 */, 0x62 /* f64.ne */,
    0x04, 0x40 /* if */, ...get(R.r), 0x0f /* return */, 0x0b,
    ...i32(0), ...set(R.i), ...get(R.top), ...set(R.s),
    ...blockLoop, ...get(R.s), ...eqz, ...brIf(1),
    ...get(R.i), ...get(R.s), ...i32(0),
    ...get(R.t0), ...get(R.i), ...get(R.s), ...add, ...i32(3), ...shl, ...add, ...loadF64(0),
    ...get(R.v), 0x63 /* f64.lt */, ...sub, ...and, ...add, ...set(R.i),
    ...get(R.s), ...i32(1), ...shrU, ...set(R.s), ...br(0), ...endEnd,
    ...get(R.dst), ...get(R.i), ...store,
    ...get(R.x), ...get(R.stride), ...add, ...set(R.x),
    ...incr(R.dst, dstStride), ...incr(R.r, 1), ...br(0), ...endEnd,
    ...i32(-1), 0x0b,
  ];
}
/** Locals of `ranksBody` after its 6 i32 parameters: r i s (i32), v (f64); then i0..i3 (i32), v0..v3 (f64). */
export const RANKS_LOCALS = [4, 3, I32, 1, F64, 4, I32, 4, F64];

/**
 * Four rows at a time ahead of `ranksBody`'s one-row loop (which finishes the rest): four
 * independent binary searches per step, so their load latencies overlap. Same results.
 *
 *   block loop
 *     br_if 1 (r + 4 > bn)
 *     4 × (v_k = f64.promote_f32(f32.demote_f64(f64.load(x + k·stride))); if (v_k - v_k != 0) return r + k)
 *     i_0..3 = 0; s = top
 *     block loop br_if 1 (s == 0); 4 × (i_k += s & -(f64.load(t0 + 8(i_k + s)) < v_k)); s >>= 1; br 0 end end
 *     4 × store(dst + k·dstStride, i_k); x += 4·stride; dst += 4·dstStride; r += 4; br 0
 *   end end
 */
export function ranks4Prefix(store: number[], dstStride: number): number[] {
  const R = { x: 0, stride: 1, bn: 2, t0: 3, top: 4, dst: 5, r: 6, s: 8, i: [10, 11, 12, 13], v: [14, 15, 16, 17] } as const;
  const lanes = [0, 1, 2, 3];
  const iOf = (k: number) => R.i[k] as number;
  const vOf = (k: number) => R.v[k] as number;
  const addr = (k: number) => [...get(R.x), ...get(R.stride), ...i32(k), 0x6c /* i32.mul */, ...add];
  return [
    ...blockLoop, ...get(R.r), ...i32(4), ...add, ...get(R.bn), ...gtS, ...brIf(1),
    ...lanes.flatMap((k) => [
      ...addr(k), ...loadF64(0), 0xb6, 0xbb, ...tee(vOf(k)),
      ...get(vOf(k)), 0xa1, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x62,
      0x04, 0x40, ...get(R.r), ...i32(k), ...add, 0x0f, 0x0b,
      ...i32(0), ...set(iOf(k)),
    ]),
    ...get(R.top), ...set(R.s),
    ...blockLoop, ...get(R.s), ...eqz, ...brIf(1),
    ...lanes.flatMap((k) => [
      ...get(iOf(k)), ...get(R.s), ...i32(0),
      ...get(R.t0), ...get(iOf(k)), ...get(R.s), ...add, ...i32(3), ...shl, ...add, ...loadF64(0),
      ...get(vOf(k)), 0x63, ...sub, ...and, ...add, ...set(iOf(k)),
    ]),
    ...get(R.s), ...i32(1), ...shrU, ...set(R.s), ...br(0), ...endEnd,
    ...lanes.flatMap((k) => [...get(R.dst), ...i32(k * dstStride), ...add, ...get(iOf(k)), ...store]),
    ...get(R.x), ...get(R.stride), ...i32(2), ...shl, ...add, ...set(R.x),
    ...incr(R.dst, 4 * dstStride), ...incr(R.r, 4), ...br(0), ...endEnd,
  ];
}
