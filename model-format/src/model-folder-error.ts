/**
 * The one error of the model-folder format. Every expected failure (a missing file, a bad field, a value out
 * of bounds, a file too large) is one of these: a `code` for programs, the `file` it concerns, the `field`
 * when one is at fault, and a message `<file>: <problem>` of printable text on one line, so a CLI or a
 * server can print it as is.
 */
import { printable } from './printable.js';

export type ModelFolderErrorCode =
  /** The folder itself is missing or is not a folder. */
  | 'MODEL_FOLDER_NOT_FOUND'
  /** The folder would be overwritten (writers). */
  | 'MODEL_FOLDER_EXISTS'
  | 'MODEL_CONFIG_NOT_FOUND'
  /** config.json / generation_config.json: not JSON, a wrong type, a value out of bounds. */
  | 'MODEL_CONFIG_INVALID'
  /** A valid config.json for a model or variant we do not run (model_type, activation, ...). */
  | 'MODEL_CONFIG_UNSUPPORTED'
  | 'MODEL_GRAPH_NOT_FOUND'
  | 'TOKENIZER_NOT_FOUND'
  | 'TOKENIZER_INVALID'
  | 'MODEL_CARD_INVALID'
  /** A file past the size we are willing to read. */
  | 'FILE_TOO_LARGE';

export class ModelFolderError extends Error {
  readonly code: ModelFolderErrorCode;
  readonly file: string;
  /** The config key (or tokenizer field) at fault, when there is one. */
  readonly field: string | undefined;
  readonly problem: string;

  constructor(code: ModelFolderErrorCode, file: string, problem: string, options: { field?: string; cause?: unknown } = {}) {
    const clean = printable(problem, 400);
    super(`${printable(file, 400)}: ${clean}`, { cause: options.cause });
    this.name = 'ModelFolderError';
    this.code = code;
    this.file = file;
    this.field = options.field;
    this.problem = clean;
  }
}
