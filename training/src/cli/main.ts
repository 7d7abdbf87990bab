/**
 * The `mimicbot` training CLI: `mimicbot <command> [args]`. Each command lives in `cli/<command>.ts` and exports
 * `run<Command>(argv): Promise<number>` (kebab-case names become camel case: `prepare-data` -> `runPrepareData`),
 * so a new command is a new file; this dispatcher finds it by name.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { processIo, type CliIo } from './cli-io.js';
import { reportCliError } from './report-error.js';

const CLI_DIR = dirname(fileURLToPath(import.meta.url));
const COMMAND_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

type RunCommand = (argv: readonly string[], io?: CliIo) => Promise<number>;

export function runFunctionName(command: string): string {
  return `run${command.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase())}`;
}

/** Commands found beside this file: every module exporting `run<Name>` for its own file name. */
export async function listCommands(): Promise<string[]> {
  const commands: string[] = [];
  for (const file of (await readdir(CLI_DIR)).sort()) {
    const match = /^([a-z0-9-]+)\.ts$/.exec(file);
    if (!match || file.endsWith('.test.ts')) continue;
    const source = await readFile(join(CLI_DIR, file), 'utf8');
    if (source.includes(`export async function ${runFunctionName(match[1])}(`)) commands.push(match[1]);
  }
  return commands;
}

async function findCommand(command: string): Promise<RunCommand | undefined> {
  if (!COMMAND_NAME.test(command) || !(await listCommands()).includes(command)) return undefined;
  const module = (await import(pathToFileURL(join(CLI_DIR, `${command}.js`)).href)) as Record<string, unknown>;
  const run = module[runFunctionName(command)];
  return typeof run === 'function' ? (run as RunCommand) : undefined;
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  const usage = async () => `usage: mimicbot <command> [args]\ncommands: ${(await listCommands()).join(', ')}\n`;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(await usage());
    return command === undefined ? 2 : 0;
  }
  try {
    const run = await findCommand(command);
    if (!run) {
      io.stderr.write(`mimicbot: unknown command "${command}"\n${await usage()}`);
      return 2;
    }
    return await run(rest, io);
  } catch (error) {
    return reportCliError(error, io.stderr);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
