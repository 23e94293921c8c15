/**
 * Bytes to text and text to lines, for log files and plain-text bodies.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const utf16le = new TextDecoder('utf-16le', { ignoreBOM: false });

/** windows-1252 code points of bytes 0x80..0x9f (the five unassigned bytes map to themselves, as in WHATWG). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

const latin1 = new TextDecoder('latin1');
const C1 = /[\x80-\x9f]/g;

function c1ToCp1252(ch: string): string {
  return String.fromCharCode(CP1252_HIGH[ch.charCodeAt(0) - 0x80] as number);
}

/**
 * windows-1252 (ISO-8859-1 plus printable characters in 0x80..0x9f). Decodes bytes one to one,
 * then maps the C1 range through the table, so it is right whether the runtime's 'latin1'
 * decoder is plain ISO-8859-1 (Node 20) or already windows-1252 (WHATWG).
 */
function decodeCp1252(buf: Uint8Array): string {
  const s = latin1.decode(buf);
  C1.lastIndex = 0;
  return C1.test(s) ? s.replace(C1, c1ToCp1252) : s;
}

/**
 * Decodes a log file or body: UTF-8 (a UTF-8 BOM is dropped); when the bytes are not valid UTF-8,
 * windows-1252 / ISO-8859-1 (JBoss on Windows, e.g. localized pt-BR EAP logs). A UTF-16LE BOM
 * selects UTF-16LE. The choice is made for the whole buffer.
 */
export function decodeLogBytes(buf: Uint8Array): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return utf16le.decode(buf);
  try {
    return utf8.decode(buf); // strips a leading UTF-8 BOM (ignoreBOM: false)
  } catch {
    const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
    return decodeCp1252(bom ? buf.subarray(3) : buf);
  }
}

/**
 * Splits text into lines at CRLF, LF or a lone CR (mixed endings occur in real files, e.g.
 * `\r\r\n` is a line, an empty line, and the next). A final line ending does not produce a
 * trailing empty line; '' gives [].
 */
export function splitLines(text: string): string[] {
  const n = text.length;
  if (n === 0) return [];
  if (text.indexOf('\r') < 0) {
    const out = text.split('\n');
    if (text.charCodeAt(n - 1) === 0x0a) out.pop();
    return out;
  }
  const out: string[] = [];
  let s = 0;
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  while (lf >= 0 || cr >= 0) {
    if (cr < 0 || (lf >= 0 && lf < cr)) {
      out.push(text.slice(s, lf));
      s = lf + 1;
      lf = text.indexOf('\n', s);
    } else {
      out.push(text.slice(s, cr));
      s = cr + 1;
      if (lf === s) {
        s++;
        lf = text.indexOf('\n', s);
      }
      cr = text.indexOf('\r', s);
    }
  }
  if (s < n) out.push(text.slice(s));
  return out;
}
