/**
 * The options that give a new model its shape (`--layers --heads --embd --positions --vocab`), shared by
 * `init` and `train` (from scratch), so both name, check and default them the same way.
 */
import type { Gpt2Config } from '../model/gpt2-config.js';
import type { TokenizerFiles } from '@mimicbot/model-format';
import { BYTE_LEVEL_VOCAB_SIZE, buildByteLevelTokenizer, buildGpt2Tokenizer } from '../tokenizer/index.js';
import { UsageError } from './cli-context.js';

export const GPT2_VOCAB_SIZE = 50257;

export type Vocab = 'bytes' | 'gpt2';

/** The shape options; `defaults` is the help text saying where an option left out comes from. */
export function modelShapeOptions(defaults: { layers: string; heads: string; embd: string; positions: string; vocab: string }) {
  return {
    layers: { type: 'integer', min: 1, defaultText: defaults.layers, description: 'transformer blocks (n_layer)' },
    heads: { type: 'integer', min: 1, defaultText: defaults.heads, description: 'attention heads per block (n_head)' },
    embd: { type: 'integer', min: 1, defaultText: defaults.embd, description: 'channels (n_embd); a multiple of --heads' },
    positions: { type: 'integer', min: 2, defaultText: defaults.positions, description: 'context length in tokens (n_positions)' },
    vocab: {
      type: 'choice',
      choices: ['bytes', 'gpt2'],
      defaultText: defaults.vocab,
      description: "tokenizer: bytes (257 ids, one per byte) or gpt2 (GPT-2's 50,257)",
    },
  } as const;
}

export interface ModelShapeValues {
  layers?: number;
  heads?: number;
  embd?: number;
  positions?: number;
  vocab?: Vocab;
}

/** `base` with the given options applied; the vocabulary also sets the size and the end-of-text id. */
export function modelShape(values: ModelShapeValues, base: Gpt2Config, defaultVocab: Vocab): { config: Gpt2Config; vocab: Vocab } {
  const vocab = values.vocab ?? defaultVocab;
  const endOfText = vocab === 'gpt2' ? GPT2_VOCAB_SIZE - 1 : BYTE_LEVEL_VOCAB_SIZE - 1;
  const config: Gpt2Config = {
    ...base,
    nLayer: values.layers ?? base.nLayer,
    nHead: values.heads ?? base.nHead,
    nEmbd: values.embd ?? base.nEmbd,
    nPositions: values.positions ?? base.nPositions,
    vocabSize: vocab === 'gpt2' ? GPT2_VOCAB_SIZE : BYTE_LEVEL_VOCAB_SIZE,
    bosTokenId: endOfText,
    eosTokenId: endOfText,
  };
  if (config.nEmbd % config.nHead !== 0) throw new UsageError(`--embd (${config.nEmbd}) must be divisible by --heads (${config.nHead})`);
  return { config, vocab };
}

/** The tokenizer a new model of this vocabulary gets. */
export function tokenizerForVocab(vocab: Vocab, nPositions: number): TokenizerFiles {
  return vocab === 'gpt2' ? buildGpt2Tokenizer() : buildByteLevelTokenizer(nPositions);
}
