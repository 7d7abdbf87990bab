/**
 * A model folder whose tokenizer files cannot be used. The message reads `<file>: <problem> (<how to fix>)`
 * so start-up can print it as one line.
 */
export class TokenizerFolderError extends Error {
  readonly file: string;
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${problem}`, options);
    this.name = 'TokenizerFolderError';
    this.file = file;
  }
}
