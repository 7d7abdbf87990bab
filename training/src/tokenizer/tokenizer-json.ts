/**
 * Assembles a Hugging Face `tokenizer.json` (format version 1.0) for a byte-level BPE, the layout
 * GPT-2's own file uses, and the matching `tokenizer_config.json`.
 */

import type { TokenizerFiles } from '@mimicbot/model-format';

export const END_OF_TEXT = '<|endoftext|>';

export interface ByteLevelBpeSpec {
  /** token (in byte-to-unicode characters) -> id */
  vocab: Record<string, number>;
  /** merge rules in priority order, each a pair of existing tokens */
  merges: [string, string][];
  /** id of `<|endoftext|>`, the only special token */
  endOfTextId: number;
  /** longest sequence the model accepts, written as `model_max_length` */
  modelMaxLength: number;
}

// GPT-2 splits text with its regex and never adds a leading space: "Hello" and " Hello" stay different tokens.
const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };

export function byteLevelBpeTokenizer(spec: ByteLevelBpeSpec): TokenizerFiles {
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: spec.endOfTextId,
        content: END_OF_TEXT,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: true,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: spec.vocab,
      merges: spec.merges,
    },
  };
  const tokenizerConfig = {
    add_bos_token: false,
    add_prefix_space: false,
    bos_token: END_OF_TEXT,
    eos_token: END_OF_TEXT,
    unk_token: END_OF_TEXT,
    // Tweets must decode to exactly what was encoded; GPT-2's original `true` would turn "a ." into "a.".
    clean_up_tokenization_spaces: false,
    errors: 'replace',
    model_max_length: spec.modelMaxLength,
    pad_token: null,
    tokenizer_class: 'GPT2Tokenizer',
  };
  return { tokenizerJson, tokenizerConfig };
}
