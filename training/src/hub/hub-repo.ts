import { HubError } from './hub-error.js';

/** The public hub; `HF_ENDPOINT` (read by the CLI) points elsewhere, e.g. a mirror or a test server. */
export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';

/**
 * Short names people type for the base models, mapped to the repositories the hub now keeps them in
 * (the hub also redirects the old names, but going straight there is one round trip less and one
 * dependency fewer on a redirect the hub may drop).
 */
export const MODEL_ALIASES: Record<string, string> = {
  gpt2: 'openai-community/gpt2',
  'gpt2-medium': 'openai-community/gpt2-medium',
  distilgpt2: 'distilbert/distilgpt2',
};

/** What a GPT-2 checkpoint folder needs (required) and what it has when the repo ships it (optional). */
export const CHECKPOINT_FILES = {
  required: ['config.json', 'model.safetensors'],
  optional: [
    'generation_config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    'vocab.json',
    'merges.txt',
    'special_tokens_map.json',
  ],
} as const;

const REPO_ID = /^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/;

/** `gpt2` → `openai-community/gpt2`; `owner/name` as given, after checking its shape. */
export function resolveRepoId(model: string): string {
  const repo = MODEL_ALIASES[model] ?? model;
  if (!REPO_ID.test(repo) || repo.includes('..')) {
    throw new HubError('HUB_BAD_MODEL_NAME', `"${model}" is not a model name: use gpt2, distilgpt2 or owner/name`);
  }
  return repo;
}

/** `${endpoint}/{repo}/resolve/{revision}/{file}`, the URL the hub serves a file's content at. */
export function resolveUrl(endpoint: string, repo: string, revision: string, file: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${repo}/resolve/${encodeURIComponent(revision)}/${file}`;
}
