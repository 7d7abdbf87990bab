import { mkdir, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
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
 *
 * When the download fails, what it leaves depends on whether the next run can resume: a `.part` holding
 * bytes (a connection lost midway) is kept with the folder, as the error says; anything else this run wrote
 * is removed, and so is the folder if this run made it, so a failure never leaves an empty or half model
 * folder to be mistaken for one.
 */
export async function downloadModel(options: DownloadModelOptions): Promise<DownloadedModel> {
  const repo = resolveRepoId(options.model);
  const firstMade = await mkdir(options.outDir, { recursive: true });
  const written: string[] = [];
  try {
    return await downloadInto(options, repo, written);
  } catch (error) {
    await cleanUpAfterFailure(options.outDir, firstMade, written);
    throw error;
  }
}

async function downloadInto(options: DownloadModelOptions, repo: string, written: string[]): Promise<DownloadedModel> {
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
    if (outcome.status === 'downloaded') written.push(dest);
    files[name] = outcome;
    options.onFileDone?.(name, outcome);
  }
  return { repo, dir: options.outDir, files };
}

async function cleanUpAfterFailure(dir: string, firstMade: string | undefined, written: string[]): Promise<void> {
  const parts = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.part')).map((f) => join(dir, f));
  const sizes = await Promise.all(parts.map((p) => stat(p).then((s) => s.size, () => 0)));
  if (sizes.some((size) => size > 0)) return; // resumable: the next run goes on from the .part
  await Promise.all([...written, ...parts].map((f) => rm(f, { force: true })));
  if (firstMade === undefined) return;
  // Remove the folders this run made, innermost first, each only if nothing else is in it.
  for (let d = resolve(dir); d.length >= resolve(firstMade).length; d = dirname(d)) {
    if (!(await rmdir(d).then(() => true, () => false))) return;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
