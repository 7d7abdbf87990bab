/**
 * Writes a model folder with random GPT-2 weights and the real GPT-2 tokenizer, with the same writer as
 * trained models, plus the server-shaped graph the engine prefers. For the server's stand-in default
 * model and for every test that needs the real server on a tiny model.
 */
import { SERVER_DECODER_FILE } from '@mimicbot/model-format';
import type { Gpt2Config } from '../model/gpt2-config.js';
import { initGpt2Weights } from '../model/init-weights.js';
import { tinyGpt2Config } from '../model/tiny-config.js';
import { buildGpt2ServerDecoder } from '../onnx/gpt2-server-decoder.js';
import type { ModelProto } from '../onnx/onnx-proto.js';
import { buildGpt2Tokenizer } from '../tokenizer/index.js';
import { describeShape, writeModelFolder } from './write-model-folder.js';

export interface RandomModelOptions {
  /** Default: GPT-2's vocabulary, 2 layers, 2 heads, 32 channels, context 128. */
  config?: Partial<Gpt2Config>;
  seed?: number;
  /** Also write the server-shaped graph the engine prefers (default true). */
  serverDecoder?: boolean;
  onProgress?: (written: number, total: number) => void;
}

/** `dir` must not exist yet (as for writeModelFolder). Returns the model's config. */
export async function writeRandomModel(dir: string, options: RandomModelOptions = {}): Promise<Gpt2Config> {
  const config = tinyGpt2Config({ vocabSize: 50257, bosTokenId: 50256, eosTokenId: 50256, nPositions: 128, ...options.config });
  const seed = options.seed ?? 1;
  const weights = initGpt2Weights(config, seed);
  const extraModels: Record<string, ModelProto> = options.serverDecoder === false ? {} : { [SERVER_DECODER_FILE]: buildGpt2ServerDecoder(config, weights) };
  // Said first, so whoever sees the description (/v1/models, the demo) knows not to expect sense from it.
  const card = { description: `Random weights (seed ${seed}), untrained: a stand-in that writes noise. ${describeShape(config)}` };
  await writeModelFolder(dir, { config, weights, tokenizer: buildGpt2Tokenizer() }, { extraModels, onProgress: options.onProgress, card });
  return config;
}
