export { loadHfCheckpoint, type HfCheckpoint, type LoadCheckpointOptions } from './load-checkpoint.js';
export { saveHfCheckpoint, type SaveCheckpointOptions } from './save-checkpoint.js';
