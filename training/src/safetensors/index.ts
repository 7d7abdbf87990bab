export { openSafetensors, readSafetensors, type SafetensorsReader, type ReadOptions } from './read.js';
export { writeSafetensors, type TensorToWrite, type WriteOptions } from './write.js';
export type { TensorInfo } from './header.js';
export { isFloatDtype } from './dtypes.js';
