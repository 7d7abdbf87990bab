import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Gpt2Config, Gpt2Weights } from '../src/model/gpt2-config.js';
import { initGpt2Weights } from '../src/model/init-weights.js';
import { tinyGpt2Config } from '../src/model/tiny-config.js';
import { buildByteLevelTokenizer } from '../src/tokenizer/index.js';
import type { CheckpointLayout } from '@mimicbot/model-format';
import { saveHfCheckpoint } from '../src/checkpoint/save-checkpoint.js';

export interface TinyCheckpointOptions {
  layout?: CheckpointLayout;
  storeLmHead?: boolean;
  seed?: number;
  /** Also write the byte-level tokenizer.json and tokenizer_config.json, as save_pretrained would. */
  withTokenizer?: boolean;
  config?: Partial<Gpt2Config>;
}

/** A random tiny GPT-2 saved as a Hugging Face checkpoint folder; returns what it saved. */
export async function writeTinyCheckpoint(dir: string, options: TinyCheckpointOptions = {}): Promise<{ config: Gpt2Config; weights: Gpt2Weights }> {
  const config = tinyGpt2Config({ nEmbd: 16, nHead: 2, nLayer: 2, nPositions: 16, ...options.config });
  const weights = initGpt2Weights(config, options.seed ?? 1);
  await saveHfCheckpoint(dir, config, weights, options.layout ?? 'GPT2LMHeadModel', { storeLmHead: options.storeLmHead });
  if (options.withTokenizer ?? true) {
    const { tokenizerJson, tokenizerConfig } = buildByteLevelTokenizer(config.nPositions);
    await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson));
    await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
  }
  return { config, weights };
}
