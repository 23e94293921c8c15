/**
 * A small YAML reader for the tests (no YAML library is installed): block mappings and
 * sequences, `- key: value` items, flow sequences/maps of scalars, quoted and plain scalars
 * (plain ones may continue on more-indented lines), `|`/`>` block scalars and comments.
 * No anchors, aliases, tags or multi-document streams: enough for the example configurations
 * and for `docker-compose config` output.
 */

export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
}

/** Strip a trailing comment (a `#` at the start or after a space, outside quotes). */
function stripComment(s: string): string {
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s:[{,-]/.test(s[i - 1] as string)) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(s[i - 1] as string))) {
      return s.slice(0, i).trimEnd();
    }
  }
  return s.trimEnd();
}

/** Index of the `:` that ends a mapping key, or -1. */
function keyColon(s: string): number {
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if ((c === '"' || c === "'") && i === 0) quote = c;
    else if (c === '[' || c === '{') return -1;
    else if (c === ':' && (i + 1 === s.length || s[i + 1] === ' ')) return i;
  }
  return -1;
}

function splitFlow(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let cur = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i] as string;
    if (quote) {
      if (c === '\\' && quote === '"') {
        cur += c + (inner[++i] ?? '');
        continue;
      }
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

export function scalar(raw: string): Yaml {
  const s = raw.trim();
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) {
    return s.slice(1, -1).replace(/\\(["\\/nrt0]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/g, (_m, e: string) => {
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', r: '\r', t: '\t', '0': '\0' };
      return simple[e] ?? String.fromCharCode(parseInt(e.slice(1), 16));
    });
  }
  if (s.startsWith("'") && s.endsWith("'") && s.length >= 2) return s.slice(1, -1).replaceAll("''", "'");
  if (s.startsWith('[') && s.endsWith(']')) return splitFlow(s.slice(1, -1)).map(scalar);
  if (s.startsWith('{') && s.endsWith('}')) {
    const out: Record<string, Yaml> = {};
    for (const part of splitFlow(s.slice(1, -1))) {
      const at = keyColon(part);
      if (at < 0) out[String(scalar(part))] = null;
      else out[String(scalar(part.slice(0, at)))] = scalar(part.slice(at + 1));
    }
    return out;
  }
  if (s === '' || s === '~' || s === 'null') return null;
  if (s === 'true' || s === 'false') return s === 'true';
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return s;
}

export function parseYaml(src: string): Yaml {
  const lines: Line[] = [];
  const raw = src.replace(/\r\n?/g, '\n').split('\n');
  for (const l of raw) lines.push({ indent: l.length - l.trimStart().length, text: l.trim() });
  let i = 0;

  const skip = (): void => {
    while (i < lines.length && (stripComment((lines[i] as Line).text) === '' || /^(---|\.\.\.|%)/.test((lines[i] as Line).text))) i++;
  };
  const cur = (): Line | undefined => {
    skip();
    return lines[i];
  };

  function blockScalar(style: string, parentIndent: number): string {
    const body: string[] = [];
    let ind: number | undefined;
    while (i < lines.length) {
      const l = lines[i] as Line;
      if (l.text !== '' && l.indent <= parentIndent) break;
      ind ??= l.text !== '' ? l.indent : undefined;
      body.push(l.text === '' ? '' : raw[i]!.slice(ind ?? 0));
      i++;
    }
    while (body.length && body.at(-1) === '') body.pop();
    return style.startsWith('|') ? `${body.join('\n')}\n` : `${body.join(' ')}\n`;
  }

  function value(rest: string, ownIndent: number): Yaml {
    if (rest === '|' || rest === '|-' || rest === '>' || rest === '>-') return blockScalar(rest, ownIndent);
    if (rest !== '') {
      let text = rest;
      // A plain scalar may continue on more-indented lines.
      while (!/^["'[{]/.test(rest)) {
        const next = cur();
        if (!next || next.indent <= ownIndent || next.text.startsWith('- ') || keyColon(next.text) >= 0) break;
        text += ` ${stripComment(next.text)}`;
        i++;
      }
      return scalar(text);
    }
    const next = cur();
    if (!next) return null;
    if (next.indent > ownIndent) return node(next.indent);
    if (next.indent === ownIndent && (next.text === '-' || next.text.startsWith('- '))) return node(ownIndent, true);
    return null;
  }

  function node(indent: number, seqOnly = false): Yaml {
    const first = cur();
    if (!first) return null;
    if (first.text === '-' || first.text.startsWith('- ')) {
      const out: Yaml[] = [];
      for (let l = cur(); l && l.indent === indent && (l.text === '-' || l.text.startsWith('- ')); l = cur()) {
        const rest = stripComment(l.text.slice(1)).trimStart();
        const restIndent = indent + (l.text.length - l.text.slice(1).trimStart().length);
        if (rest !== '' && keyColon(rest) >= 0 && !/^["'[{]/.test(rest)) {
          lines[i] = { indent: restIndent, text: rest }; // `- key: v` starts a mapping at the key's column
          out.push(node(restIndent));
        } else {
          i++;
          out.push(value(rest, indent));
        }
      }
      return out;
    }
    if (seqOnly) return null;
    const out: Record<string, Yaml> = {};
    for (let l = cur(); l && l.indent === indent && !l.text.startsWith('- '); l = cur()) {
      const text = stripComment(l.text);
      const at = keyColon(text);
      if (at < 0) throw new Error(`mini-yaml: expected "key: value" at line ${i + 1}: ${l.text}`);
      const key = String(scalar(text.slice(0, at)));
      i++;
      out[key] = value(text.slice(at + 1).trim(), indent);
    }
    return out;
  }

  const first = cur();
  return first ? node(first.indent) : null;
}
