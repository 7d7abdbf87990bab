import { describe, expect, it } from 'vitest';
import { captureIo } from '@mimicbot/training/testing';
import { COMMANDS } from './commands.js';
import { main } from './main.js';

const COMMAND_NAMES = ['fetch', 'import', 'prepare', 'download', 'train', 'export', 'sample', 'convert', 'init', 'quantize', 'eval', 'feedback'];

describe('the CLI dispatcher', () => {
  it('lists every command with its one-line description on --help, and exits 0', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/^usage: mimicbot <command>/);
    for (const name of COMMAND_NAMES) expect(io.out()).toMatch(new RegExp(`^  ${name} +[a-z].{20,}$`, 'm'));
    expect(io.err()).toBe('');
  });

  it("loads, for each name in the table, the command of that name", async () => {
    expect(COMMANDS.map(([name]) => name)).toEqual(COMMAND_NAMES);
    for (const [name, load] of COMMANDS) expect((await load()).name).toBe(name);
  });

  it('exits 2 with the overview on stderr when no command is given', async () => {
    const io = captureIo();
    expect(await main([], io)).toBe(2);
    expect(io.err()).toMatch(/^usage: mimicbot <command>/);
    expect(io.out()).toBe('');
  });

  it('refuses names that are not commands, including paths', async () => {
    for (const name of ['nope', '../cli/convert', 'cli-context', 'Convert', 'main', 'constructor', '__proto__']) {
      const io = captureIo();
      expect(await main([name], io)).toBe(2);
      expect(io.err().split('\n')[0]).toBe(`mimicbot: unknown command "${name}"`);
    }
  });

  it.each(COMMAND_NAMES)('prints the help of %s for --help and -h, exit 0, with no complaint', async (name) => {
    for (const flag of ['--help', '-h']) {
      const io = captureIo();
      expect(await main([name, flag], io)).toBe(0);
      expect(io.out()).toMatch(new RegExp(`^mimicbot ${name}: .+\\n\\nusage: mimicbot ${name}`));
      expect(io.out()).toContain('options:');
      expect(io.err()).toBe('');
    }
    // also after other arguments, and through `mimicbot help <command>`
    const late = captureIo();
    expect(await main([name, 'some-arg', '--help'], late)).toBe(0);
    const viaHelp = captureIo();
    expect(await main(['help', name], viaHelp)).toBe(0);
    expect(viaHelp.out()).toBe(late.out());
  });

  it("shows train's defaults in its help: 1000 steps, batches of 8 x 128, lr 6e-4", async () => {
    const io = captureIo();
    await main(['train', '--help'], io);
    const line = (flag: string) => io.out().split('\n').find((l) => l.trimStart().startsWith(`${flag} `)) ?? '';
    expect(line('--steps')).toMatch(/\(default: 1000\)$/);
    expect(line('--batch')).toMatch(/\(default: 8\)$/);
    expect(line('--seq')).toMatch(/\(default: 128\)$/);
    expect(line('--lr')).toMatch(/\(default: 6e-4\)$/);
    expect(line('--min-lr')).toMatch(/\(default: lr \/ 10\)$/);
    expect(line('--data')).toMatch(/\(required\)$/);
  });

  it('gives every option of every command a description, and a default unless it is a flag or required', async () => {
    for (const name of COMMAND_NAMES) {
      const io = captureIo();
      await main([name, '--help'], io);
      const rows = io.out().split('options:\n')[1].split('\n\n')[0].split('\n').filter((l) => l.startsWith('  --'));
      for (const row of rows) {
        const [, flag, value] = /^ {2}(--[\w-]+)( \S+)?/.exec(row) ?? [];
        if (value === undefined || flag === undefined) continue; // a boolean flag: its default is off
        expect(row, `${name} ${flag}`).toMatch(/\((default: .+|required)\)$/);
      }
    }
  });

  it('runs a command with the rest of the arguments and returns its exit code', async () => {
    const io = captureIo();
    expect(await main(['convert', '/nonexistent-checkpoint', '/nonexistent-out', '--quiet'], io)).toBe(1);
    expect(io.err()).toBe('mimicbot: /nonexistent-checkpoint: no such folder\n');
  });
});
