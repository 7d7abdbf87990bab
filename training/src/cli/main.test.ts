import { describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.js';
import { listCommands, main, runFunctionName } from './main.js';

describe('the CLI dispatcher', () => {
  it('maps kebab-case command names to their run function', () => {
    expect(runFunctionName('convert')).toBe('runConvert');
    expect(runFunctionName('prepare-data')).toBe('runPrepareData');
  });

  it('finds the commands beside it and nothing else', async () => {
    const commands = await listCommands();
    expect(commands).toEqual(expect.arrayContaining(['convert', 'init', 'sample']));
    expect(commands).not.toContain('main');
    expect(commands).not.toContain('cli-io');
    expect(commands).not.toContain('report-error');
  });

  it('lists the commands on --help and exits 0', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/^usage: mimicbot <command> \[args\]\ncommands: .*convert/);
  });

  it('exits 2 with usage when no command is given', async () => {
    const io = captureIo();
    expect(await main([], io)).toBe(2);
    expect(io.err()).toMatch(/^usage: mimicbot/);
  });

  it('refuses names that are not commands, including paths', async () => {
    for (const name of ['nope', '../cli/convert', 'cli-io', 'Convert']) {
      const io = captureIo();
      expect(await main([name], io)).toBe(2);
      expect(io.err()).toMatch(new RegExp(`^mimicbot: unknown command "${name.replace(/[.]/g, '\\.')}"`));
    }
  });

  it("runs a command with the rest of the arguments and returns its exit code", async () => {
    const io = captureIo();
    expect(await main(['convert', '/nonexistent-checkpoint', '/nonexistent-out', '--quiet'], io)).toBe(1);
    expect(io.err()).toBe('mimicbot: /nonexistent-checkpoint: no such folder\n');
  });
});
