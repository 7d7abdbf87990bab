/**
 * What a CLI command may touch besides its arguments: the two output streams, the environment and the clock,
 * passed in so tests can capture the output and set the environment without touching the process.
 */
import { systemClock, type Clock } from '../data/rate-limit-wait.js';

export interface CliContext {
  stdout: NodeJS.WritableStream;
  /** a WriteStream because progress bars ask it `isTTY` */
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  clock: Clock;
}

export const processContext: CliContext = { stdout: process.stdout, stderr: process.stderr, env: process.env, clock: systemClock };

/** Bad command-line arguments (or a bad combination of them): reported as `mimicbot: <command>: <problem>`, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure that is not about one file and not a bug (a run that cannot go on): `mimicbot: <command>: <problem>`, exit 1. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
}
