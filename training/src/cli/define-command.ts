/**
 * `defineCommand`: a CLI command from one declaration (its name, a one-line description, positional
 * arguments, options with their types and defaults, and what it does). The command it returns
 *
 * - prints its help, defaults included, for `--help` / `-h` anywhere before `--`, and exits 0;
 * - parses argv with node:util `parseArgs`, converts every option to its type, checks it and fills in its
 *   default, and checks the number of positional arguments: a problem is `mimicbot: <command>: <problem>`
 *   plus the usage line, exit 2;
 * - runs, and turns any failure into one line through the CLI's error boundary (report-error.ts): exit 1
 *   (exit 2 for a `UsageError` thrown while running).
 *
 * Adding a command is one file that exports `defineCommand({...})` and one line in commands.ts. For example:
 *
 *     export const greetCommand = defineCommand({
 *       name: 'greet',
 *       description: 'says hello',
 *       args: [{ name: 'who', description: 'whom to greet' }],
 *       options: { times: { type: 'integer', min: 1, default: 1, description: 'how many times' } },
 *       async run({ args, options, context }) {
 *         context.stdout.write(`hello ${args.who}\n`.repeat(options.times));
 *       },
 *     });
 *
 * `args.who` is a string and `options.times` a number, typed from the declaration.
 */
import { parseArgs } from 'node:util';
import { processContext, UsageError, type CliContext } from './cli-context.js';
import { oneLine, reportCliError } from './report-error.js';

/** One `--option`. Without a `default` (or `required`) a string or number option is `undefined` when not given. */
export type OptionSpec =
  | { type: 'boolean'; description: string }
  | { type: 'string'; description: string; placeholder?: string; default?: string; defaultText?: string; required?: true }
  | { type: 'integer' | 'number'; description: string; placeholder?: string; min?: number; max?: number; default?: number; defaultText?: string }
  | { type: 'choice'; description: string; choices: readonly string[]; default?: string; defaultText?: string };

/** One positional argument; `variadic` takes the rest (at least one), `optional` may be left out (last only). */
export interface ArgSpec {
  name: string;
  description: string;
  optional?: true;
  variadic?: true;
}

type BaseValue<S> = S extends { type: 'choice'; choices: readonly (infer C)[] } ? C : S extends { type: 'integer' | 'number' } ? number : string;
type OptionValue<S> = S extends { type: 'boolean' } ? boolean : S extends { default: unknown } | { required: true } ? BaseValue<S> : BaseValue<S> | undefined;
type ArgValue<A> = A extends { variadic: true } ? string[] : A extends { optional: true } ? string | undefined : string;

export type OptionValues<O> = { -readonly [K in keyof O]: OptionValue<O[K]> };
export type ArgValues<P extends readonly ArgSpec[]> = { [A in P[number] as A['name']]: ArgValue<A> };

export interface CommandInput<O, P extends readonly ArgSpec[]> {
  args: ArgValues<P>;
  options: OptionValues<O>;
  context: CliContext;
}

export interface CommandSpec<O extends Record<string, OptionSpec>, P extends readonly ArgSpec[]> {
  /** what the user types after `mimicbot` */
  name: string;
  /** one line, lower case, no full stop: shown in `mimicbot --help` and atop the command's help */
  description: string;
  args: P;
  options: O;
  /** further lines for the help, after the options (environment variables, what gets written where) */
  notes?: readonly string[];
  /** the exit code; nothing means 0 */
  run(input: CommandInput<O, P>): Promise<number | void>;
}

export interface Command {
  readonly name: string;
  readonly description: string;
  /** the one-line synopsis, `usage: mimicbot <name> ...` */
  usage(): string;
  help(): string;
  run(argv: readonly string[], context?: CliContext): Promise<number>;
}

export function defineCommand<const O extends Record<string, OptionSpec>, const P extends readonly ArgSpec[]>(spec: CommandSpec<O, P>): Command {
  return {
    name: spec.name,
    description: spec.description,
    usage: () => usageLine(spec),
    help: () => helpText(spec),
    async run(argv, context = processContext) {
      if (asksForHelp(argv)) {
        context.stdout.write(helpText(spec));
        return 0;
      }
      let parsed: { args: ArgValues<P>; options: OptionValues<O> };
      try {
        parsed = parseCommandLine(spec, argv);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        context.stderr.write(`mimicbot: ${spec.name}: ${oneLine(error.message)}\n${usageLine(spec)} (--help lists the options)\n`);
        return 2;
      }
      try {
        return (await spec.run({ ...parsed, context })) ?? 0;
      } catch (error) {
        return reportCliError(error, context.stderr, spec.name);
      }
    },
  };
}

function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

function parseCommandLine<O extends Record<string, OptionSpec>, P extends readonly ArgSpec[]>(
  spec: CommandSpec<O, P>,
  argv: readonly string[],
): { args: ArgValues<P>; options: OptionValues<O> } {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type === 'boolean' ? 'boolean' : 'string' }] as const)),
    });
  } catch (error) {
    throw new UsageError(parseArgsProblem(error));
  }
  const options: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(spec.options)) options[name] = optionValue(name, option, parsed.values[name]);
  return { args: argValues(spec.args, parsed.positionals) as ArgValues<P>, options: options as OptionValues<O> };
}

