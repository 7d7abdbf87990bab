import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadFile, type DownloadOutcome } from './download-file.js';
import { HubError } from './hub-error.js';
import { CHECKPOINT_FILES, resolveRepoId, resolveUrl } from './hub-repo.js';

export interface DownloadModelOptions {
  /** `gpt2`, `distilgpt2` or `owner/name` */
  model: string;
  endpoint: string;
  revision: string;
  outDir: string;
  token?: string;
  /** download again even where the folder already has the file */
  force?: boolean;
  attempts?: number;
  retryDelayMs?: number;
  fetch?: typeof fetch;
  onFileStart?: (file: string) => void;
  onProgress?: (file: string, received: number, total: number | undefined) => void;
  onRetry?: (file: string, info: { attempt: number; attempts: number; kept: number; reason: string }) => void;
  onFileDone?: (file: string, outcome: FileResult) => void;
}

export type FileResult = DownloadOutcome | { status: 'kept' };

export interface DownloadedModel {
  repo: string;
  dir: string;
  files: Record<string, FileResult>;
}

/**
 * Fetches a base checkpoint into a Hugging Face–layout folder (config.json, model.safetensors, tokenizer
 * files when the repo has them), the folder `convert` and the trainer start from. Files already in the
 * folder are kept: every file is renamed into place only after it was verified, so one that exists is whole.
 */
export async function downloadModel(options: DownloadModelOptions): Promise<DownloadedModel> {
  const repo = resolveRepoId(options.model);
  await mkdir(options.outDir, { recursive: true });
  const files: Record<string, FileResult> = {};
  const wanted = [
    ...CHECKPOINT_FILES.required.map((name) => ({ name, required: true })),
    ...CHECKPOINT_FILES.optional.map((name) => ({ name, required: false })),
  ];
  for (const { name, required } of wanted) {
    const dest = join(options.outDir, name);
    if (!options.force && (await exists(dest))) {
      files[name] = { status: 'kept' };
      options.onFileDone?.(name, files[name]);
      continue;
    }
    options.onFileStart?.(name);
    const outcome = await downloadFile({
      url: resolveUrl(options.endpoint, repo, options.revision, name),
      dest,
      label: `${repo}/${name}`,
      token: options.token,
      attempts: options.attempts,
      retryDelayMs: options.retryDelayMs,
      fetch: options.fetch,
      onProgress: (received, total) => options.onProgress?.(name, received, total),
      onRetry: (info) => options.onRetry?.(name, info),
    });
    if (outcome.status === 'missing' && required) {
      throw new HubError(
        'HUB_NOT_FOUND',
        `${repo}: no ${name} at revision "${options.revision}"` +
          (name === 'model.safetensors' ? ' (only PyTorch .bin weights? those are not supported)' : ''),
      );
    }
    files[name] = outcome;
    options.onFileDone?.(name, outcome);
  }
  return { repo, dir: options.outDir, files };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
