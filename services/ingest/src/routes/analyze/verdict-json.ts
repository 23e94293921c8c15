/**
 * Verdicts → UTF-8 JSON bytes, the answer of `POST /analyze`, written straight into bytes.
 *
 * `res.json` costs twice per answer: `JSON.stringify` builds a string of every verdict, then
 * `Buffer.from` encodes it to UTF-8 again; at 1,000 lines per request the two took more of the
 * request's CPU than scoring. This writer emits the same bytes as
 * `Buffer.from(JSON.stringify(verdicts))` in one pass (verdict-json.test.ts checks that on
 * arbitrary verdicts and strings): keys in the order scorer.ts sets them, absent (undefined)
 * members left out, strings escaped as JSON.stringify does (`\"`, `\\`, `\b \f \n \r \t`,
 * `\u00xx` for other control characters, `\udxxx` for lone surrogates, everything else UTF-8),
 * non-finite numbers as `null`.
 */
import type { Contribution, Familiarity, Verdict } from '@logforest/core';

const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** Short escapes JSON.stringify uses (by code unit), 0 = none. */
const SHORT = new Uint8Array(128);
SHORT[0x08] = 0x62; // \b
SHORT[0x09] = 0x74; // \t
SHORT[0x0a] = 0x6e; // \n
SHORT[0x0c] = 0x66; // \f
SHORT[0x0d] = 0x72; // \r
SHORT[0x22] = 0x22; // \"
SHORT[0x5c] = 0x5c; // \\

/** Pre-encoded constant text (keys and punctuation). */
const lit = (s: string): Buffer => Buffer.from(s, 'latin1');
const K = {
  timestamp: lit('{"timestamp":'),
  log: lit(',"log":'),
  score: lit(',"anomaly_score":'),
  anomalyTrue: lit(',"is_anomaly":true,"threshold":'),
  anomalyFalse: lit(',"is_anomaly":false,"threshold":'),
  version: lit(',"model_version":'),
  host: lit(',"host":'),
  source: lit(',"source":'),
  template: lit(',"template":'),
  templateId: lit(',"template_id":'),
  level: lit(',"level":'),
  signature: lit(',"signature":'),
  familiarity: lit(',"familiarity":{"signature":'),
  seenTrue: lit(',"seen_in_training":true,"template_count":'),
  seenFalse: lit(',"seen_in_training":false,"template_count":'),
  signatureCount: lit(',"signature_count":'),
  entity: lit(',"entity":'),
  explanation: lit(',"explanation":['),
  feature: lit('{"feature":'),
  value: lit(',"value":'),
  contribution: lit(',"contribution":'),
  envelope: lit('{"model_version":'),
  verdicts: lit(',"verdicts":'),
  null: lit('null'),
};

/** Answers up to this size are copied out of the writer's buffer; bigger ones take it. */
const TAKE_COPY_MAX = 16 * 1024;

/** A growable byte buffer, reused between answers (small answers are copied out, big ones take it). */
export class JsonWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(private readonly initialBytes = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Start a new answer (drops what a failed one left half-written). */
  reset(): void {
    this.pos = 0;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  raw(bytes: Buffer): void {
    const n = bytes.length;
    this.ensure(n);
    if (n > 64) {
      bytes.copy(this.buf, this.pos);
      this.pos += n;
      return;
    }
    // The keys are short: a loop beats Buffer#copy's call into C++ (profile of bench:compare-analyze).
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = bytes[i] as number;
    this.pos = p;
  }

  /** A number as JSON.stringify writes it (non-finite: null). */
  number(n: number): void {
    if (!Number.isFinite(n)) return this.raw(K.null);
    const s = String(n);
    this.ensure(s.length);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** A JSON string literal, escaped as JSON.stringify escapes it, UTF-8 encoded. */
  string(s: string): void {
    const n = s.length;
    this.ensure(n * 6 + 2); // the longest form of a code unit is \uXXXX
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c !== 0x22 && c !== 0x5c) buf[p++] = c;
        else if (SHORT[c] !== 0) {
          buf[p++] = 0x5c;
          buf[p++] = SHORT[c] as number;
        } else p = unicodeEscape(buf, p, c);
      } else if (c < 0x800) {
        buf[p++] = 0xc0 | (c >> 6);
        buf[p++] = 0x80 | (c & 0x3f);
      } else if (c < 0xd800 || c > 0xdfff) {
        buf[p++] = 0xe0 | (c >> 12);
        buf[p++] = 0x80 | ((c >> 6) & 0x3f);
        buf[p++] = 0x80 | (c & 0x3f);
      } else {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          buf[p++] = 0xf0 | (cp >> 18);
          buf[p++] = 0x80 | ((cp >> 12) & 0x3f);
          buf[p++] = 0x80 | ((cp >> 6) & 0x3f);
          buf[p++] = 0x80 | (cp & 0x3f);
          i++;
        } else p = unicodeEscape(buf, p, c); // a lone surrogate
      }
    }
    buf[p++] = 0x22;
    this.pos = p;
  }

  /** A copy of what was written (the writer's own buffer is reused), and reset. */
  take(): Buffer {
    const n = this.pos;
    this.pos = 0;
    if (n <= TAKE_COPY_MAX) {
      const out = Buffer.allocUnsafeSlow(n);
      this.buf.copy(out, 0, 0, n);
      return out;
    }
    // A big answer keeps the buffer it was written in (copying it cost ~6 % of a 1,000-line
    // request); the writer starts the next one in a fresh buffer of the size this one needed
    // (not the capacity one huge answer grew it to).
    const out = this.buf.subarray(0, n);
    let size = this.initialBytes;
    while (size < n) size *= 2;
    this.buf = Buffer.allocUnsafeSlow(size);
    return out;
  }
}

