/**
 * The default model's validation figures, over the whole validation split: bits per byte (comparable with
 * any tokenizer, see src/train/bits-per-byte.ts) and how many decoding steps a post takes.
 */
import { readFile } from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';
import { splitTrainingText } from '../../src/data/prepare-dataset.js';
import { bitsPerByte, streamBytes, streamLoss } from '../../src/train/bits-per-byte.js';
import { tokenizeCorpus } from '../../src/train/token-corpus.js';
import { readTokenizerFiles } from '@mimicbot/model-format';
import type { TrainerState } from '../../src/train/trainer.js';
import { TrainingSession } from '../../src/train/training-session.js';

export interface Measured {
  posts: number;
  bytes: number;
  predictions: number;
  natsPerToken: number;
  bitsPerByte: number;
  /** Mean tokens per validation post, its end-of-text included: the decoding steps a post takes. */
  stepsPerPost: number;
  /** The same for the byte-level tokenizer: bytes per post + 1. */
  byteStepsPerPost: number;
}

export async function measureValidation(state: TrainerState, validFile: string, tokenizerDir: string, threads: number): Promise<Measured> {
  const text = await readFile(validFile, 'utf8');
  const posts = splitTrainingText(text);
  const files = await readTokenizerFiles(tokenizerDir);
  const hf = new Tokenizer(files.tokenizerJson, files.tokenizerConfig);
  const eos = state.config.eosTokenId;
  const { stream } = tokenizeCorpus(text, (t) => hf.encode(t, { add_special_tokens: false }).ids, eos);
  const session = await TrainingSession.create(state.config, 'loss', { threads });
  try {
    const { nats, predictions } = await streamLoss(session, state.weights, stream, 8, state.config.nPositions, eos);
    const bytes = streamBytes(posts);
    return {
      posts: posts.length,
      bytes,
      predictions,
      natsPerToken: nats / predictions,
      bitsPerByte: bitsPerByte(nats, bytes),
      stepsPerPost: predictions / posts.length,
      byteStepsPerPost: bytes / posts.length,
    };
  } finally {
    await session.release();
  }
}
