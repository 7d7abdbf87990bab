/** The streams a CLI command writes to, passed in so tests can capture them. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** Thrown for bad command-line arguments; the command prints the message and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses a whole number option, naming the flag when it is not one. */
export function intOption(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} must be an integer >= ${min}, got "${value}"`);
  return n;
}

/** Parses a number option, naming the flag when it is not one. */
export function numberOption(value: string | undefined, flag: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min) throw new UsageError(`--${flag} must be a number >= ${min}, got "${value}"`);
  return n;
}