function unicodeEscape(buf: Buffer, p: number, c: number): number {
  buf[p++] = 0x5c;
  buf[p++] = 0x75;
  buf[p++] = HEX[(c >> 12) & 15] as number;
  buf[p++] = HEX[(c >> 8) & 15] as number;
  buf[p++] = HEX[(c >> 4) & 15] as number;
  buf[p++] = HEX[c & 15] as number;
  return p;
}

/** `,"key":"value"` when the member is set (undefined: left out, as JSON.stringify does; null: `null`). */
function optionalString(w: JsonWriter, key: Buffer, value: string | null | undefined): void {
  if (value === undefined) return;
  w.raw(key);
  if (value === null) w.raw(K.null);
  else w.string(value);
}

function writeFamiliarity(w: JsonWriter, f: Familiarity): void {
  w.raw(K.familiarity);
  w.string(f.signature);
  w.raw(f.seen_in_training ? K.seenTrue : K.seenFalse);
  w.number(f.template_count);
  w.raw(K.signatureCount);
  w.number(f.signature_count);
  optionalString(w, K.entity, f.entity);
  w.byte(0x7d);
}

function writeExplanation(w: JsonWriter, list: Contribution[]): void {
  w.raw(K.explanation);
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as Contribution;
    if (i > 0) w.byte(0x2c);
    w.raw(K.feature);
    w.string(c.feature);
    w.raw(K.value);
    w.number(c.value);
    w.raw(K.contribution);
    w.number(c.contribution);
    w.byte(0x7d);
  }
  w.byte(0x5d);
}

/** One verdict, members in the order the scorer sets them. */
export function writeVerdict(w: JsonWriter, v: Verdict): void {
  w.raw(K.timestamp);
  w.string(v.timestamp);
  w.raw(K.log);
  w.string(v.log);
  w.raw(K.score);
  w.number(v.anomaly_score);
  w.raw(v.is_anomaly ? K.anomalyTrue : K.anomalyFalse);
  w.number(v.threshold);
  w.raw(K.version);
  w.string(v.model_version);
  optionalString(w, K.host, v.host);
  optionalString(w, K.source, v.source);
  optionalString(w, K.template, v.template);
  optionalString(w, K.templateId, v.template_id);
  optionalString(w, K.level, v.level);
  optionalString(w, K.signature, v.signature);
  if (v.familiarity !== undefined) writeFamiliarity(w, v.familiarity);
  if (v.explanation !== undefined) writeExplanation(w, v.explanation);
  w.byte(0x7d);
}

function writeVerdicts(w: JsonWriter, verdicts: Verdict[]): void {
  w.byte(0x5b);
  for (let i = 0; i < verdicts.length; i++) {
    if (i > 0) w.byte(0x2c);
    writeVerdict(w, verdicts[i] as Verdict);
  }
  w.byte(0x5d);
}

/** The answer's bytes: the verdict array, or `{"model_version", "verdicts"}` with `envelope`. */
export function verdictsJson(w: JsonWriter, verdicts: Verdict[], envelope?: { modelVersion: string }): Buffer {
  w.reset();
  if (envelope) {
    w.raw(K.envelope);
    w.string(envelope.modelVersion);
    w.raw(K.verdicts);
    writeVerdicts(w, verdicts);
    w.byte(0x7d);
  } else writeVerdicts(w, verdicts);
  return w.take();
}
