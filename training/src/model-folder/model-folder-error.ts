import { MimicbotFileError } from '../errors.js';

export type ModelFolderErrorCode =
  | 'MODEL_FOLDER_EXISTS'
  | 'MODEL_FOLDER_NOT_FOUND'
  | 'MODEL_FOLDER_BAD_CONFIG'
  | 'MODEL_FOLDER_UNKNOWN_MODEL_TYPE'
  | 'MODEL_FOLDER_BAD_TOKENIZER'
  | 'MODEL_FOLDER_BAD_WEIGHTS';

/** A model folder that cannot be written or read; the message reads `<file>: <problem>`. */
export class ModelFolderError extends MimicbotFileError<ModelFolderErrorCode> {}