/** parseArgs' message, first line only and without its advice about `--` (a path never starts with a dash here). */
function parseArgsProblem(error: unknown): string {
  const message = String((error as Error)?.message ?? error);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  return message.split('\n')[0].replace(/\.$/, '');
}

function optionValue(name: string, option: OptionSpec, raw: string | boolean | undefined): unknown {
  if (option.type === 'boolean') return raw === true;
  if (raw === undefined) {
    if (option.type === 'string' && option.required) throw new UsageError(`--${name} is required: ${option.description}`);
    return option.default;
  }
  const text = String(raw);
  switch (option.type) {
    case 'string':
      return text;
    case 'choice':
      if (!option.choices.includes(text)) throw new UsageError(`--${name} must be ${alternatives(option.choices)}, got "${text}"`);
      return text;
    case 'integer':
    case 'number': {
      const n = Number(text);
      const { min, max } = option;
      const ok = text.trim() !== '' && (option.type === 'integer' ? Number.isInteger(n) : Number.isFinite(n)) && (min === undefined || n >= min) && (max === undefined || n <= max);
      if (!ok) throw new UsageError(`--${name} must be ${option.type === 'integer' ? 'an integer' : 'a number'}${range(min, max)}, got "${text}"`);
      return n;
    }
  }
}

function range(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` >= ${min}`;
  return max === undefined ? '' : ` <= ${max}`;
}

function alternatives(choices: readonly string[]): string {
  const quoted = choices.map((c) => `"${c}"`);
  return quoted.length <= 2 ? quoted.join(' or ') : `one of ${quoted.join(', ')}`;
}

function argValues(specs: readonly ArgSpec[], given: string[]): Record<string, string | string[] | undefined> {
  const required = specs.filter((a) => !a.optional).length;
  const variadic = specs.at(-1)?.variadic === true;
  if (given.length < required || (!variadic && given.length > specs.length)) {
    const expected = specs.length === 0 ? 'no arguments' : specs.map(argSynopsis).join(' ');
    throw new UsageError(`expected ${expected}, got ${given.length === 0 ? 'none' : given.map((g) => JSON.stringify(g)).join(' ')}`);
  }
  const values: Record<string, string | string[] | undefined> = {};
  specs.forEach((a, i) => (values[a.name] = a.variadic ? given.slice(i) : given[i]));
  return values;
}

function argSynopsis(a: ArgSpec): string {
  const text = `<${a.name}>${a.variadic ? '...' : ''}`;
  return a.optional ? `[${text}]` : text;
}

function placeholder(option: OptionSpec): string {
  switch (option.type) {
    case 'boolean':
      return '';
    case 'choice':
      return option.choices.join('|');
    case 'integer':
      return option.placeholder ?? 'N';
    case 'number':
      return option.placeholder ?? 'X';
    case 'string':
      return option.placeholder ?? 'VALUE';
  }
}

function optionSynopsis(name: string, option: OptionSpec): string {
  const value = placeholder(option);
  return value === '' ? `--${name}` : `--${name} ${value}`;
}

function usageLine(spec: CommandSpec<Record<string, OptionSpec>, readonly ArgSpec[]>): string {
  const entries = Object.entries(spec.options);
  const required = entries.filter(([, o]) => o.type === 'string' && o.required).map(([name, o]) => optionSynopsis(name, o));
  const others = entries.length > required.length ? ['[options]'] : [];
  return ['usage: mimicbot', spec.name, ...spec.args.map(argSynopsis), ...required, ...others].join(' ');
}

function helpText(spec: CommandSpec<Record<string, OptionSpec>, readonly ArgSpec[]>): string {
  const rows: [string, string][] = [
    ...spec.args.map((a): [string, string] => [argSynopsis(a), a.description]),
    ...Object.entries(spec.options).map(([name, o]): [string, string] => [optionSynopsis(name, o), `${o.description}${defaultNote(o)}`]),
    ['-h, --help', 'show this help'],
  ];
  const width = Math.max(...rows.map(([left]) => left.length));
  const row = ([left, right]: [string, string]) => `  ${left.padEnd(width)}  ${right}`;
  const argRows = rows.slice(0, spec.args.length);
  return [
    `mimicbot ${spec.name}: ${spec.description}`,
    '',
    usageLine(spec),
    '',
    ...(argRows.length > 0 ? ['arguments:', ...argRows.map(row), ''] : []),
    'options:',
    ...rows.slice(spec.args.length).map(row),
    ...(spec.notes?.length ? ['', ...spec.notes] : []),
    '',
  ].join('\n');
}

function defaultNote(option: OptionSpec): string {
  if (option.type === 'boolean') return '';
  if (option.type === 'string' && option.required) return ' (required)';
  const text = option.defaultText ?? (option.default === undefined ? undefined : String(option.default));
  return text === undefined ? '' : ` (default: ${text})`;
}
