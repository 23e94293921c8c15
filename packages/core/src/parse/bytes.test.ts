import { describe, expect, it } from 'vitest';
import { decodeLogBytes, splitLines } from './bytes.ts';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('decodeLogBytes', () => {
  it('decodes UTF-8 and drops a BOM', () => {
    expect(decodeLogBytes(utf8('Falha na operação ✓'))).toBe('Falha na operação ✓');
    expect(decodeLogBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('a\nb')]))).toBe('a\nb');
  });

  it('falls back to windows-1252 / ISO-8859-1 when the bytes are not UTF-8', () => {
    // "operação" as ISO-8859-1: ç = E7, ã = E3
    const latin = bytes(0x6f, 0x70, 0x65, 0x72, 0x61, 0xe7, 0xe3, 0x6f);
    expect(decodeLogBytes(latin)).toBe('operação');
    // windows-1252 extras: 0x80 euro, 0x93/0x94 curly quotes; 0x81 stays U+0081
    expect(decodeLogBytes(bytes(0x80, 0x20, 0x93, 0x78, 0x94, 0x81, 0xe9))).toBe('\u20ac \u201cx\u201d\u0081é');
  });

  it('decodes UTF-16LE with a BOM', () => {
    expect(decodeLogBytes(bytes(0xff, 0xfe, 0x68, 0x00, 0x69, 0x00))).toBe('hi');
  });

  it('decodes empty input', () => {
    expect(decodeLogBytes(new Uint8Array(0))).toBe('');
  });
});

describe('splitLines', () => {
  it('splits LF, CRLF and lone CR, mixed', () => {
    expect(splitLines('a\nb\r\nc\rd')).toEqual(['a', 'b', 'c', 'd']);
    expect(splitLines('x\r\r\ny')).toEqual(['x', '', 'y']);
    expect(splitLines('a\n\nb')).toEqual(['a', '', 'b']);
  });

  it('does not add a trailing empty line for a final line ending', () => {
    expect(splitLines('a\n')).toEqual(['a']);
    expect(splitLines('a\r\n')).toEqual(['a']);
    expect(splitLines('a\r')).toEqual(['a']);
    expect(splitLines('a\n\n')).toEqual(['a', '']);
    expect(splitLines('\n')).toEqual(['']);
    expect(splitLines('')).toEqual([]);
  });
});
