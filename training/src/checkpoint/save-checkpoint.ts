import { mkdir, writeFile } from 'node:fs/promises';
import { toHfConfig, type CheckpointLayout } from '@mimicbot/model-format';
import { join } from 'node:path';
import type { Gpt2Config, Gpt2Weights } from '../model/gpt2-config.js';
import { gpt2TensorShapes } from '../model/gpt2-config.js';
import { writeSafetensors, type TensorToWrite } from '../safetensors/index.js';

export interface SaveCheckpointOptions {
  /** Also store `lm_head.weight` (a second copy of wte in the file), as some exporters do. Default false: tied. */
  storeLmHead?: boolean;
}

/**
 * Writes a Hugging Face GPT-2 checkpoint folder, `config.json` + `model.safetensors` (float32), in the key
 * layout of `GPT2Model` (`h.0…`) or `GPT2LMHeadModel` (`transformer.h.0…`), which transformers loads as is.
 */
export async function saveHfCheckpoint(
  dir: string,
  config: Gpt2Config,
  weights: Gpt2Weights,
  layout: CheckpointLayout = 'GPT2LMHeadModel',
  options: SaveCheckpointOptions = {},
): Promise<void> {
  const prefix = layout === 'GPT2LMHeadModel' ? 'transformer.' : '';
  const tensors = new Map<string, TensorToWrite>();
  for (const [name, shape] of gpt2TensorShapes(config)) {
    const data = weights.get(name);
    if (!data) throw new Error(`saveHfCheckpoint: no weights for "${name}"`);
    tensors.set(prefix + name, { shape, data });
  }
  if (options.storeLmHead) tensors.set('lm_head.weight', { shape: [config.vocabSize, config.nEmbd], data: weights.get('wte.weight')! });

  await mkdir(dir, { recursive: true });
  await writeSafetensors(join(dir, 'model.safetensors'), tensors, { metadata: { format: 'pt' } });
  await writeFile(join(dir, 'config.json'), `${JSON.stringify(toHfConfig(config, layout), null, 2)}\n`);
}
