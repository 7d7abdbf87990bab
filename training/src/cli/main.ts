/**
 * The `mimicbot` CLI: `mimicbot <command> [arguments] [options]`, dispatching to the table in commands.ts.
 * `mimicbot --help` lists the commands, `mimicbot <command> --help` (or `mimicbot help <command>`) shows one.
 */
import { pathToFileURL } from 'node:url';
import { processContext, type CliContext } from './cli-context.js';
import { COMMANDS } from './commands.js';
import type { Command } from './define-command.js';

type CommandTable = typeof COMMANDS;

export async function main(argv: readonly string[], context: CliContext = processContext, commands: CommandTable = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    context.stderr.write(await overview(commands));
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic === undefined) {
      context.stdout.write(await overview(commands));
      return 0;
    }
    const command = await find(commands, topic);
    if (!command) return unknown(topic, context, commands);
    context.stdout.write(command.help());
    return 0;
  }
  const command = await find(commands, name);
  if (!command) return unknown(name, context, commands);
  return command.run(rest, context);
}

async function find(commands: CommandTable, name: string): Promise<Command | undefined> {
  const load = commands.find(([n]) => n === name)?.[1];
  return load?.();
}

async function unknown(name: string, context: CliContext, commands: CommandTable): Promise<number> {
  context.stderr.write(`mimicbot: unknown command ${JSON.stringify(name)}\n${await overview(commands)}`);
  return 2;
}

async function overview(commands: CommandTable): Promise<string> {
  const loaded = await Promise.all(commands.map(([, load]) => load()));
  const width = Math.max(...loaded.map((c) => c.name.length));
  return [
    'usage: mimicbot <command> [arguments] [options]',
    '',
    'commands:',
    ...loaded.map((c) => `  ${c.name.padEnd(width)}  ${c.description}`),
    '',
    'mimicbot <command> --help shows its arguments and options, with their defaults.',
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
