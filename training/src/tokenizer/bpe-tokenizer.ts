/**
 * A learned byte-level BPE as Hugging Face tokenizer files (GPT-2's layout: tokens written in
 * byte-to-unicode characters, merges as pairs of tokens, `<|endoftext|>` as the last id), and back.
 */
import type { LearnedBpe } from './learned-bpe.js';
import { byteLevelString } from './pre-tokenize.js';
import type { TokenizerFiles } from '@mimicbot/model-format';
import { byteLevelBpeTokenizer, END_OF_TEXT } from './tokenizer-json.js';

export function bpeTokenizerFiles(learned: LearnedBpe, modelMaxLength: number): TokenizerFiles {
  const spelled = learned.tokens.map(byteLevelString);
  const vocab: Record<string, number> = {};
  spelled.forEach((token, id) => {
    vocab[token] = id;
  });
  const merges = learned.merges.map(({ left, right }): [string, string] => [spelled[left], spelled[right]]);
  return byteLevelBpeTokenizer({ vocab, merges, endOfTextId: learned.tokens.length, modelMaxLength });
}

/** Size of the vocabulary and the id of `<|endoftext|>` in a byte-level BPE tokenizer.json (ours or GPT-2's). */
export function tokenizerVocabulary(files: TokenizerFiles): { vocabSize: number; endOfTextId: number } {
  const json = files.tokenizerJson as { model?: { vocab?: Record<string, number> }; added_tokens?: { id: number; content: string }[] };
  const ids = Object.values(json.model?.vocab ?? {});
  const added = json.added_tokens ?? [];
  const endOfText = added.find((t) => t.content === END_OF_TEXT)?.id ?? json.model?.vocab?.[END_OF_TEXT];
  if (ids.length === 0 || endOfText === undefined) throw new Error(`tokenizer.json: not a byte-level BPE with ${END_OF_TEXT} (no model.vocab, or no ${END_OF_TEXT})`);
  const vocabSize = [...ids, ...added.map((t) => t.id)].reduce((a, b) => Math.max(a, b), -1) + 1;
  return { vocabSize, endOfTextId: endOfText };
}
