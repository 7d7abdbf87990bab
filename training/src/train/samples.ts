/**
 * A few samples from the weights being trained, through the same decoder graph `export` writes (built in
 * memory), the shared generation loop and the server's sampler, so what training shows for a seed is what
 * the server says for that seed once the model is exported.
 */
import { generate } from '../generate/generate.js';
import { OnnxCausalLm } from '../generate/onnx-causal-lm.js';
import type { Gpt2Config, Gpt2Weights } from '../model/gpt2-config.js';
import { buildGpt2Decoder } from '../onnx/gpt2-decoder.js';
import { encodeModel } from '../onnx/onnx-proto.js';

export interface SampleOptions {
  count: number;
  maxTokens: number;
  temperature: number;
  topK: number;
  /** Default 1 (off), as the server's. */
  topP?: number;
  /** Default 1 (off), as the server's. */
  repetitionPenalty?: number;
  /** Sample i uses seed + i. */
  seed: number;
  /** Prompt token ids; empty starts from <|endoftext|>, like GPT-2's unconditional samples. */
  prompt?: readonly number[];
}

export interface Sample {
  seed: number;
  tokens: number[];
}

export async function sampleFromWeights(config: Gpt2Config, weights: Gpt2Weights, options: SampleOptions): Promise<Sample[]> {
  const lm = await OnnxCausalLm.load(encodeModel(buildGpt2Decoder(config, weights)).concat(), config);
  const prompt = options.prompt?.length ? [...options.prompt] : [config.bosTokenId];
  const maxNewTokens = Math.min(options.maxTokens, config.nPositions - prompt.length);
  const samples: Sample[] = [];
  try {
    for (let i = 0; i < options.count; i++) {
      const seed = options.seed + i;
      const sampling = { temperature: options.temperature, topK: options.topK, topP: options.topP ?? 1, repetitionPenalty: options.repetitionPenalty ?? 1, seed };
      const [tokens] = await generate(lm, [prompt], { maxNewTokens, sampling, eosTokenId: config.eosTokenId });
      samples.push({ seed, tokens: tokens.filter((t) => t !== config.eosTokenId) });
    }
  } finally {
    await lm.release();
  }
  return samples;
}
