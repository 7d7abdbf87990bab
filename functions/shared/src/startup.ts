/**
 * What a function's entry point does with its config: parse it, and when it is wrong print every problem,
 * one line each, and exit non-zero. Without this a bad variable surfaces as functions-framework's "Provided
 * module can't be loaded" and a stack trace naming one problem at a time.
 */
import { ConfigError } from './config-reader.js';

/** The lines printed for a config that cannot start `functionName`. */
export function describeConfigError(functionName: string, error: ConfigError): string[] {
  const count = error.problems.length;
  return [
    `${functionName}: cannot start: ${count === 1 ? 'a problem' : `${count} problems`} with its environment variables:`,
    ...error.problems.map((problem) => `  ${problem.variable}: ${problem.message}`),
  ];
}

export function configOrExit<T>(
  functionName: string,
  parse: () => T,
  io: { writeLine?: (line: string) => void; exit?: (code: number) => never } = {},
): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const writeLine = io.writeLine ?? ((line: string) => console.error(line));
    for (const line of describeConfigError(functionName, error)) writeLine(line);
    return (io.exit ?? process.exit)(1);
  }
}
