export { downloadModel, type DownloadedModel, type DownloadModelOptions, type FileResult } from './download-model.js';
export { downloadFile, type DownloadOutcome } from './download-file.js';
export { HubError, type HubErrorCode } from './hub-error.js';
export { CHECKPOINT_FILES, DEFAULT_HF_ENDPOINT, MODEL_ALIASES, resolveRepoId, resolveUrl } from './hub-repo.js';
