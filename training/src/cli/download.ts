/**
 * `download <model>`: a base checkpoint (config.json, model.safetensors, tokenizer files) from the Hugging
 * Face hub into a folder that `convert` and the trainer start from; resumable and checksummed.
 */
import { downloadModel, type FileResult } from '../hub/download-model.js';
import { DEFAULT_HF_ENDPOINT, resolveRepoId } from '../hub/hub-repo.js';
import { createProgressBar, type ProgressBar } from '../progress.js';
import { UsageError } from './cli-context.js';
import { defineCommand } from './define-command.js';

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

export const downloadCommand = defineCommand({
  name: 'download',
  description: 'fetch a base GPT-2 checkpoint from the Hugging Face hub (resumable, checksummed)',
  args: [{ name: 'model', description: 'gpt2, gpt2-medium, distilgpt2 or owner/name' }],
  options: {
    out: { type: 'string', placeholder: 'DIR', defaultText: 'models/<name>', description: 'the folder to download into' },
    revision: { type: 'string', placeholder: 'REV', default: 'main', description: 'branch, tag or commit' },
    force: { type: 'boolean', description: 'download files the folder already has again' },
    quiet: { type: 'boolean', description: 'no progress bars' },
  },
  notes: [
    `environment: HF_ENDPOINT (default ${DEFAULT_HF_ENDPOINT}), HF_TOKEN (only for private or gated repos)`,
    'A download cut off midway keeps its <file>.part, and the next run resumes it; any other failure',
    'leaves no files behind.',
  ],
  async run({ args, options, context }) {
    const config = parseDownloadConfig(context.env);
    // The default folder is named after the repo, which resolveRepoId has checked is a plain name.
    const outDir = options.out ?? `models/${resolveRepoId(args.model).split('/')[1]}`;
    const { stderr, stdout } = context;
    let bar: ProgressBar | undefined;
    const stopBar = () => {
      bar?.stop();
      bar = undefined;
    };
    try {
      const result = await downloadModel({
        model: args.model,
        endpoint: config.endpoint,
        token: config.token,
        revision: options.revision,
        outDir,
        force: options.force,
        onProgress: (file, received, total) => {
          // A bar only for files worth watching: config and tokenizer files arrive before it could draw.
          if (bar === undefined && total !== undefined && total >= BAR_MIN_BYTES) {
            bar = createProgressBar(file.padEnd(24), { unit: 'MB', scale: 1e6, stream: stderr, quiet: options.quiet });
          }
          bar?.update(received, total ?? received);
        },
        onRetry: (file, { attempt, attempts, kept, reason }) => {
          stopBar();
          stderr.write(`  ${file}: connection lost at ${(kept / 1e6).toFixed(1)} MB (${reason}); resuming, try ${attempt} of ${attempts}\n`);
        },
        onFileDone: (file, outcome) => {
          stopBar();
          const line = describeOutcome(outcome);
          if (line) stderr.write(`  ${file}: ${line}\n`);
        },
      });
      const commit = Object.values(result.files).find((f) => f.status === 'downloaded' && f.meta.commit);
      stdout.write(
        `downloaded ${result.repo}@${options.revision}` +
          (commit?.status === 'downloaded' ? ` (commit ${commit.meta.commit?.slice(0, 12)})` : '') +
          ` into ${result.dir}\n`,
      );
    } finally {
      stopBar();
    }
  },
});

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
