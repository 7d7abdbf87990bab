/**
 * Writes a GPT-2 model folder with random weights and the real GPT-2 tokenizer, with the training
 * package's writer (the code that writes real model folders). Used for the stand-in default model until
 * a trained one ships in server/default-model/, and by the integration tests. Dev-time only: the server
 * itself never imports the training package.
 */
import { buildGpt2Tokenizer, initGpt2Weights, tinyGpt2Config, writeModelFolder, type Gpt2Config } from '@mimicbot/training';
import { buildGpt2ServerDecoder, SERVER_DECODER_FILE } from '../../training/src/onnx/gpt2-server-decoder.js';

export interface RandomModelOptions {
  /** Default: GPT-2's vocabulary, 2 layers, 2 heads, 32 channels, context 128. */
  config?: Partial<Gpt2Config>;
  seed?: number;
  /** Also write the server-shaped graph the engine prefers (default true). */
  serverDecoder?: boolean;
  onProgress?: (written: number, total: number) => void;
}

export async function writeRandomModel(dir: string, options: RandomModelOptions = {}): Promise<Gpt2Config> {
  const config = tinyGpt2Config({ vocabSize: 50257, bosTokenId: 50256, eosTokenId: 50256, nPositions: 128, ...options.config });
  const weights = initGpt2Weights(config, options.seed ?? 1);
  const extraModels: Record<string, ReturnType<typeof buildGpt2ServerDecoder>> =
    options.serverDecoder === false ? {} : { [SERVER_DECODER_FILE]: buildGpt2ServerDecoder(config, weights) };
  await writeModelFolder(dir, { config, weights, tokenizer: buildGpt2Tokenizer() }, { extraModels, onProgress: options.onProgress });
  return config;
}
