import { describe, expect, it } from 'vitest';
import { MimicbotFileError } from '../errors.js';
import { captureIo } from '@mimicbot/training/testing';
import { CommandFailure, UsageError } from './cli-context.js';
import { defineCommand } from './define-command.js';

/** A command that records what it was given, and fails in the way `--fail` asks. */
function greet(seen: unknown[] = []) {
  return defineCommand({
    name: 'greet',
    description: 'say hello',
    args: [
      { name: 'who', description: 'whom to greet' },
      { name: 'more', description: 'others', optional: true },
    ],
    options: {
      times: { type: 'integer', min: 1, max: 5, default: 1, description: 'how many times' },
      ratio: { type: 'number', min: 0, description: 'a number' },
      tone: { type: 'choice', choices: ['warm', 'cool', 'dry'], default: 'warm', description: 'how' },
      name: { type: 'string', placeholder: 'NAME', required: true, description: 'your name' },
      loud: { type: 'boolean', description: 'shout' },
      fail: { type: 'string', description: 'fail this way' },
    },
    notes: ['environment: GREETING (ignored)'],
    async run({ args, options, context }) {
      seen.push({ args, options });
      if (options.fail === 'file') throw new MimicbotFileError('X', 'in/file.txt:3', 'bad\nthing\u001b[31m');
      if (options.fail === 'usage') throw new UsageError('--ratio and --loud do not mix');
      if (options.fail === 'failure') throw new CommandFailure('the run could not go on');
      if (options.fail === 'bug') throw new TypeError('x is undefined');
      if (options.fail === 'fs') throw Object.assign(new Error('EISDIR: illegal operation on a directory, read'), { code: 'EISDIR', path: 'data/dataset' });
      context.stdout.write(`hello ${args.who}\n`.repeat(options.times));
      return options.loud ? 3 : undefined;
    },
  });
}

async function run(argv: string[]) {
  const seen: unknown[] = [];
  const io = captureIo();
  const code = await greet(seen).run(argv, io);
  return { code, out: io.out(), err: io.err(), seen };
}

describe('defineCommand', () => {
  it('parses arguments and options into their types, with defaults for what is left out', async () => {
    const result = await run(['bob', '--name', 'al', '--times', '2', '--ratio', '0.5', '--tone=dry']);
    expect(result.seen).toEqual([{ args: { who: 'bob', more: undefined }, options: { times: 2, ratio: 0.5, tone: 'dry', name: 'al', loud: false, fail: undefined } }]);
    expect(result).toMatchObject({ code: 0, out: 'hello bob\nhello bob\n', err: '' });
    expect((await run(['bob', 'carol', '--name', 'al'])).seen).toEqual([
      { args: { who: 'bob', more: 'carol' }, options: { times: 1, ratio: undefined, tone: 'warm', name: 'al', loud: false, fail: undefined } },
    ]);
  });

  it('returns the exit code run returns, 0 when it returns nothing', async () => {
    expect((await run(['bob', '--name', 'al', '--loud'])).code).toBe(3);
  });

  it.each([
    [['bob', '--name', 'al', '--times', '0'], '--times must be an integer from 1 to 5, got "0"'],
    [['bob', '--name', 'al', '--times', '1.5'], '--times must be an integer from 1 to 5, got "1.5"'],
    [['bob', '--name', 'al', '--ratio', 'lots'], '--ratio must be a number >= 0, got "lots"'],
    [['bob', '--name', 'al', '--ratio', ''], '--ratio must be a number >= 0, got ""'],
    [['bob', '--name', 'al', '--tone', 'loud'], '--tone must be one of "warm", "cool", "dry", got "loud"'],
    [['bob'], '--name is required: your name'],
    [['bob', '--name', 'al', '--frobnicate'], 'unknown option --frobnicate'],
    [['bob', '--name'], "Option '--name <value>' argument missing"],
    [['bob', '--name', 'al', '--loud=yes'], "Option '--loud' does not take an argument"],
    [['--name', 'al'], 'expected <who> [<more>], got none'],
    [['a', 'b', 'c', '--name', 'al'], 'expected <who> [<more>], got "a" "b" "c"'],
  ])('refuses %j: one line naming the problem, then the usage line, exit 2, and does not run', async (argv, problem) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.err).toBe(`mimicbot: greet: ${problem}\nusage: mimicbot greet <who> [<more>] --name NAME [options] (--help lists the options)\n`);
    expect(result.seen).toEqual([]);
  });

  it('prints its help, with every option, its default and the notes, for --help anywhere before --', async () => {
    const result = await run(['bob', '--times', 'x', '--help']);
    expect(result).toMatchObject({ code: 0, err: '', seen: [] });
    expect(result.out).toBe(
      [
        'mimicbot greet: say hello',
        '',
        'usage: mimicbot greet <who> [<more>] --name NAME [options]',
        '',
        'arguments:',
        '  <who>                 whom to greet',
        '  [<more>]              others',
        '',
        'options:',
        '  --times N             how many times (default: 1)',
        '  --ratio X             a number',
        '  --tone warm|cool|dry  how (default: warm)',
        '  --name NAME           your name (required)',
        '  --loud                shout',
        '  --fail VALUE          fail this way',
        '  -h, --help            show this help',
        '',
        'environment: GREETING (ignored)',
        '',
      ].join('\n'),
    );
    expect((await run(['--name', 'al', '--', '--help'])).seen).toEqual([expect.objectContaining({ args: { who: '--help', more: undefined } })]);
  });

  it.each([
    ['file', 1, 'mimicbot: in/file.txt:3: bad thing\\u001b[31m\n'],
    ['usage', 2, 'mimicbot: greet: --ratio and --loud do not mix\n'],
    ['failure', 1, 'mimicbot: greet: the run could not go on\n'],
    ['fs', 1, 'mimicbot: data/dataset: is a folder, expected a file\n'],
  ])('reports a %s error thrown while running as one line, exit %d', async (kind, code, line) => {
    const result = await run(['bob', '--name', 'al', '--fail', kind]);
    expect(result.code).toBe(code);
    expect(result.err).toBe(line);
  });

  it('keeps the stack of an unexpected error, since it is a bug', async () => {
    const result = await run(['bob', '--name', 'al', '--fail', 'bug']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^mimicbot: internal error: TypeError: x is undefined\n\s+at /);
  });
});
