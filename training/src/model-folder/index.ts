export { writeModelFolder, type ModelFolderContents, type WriteModelFolderOptions } from './write-model-folder.js';
export { readModelConfig } from './read-model-config.js';
export { fromHfConfig, toHfConfig, toGenerationConfig } from './hf-config.js';
export { ModelFolderError, type ModelFolderErrorCode } from './model-folder-error.js';
export { writeRandomModel, type RandomModelOptions } from './write-random-model.js';
