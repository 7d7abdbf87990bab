/**
 * The flags that give a new model its shape (`--layers --heads --embd --positions --vocab`), shared by
 * `init` and `train` (from scratch), so both name, check and default them the same way.
 */
import type { TokenizerFiles } from '@mimicbot/model-format';
import type { Gpt2Config } from '../model/gpt2-config.js';
import { BYTE_LEVEL_VOCAB_SIZE, buildByteLevelTokenizer, buildGpt2Tokenizer } from '../tokenizer/index.js';
import { intOption, UsageError } from './cli-io.js';

export const GPT2_VOCAB_SIZE = 50257;

export type Vocab = 'bytes' | 'gpt2';

/** The `parseArgs` options for the shape flags; spread into a command's own options. */
export const MODEL_SHAPE_OPTIONS = {
  layers: { type: 'string' },
  heads: { type: 'string' },
  embd: { type: 'string' },
  positions: { type: 'string' },
  vocab: { type: 'string' },
} as const;

export type ModelShapeFlags = Partial<Record<keyof typeof MODEL_SHAPE_OPTIONS, string>>;

/** `base` with the given flags applied; the vocabulary also sets the size and the end-of-text id. */
export function modelShapeFromFlags(values: ModelShapeFlags, base: Gpt2Config, defaultVocab: Vocab): { config: Gpt2Config; vocab: Vocab } {
  const vocab = values.vocab ?? defaultVocab;
  if (vocab !== 'bytes' && vocab !== 'gpt2') throw new UsageError(`--vocab must be "bytes" or "gpt2", got "${vocab}"`);
  const endOfText = vocab === 'gpt2' ? GPT2_VOCAB_SIZE - 1 : BYTE_LEVEL_VOCAB_SIZE - 1;
  const config: Gpt2Config = {
    ...base,
    nLayer: intOption(values.layers, 'layers') ?? base.nLayer,
    nHead: intOption(values.heads, 'heads') ?? base.nHead,
    nEmbd: intOption(values.embd, 'embd') ?? base.nEmbd,
    nPositions: intOption(values.positions, 'positions') ?? base.nPositions,
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
