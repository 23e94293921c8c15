/**
 * Readers for the shipper configuration languages used in examples/ (just what the tests need):
 * Fluent Bit's classic `[SECTION]` format, Fluentd's `<directive>` format, Logstash's
 * `plugin { key => value }` format. YAML is read with the `yaml` package.
 */

/** One `[SECTION]` of a Fluent Bit classic config: keys lower-cased, repeated keys kept in order. */
export interface FbSection {
  name: string;
  entries: Array<[string, string]>;
  get(key: string): string | undefined;
  all(key: string): string[];
}

export function readFluentBit(text: string): FbSection[] {
  const out: FbSection[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([A-Z_]+)\]$/i.exec(line);
    if (header) {
      const entries: Array<[string, string]> = [];
      out.push({
        name: (header[1] as string).toUpperCase(),
        entries,
        get: (k) => entries.find(([key]) => key === k.toLowerCase())?.[1],
        all: (k) => entries.filter(([key]) => key === k.toLowerCase()).map(([, v]) => v),
      });
      continue;
    }
    const m = /^(\S+)\s+(.*)$/.exec(line);
    const section = out.at(-1);
    if (!m || !section) throw new Error(`fluent-bit: cannot read line: ${raw}`);
    section.entries.push([(m[1] as string).toLowerCase(), (m[2] as string).trim()]);
  }
  return out;
}

/** A Fluentd directive (`<match jboss.**>` …): its parameters and nested directives. */
export interface FdDirective {
  name: string;
  arg: string;
  params: Record<string, string>;
  children: FdDirective[];
}

export function readFluentd(text: string): FdDirective[] {
  const root: FdDirective = { name: 'root', arg: '', params: {}, children: [] };
  const stack = [root];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const top = stack.at(-1) as FdDirective;
    const open = /^<([a-z_]+)\s*([^>]*)>$/i.exec(line);
    const close = /^<\/([a-z_]+)>$/i.exec(line);
    if (close) {
      if (top.name !== close[1]) throw new Error(`fluentd: </${close[1]}> closes <${top.name}>`);
      stack.pop();
    } else if (open) {
      const d: FdDirective = { name: open[1] as string, arg: (open[2] as string).trim(), params: {}, children: [] };
      top.children.push(d);
      stack.push(d);
    } else {
      const m = /^(\S+)\s*(.*)$/.exec(line) as RegExpExecArray;
      top.params[m[1] as string] = (m[2] as string).trim();
    }
  }
  if (stack.length !== 1) throw new Error('fluentd: unclosed directive');
  return root.children;
}

export function fdChild(d: FdDirective, name: string): FdDirective | undefined {
  return d.children.find((c) => c.name === name);
}

/** A Fluentd string parameter: quotes removed, `"#{ENV['X']}"` expanded from `env`. */
export function fdString(value: string | undefined, env: Record<string, string>): string | undefined {
  if (value === undefined) return undefined;
  const v = value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  return v.replace(/#\{ENV\['([A-Z0-9_]+)'\]\}/g, (_m, name: string) => env[name] ?? '');
}

/** Strip `# …` comments from a Logstash config (outside double quotes). */
function stripLogstashComments(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        if (line[i] === '"' && line[i - 1] !== '\\') quoted = !quoted;
        else if (line[i] === '#' && !quoted) return line.slice(0, i);
      }
      return line;
    })
    .join('\n');
}

/** The body of the first `name { … }` block (braces outside strings balanced, comments removed). */
export function logstashBlock(text: string, name: string): string | undefined {
  const src = stripLogstashComments(text);
  const m = new RegExp(`(^|[\\s{])${name}\\s*\\{`).exec(src);
  if (!m) return undefined;
  let depth = 0;
  let quoted = false;
  const start = m.index + m[0].length;
  for (let i = start - 1; i < src.length; i++) {
    if (src[i] === '"' && src[i - 1] !== '\\') quoted = !quoted;
    else if (quoted) continue;
    else if (src[i] === '{') depth++;
    else if (src[i] === '}' && --depth === 0) return src.slice(start, i);
  }
  return undefined;
}

/** `key => value` settings of a Logstash plugin block (values: strings, numbers, arrays, hashes). */
export function logstashSettings(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z_][\w]*)\s*=>\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\]|\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*\}|[^\s{}]+)/g;
  for (let m = re.exec(block); m; m = re.exec(block)) out[m[1] as string] ??= m[2] as string;
  return out;
}

/** A Logstash quoted string, unquoted (escapes are not processed by Logstash by default). */
export function lsString(v: string | undefined): string | undefined {
  return v?.startsWith('"') ? v.slice(1, -1) : v;
}

/** `{ "A" => "b" }` → { A: 'b' } */
export function lsHash(v: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of (v ?? '').matchAll(/"([^"]+)"\s*=>\s*"([^"]*)"/g)) out[m[1] as string] = m[2] as string;
  return out;
}

/** Expand `${NAME}` and `${NAME:default}` / `${NAME:-default}` references (Fluent Bit, Filebeat, Vector, Logstash). */
export function expandEnv(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::-?([^}]*))?\}/g, (_m, name: string, def?: string) => env[name] ?? def ?? '');
}

/** A `/regex/` as written in Fluent Bit and Fluentd configs → RegExp. */
export function slashRegex(v: string): RegExp {
  const s = v.replace(/^"|"$/g, '');
  const m = /^\/(.*)\/$/.exec(s);
  if (!m) throw new Error(`not a /regex/: ${v}`);
  return new RegExp(m[1] as string);
}

/**
 * Group raw lines into events the way the shippers' multiline settings here do:
 * a line matching `start` begins an event, any other line continues the previous one.
 */
export function groupEvents(lines: readonly string[], start: RegExp): string[] {
  const events: string[] = [];
  for (const line of lines) {
    if (start.test(line) || events.length === 0) events.push(line);
    else events[events.length - 1] += `\n${line}`;
  }
  return events;
}
