/**
 * `download <model>`: a base checkpoint (config.json, model.safetensors, tokenizer files) from the Hugging
 * Face hub into a folder that `convert` and the trainer start from; resumable and checksummed.
 */
import { parseArgs } from 'node:util';
import { downloadModel, type FileResult } from '../hub/download-model.js';
import { HubError } from '../hub/hub-error.js';
import { DEFAULT_HF_ENDPOINT } from '../hub/hub-repo.js';
import { createProgressBar, type ProgressBar } from '../progress.js';
import { processIo, UsageError, type CliIo } from './cli-io.js';
import { reportCliError } from './report-error.js';

export const DOWNLOAD_USAGE = `usage: download <gpt2 | distilgpt2 | owner/name> [--out DIR] [--revision REV] [--force] [--quiet]
  env: HF_ENDPOINT (default ${DEFAULT_HF_ENDPOINT}), HF_TOKEN (only for private or gated repos)`;

const BAR_MIN_BYTES = 1_000_000;

export interface DownloadConfig {
  endpoint: string;
  token?: string;
}

/** The download command's settings from the environment; only the CLI reads it. */
export function parseDownloadConfig(env: NodeJS.ProcessEnv): DownloadConfig {
  const endpoint = env.HF_ENDPOINT?.trim() || DEFAULT_HF_ENDPOINT;
  if (!/^https?:\/\//.test(endpoint)) throw new UsageError(`HF_ENDPOINT must be an http(s) URL, got "${endpoint}"`);
  return { endpoint, token: env.HF_TOKEN?.trim() || undefined };
}

export interface DownloadPlan {
  model: string;
  outDir: string;
  revision: string;
  force: boolean;
  quiet: boolean;
}

export function parseDownloadArgs(argv: readonly string[]): DownloadPlan {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { out: { type: 'string' }, revision: { type: 'string' }, force: { type: 'boolean' }, quiet: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one model name, got ${positionals.length} arguments`);
  const model = positionals[0];
  return {
    model,
    outDir: values.out ?? `models/${model.split('/').pop()}`,
    revision: values.revision ?? 'main',
    force: values.force ?? false,
    quiet: values.quiet ?? false,
  };
}

export async function runDownload(argv: readonly string[], io: CliIo = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let plan: DownloadPlan;
  let config: DownloadConfig;
  try {
    plan = parseDownloadArgs(argv);
    config = parseDownloadConfig(env);
  } catch (error) {
    io.stderr.write(`mimicbot: download: ${(error as Error).message}\n${DOWNLOAD_USAGE}\n`);
    return 2;
  }
  let bar: ProgressBar | undefined;
  try {
    const result = await downloadModel({
      model: plan.model,
      endpoint: config.endpoint,
      token: config.token,
      revision: plan.revision,
      outDir: plan.outDir,
      force: plan.force,
      onProgress: (file, received, total) => {
        // A bar only for files worth watching: config and tokenizer files arrive before it could draw.
        if (bar === undefined && total !== undefined && total >= BAR_MIN_BYTES) {
          bar = createProgressBar(file.padEnd(24), { unit: 'MB', scale: 1e6, stream: io.stderr, quiet: plan.quiet });
        }
        bar?.update(received, total ?? received);
      },
      onRetry: (file, { attempt, attempts, kept, reason }) => {
        bar?.stop();
        bar = undefined;
        io.stderr.write(`  ${file}: connection lost at ${(kept / 1e6).toFixed(1)} MB (${reason}); resuming, try ${attempt} of ${attempts}\n`);
      },
      onFileDone: (file, outcome) => {
        bar?.stop();
        bar = undefined;
        const line = describeOutcome(outcome);
        if (line) io.stderr.write(`  ${file}: ${line}\n`);
      },
    });
    const commit = Object.values(result.files).find((f) => f.status === 'downloaded' && f.meta.commit);
    io.stdout.write(
      `downloaded ${result.repo}@${plan.revision}` +
        (commit?.status === 'downloaded' ? ` (commit ${commit.meta.commit?.slice(0, 12)})` : '') +
        ` into ${result.dir}\n`,
    );
    return 0;
  } catch (error) {
    bar?.stop();
    if (error instanceof HubError) {
      io.stderr.write(`mimicbot: download: ${error.message}\n`);
      return 1;
    }
    return reportCliError(error, io.stderr);
  }
}

function describeOutcome(outcome: FileResult): string | undefined {
  switch (outcome.status) {
    case 'kept':
      return 'already there, kept (--force downloads it again)';
    case 'missing':
      return undefined; // an optional file the repo does not have
    case 'downloaded': {
      const check =
        outcome.verified === 'size-only'
          ? 'size checked (the hub gave no checksum)'
          : outcome.verified === 'none'
            ? 'not verified (the hub gave no checksum or size)'
            : `${outcome.verified} verified`;
      const resumed = outcome.resumedFrom > 0 ? `, resumed from ${outcome.resumedFrom} bytes` : '';
      return `${(outcome.bytes / 1e6).toFixed(1)} MB, ${check}${resumed}`;
    }
  }
}
