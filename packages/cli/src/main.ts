/**
 * logforest — find unusual events in a log file, no Redis needed.
 * `logforest --help` lists the commands (commands/index.ts); `logforest <command> --help`
 * gives each one's options and examples (commands/<name>.ts).
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Command, OptionValues } from './command.ts';
import { commands } from './commands/index.ts';
import { CliError } from './input.ts';
import { writeOutput } from './output.ts';
import { configureProgress } from './progress.ts';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function usage(): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  return `usage: logforest <command> [options]

Find the unusual events in JBoss/WildFly server.log files and syslog-style logs with an
Isolation Forest, offline (no Redis).

commands:
${commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n')}

  logforest <command> --help   options and examples of one command
  logforest --version          the version
`;
}

export function commandHelp(c: Command): string {
  const opts = Object.entries(c.options).map(([name, o]) => [
    `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}${o.multiple ? ' …' : ''}`,
    o.help,
  ] as const);
  opts.push(['-h, --help', 'this text']);
  const w = Math.max(...opts.map(([k]) => k.length));
  return `usage: logforest ${c.name} ${c.args} [options]

${c.description}

options:
${opts.map(([k, h]) => `  ${k.padEnd(w)}  ${h}`).join('\n')}

examples:
${c.examples.map((e) => `  ${e}`).join('\n')}
`;
}

function parseConfig(c: Command, argv: string[]): ParseArgsConfig {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(c.options)) options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  return { args: argv, options, allowPositionals: true, strict: true };
}

/** Parses argv, runs the command and returns its output (errors: CliError with an exit code). */
export function execute(argv: string[]): string | Iterable<string> {
  const [name, ...rest] = argv;
  if (name === undefined) throw new CliError(`no command given\n\n${usage()}`, 2);
  if (name === '--version' || name === '-V' || name === 'version') return `logforest ${version}\n`;
  if (name === '--help' || name === '-h' || name === 'help') {
    const c = rest[0] === undefined ? undefined : commands.find((x) => x.name === rest[0]);
    if (rest[0] !== undefined && !c) throw new CliError(`unknown command "${rest[0]}" (see logforest --help)`, 2);
    return c ? commandHelp(c) : usage();
  }
  const c = commands.find((x) => x.name === name);
  if (!c) {
    const what = name.startsWith('-') ? `unknown option "${name}"` : `unknown command "${name}"`;
    throw new CliError(`${what}; commands: ${commands.map((x) => x.name).join(', ')} (see logforest --help)`, 2);
  }
  let parsed;
  try {
    parsed = parseArgs(parseConfig(c, rest));
  } catch (err) {
    throw new CliError(`${(err as Error).message.split('\n')[0]} (see logforest ${c.name} --help)`, 2);
  }
  const values = parsed.values as OptionValues;
  if (values['help']) return commandHelp(c);
  const args = parsed.positionals;
  const [min, max] = c.arity;
  if (args.length < min) throw new CliError(`${c.name} needs ${c.args} (see logforest ${c.name} --help)`, 2);
  if (args.length > max) throw new CliError(`unexpected arguments: ${args.slice(max).join(' ')} (see logforest ${c.name} --help)`, 2);
  configureProgress({ quiet: values['quiet'] === true });
  return c.run({ args, values, argv: rest });
}

/** execute() with the output as one string (for tests and tools). */
export function run(argv: string[]): string {
  const out = execute(argv);
  return typeof out === 'string' ? out : [...out].join('');
}

async function main(): Promise<void> {
  try {
    await writeOutput(execute(process.argv.slice(2)));
  } catch (err) {
    const cli = err instanceof CliError;
    process.stderr.write(`logforest: ${cli ? err.message : `unexpected error: ${(err as Error).message}`}\n`);
    process.exitCode = cli ? err.exitCode : 1;
  }
}

if (process.argv[1] && /(main\.ts|logforest(\.mjs)?)$/.test(process.argv[1])) await main();
