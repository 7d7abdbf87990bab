/**
 * A `CliContext` for tests that keeps what a command writes: `out()` and `err()` return the text so far.
 * Writes are kept synchronously, so the text is complete as soon as the command's promise settles. The
 * environment is empty unless given (nothing leaks in from the shell running the tests), and the clock's
 * `sleep` returns at once.
 */
import { Writable } from 'node:stream';
import type { Clock } from '../src/data/rate-limit-wait.js';
import type { CliContext } from '../src/cli/cli-context.js';
import { main } from '../src/cli/main.js';

export interface CapturedIo extends CliContext {
  out(): string;
  err(): string;
}

const instantClock: Clock = { now: () => Date.now(), sleep: async () => {} };

export function captureIo(options: { env?: NodeJS.ProcessEnv; clock?: Clock } = {}): CapturedIo {
  const [o, e] = [textSink(), textSink()];
  // stderr is asked isTTY, which is then undefined: no redrawn progress bar.
  return {
    stdout: o.stream,
    stderr: e.stream as unknown as NodeJS.WriteStream,
    env: options.env ?? {},
    clock: options.clock ?? instantClock,
    out: o.text,
    err: e.text,
  };
}

function textSink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** `mimicbot <command> ...argv` through the dispatcher, as a function of argv and (optionally) a captured context. */
export function commandRunner(command: string): (argv: string[], io?: CapturedIo) => Promise<number> {
  return (argv, io = captureIo()) => main([command, ...argv], io);
}
