/**
 * The training package's typed errors. Every expected failure (a bad file, a bad config, a bad argument)
 * is one of these: it carries a `code` for programs, the `file` it concerns, and a message that reads
 * `<file>: <problem>` so the CLI can print it as one line with no stack trace. Errors about a model folder's
 * files (config.json, the tokenizer, the graph, the card) are @mimicbot/model-format's ModelFolderError.
 */
export class MimicbotFileError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly file: string;
  readonly problem: string;

  constructor(code: Code, file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${problem}`, options);
    this.name = new.target.name;
    this.code = code;
    this.file = file;
    this.problem = problem;
  }
}

export type SafetensorsErrorCode =
  | 'SAFETENSORS_TRUNCATED'
  | 'SAFETENSORS_BAD_HEADER'
  | 'SAFETENSORS_BAD_OFFSETS'
  | 'SAFETENSORS_BAD_DTYPE'
  | 'SAFETENSORS_BAD_TENSOR'
  | 'SAFETENSORS_IO';

/** A safetensors file that cannot be read or written. */
export class SafetensorsError extends MimicbotFileError<SafetensorsErrorCode> {}

export type CheckpointErrorCode =
  | 'CHECKPOINT_NOT_FOUND'
  | 'CHECKPOINT_PYTORCH_ONLY'
  | 'CHECKPOINT_BAD_CONFIG'
  | 'CHECKPOINT_MISSING_TENSOR'
  | 'CHECKPOINT_UNEXPECTED_TENSOR'
  | 'CHECKPOINT_BAD_SHAPE'
  | 'CHECKPOINT_UNTIED_HEAD';

/** A Hugging Face checkpoint folder that does not describe a GPT-2 we can load. */
export class CheckpointError extends MimicbotFileError<CheckpointErrorCode> {}
