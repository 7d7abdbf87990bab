export { describeShape, writeModelFolder, type ModelFolderContents, type WriteModelFolderOptions } from './write-model-folder.js';
export { writeRandomModel, type RandomModelOptions } from './write-random-model.js';
