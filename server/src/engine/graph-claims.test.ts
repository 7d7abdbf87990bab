import { describe, expect, it } from 'vitest';
import { checkAgainstRuns, checkCacheShape, checkLayerCount, type ModelFiles, type Probe } from './graph-claims.js';
import type { DecoderLayout } from './model-files.js';
import type { ModelConfig } from './types.js';

const files: ModelFiles = { configFile: '/m/config.json', graphFile: '/m/model.onnx' };
const config: ModelConfig = { nLayer: 2, nHead: 2, nEmbd: 32, vocabSize: 257, nPositions: 256, eosTokenId: 256, bosTokenId: 256 };
const layout = (contract: 'standard' | 'server', hasPositionIds = true, cache: 'heads' | 'time-major' = contract === 'server' ? 'time-major' : 'heads') => ({ contract, cache, hasPositionIds }) as DecoderLayout;

/** A graph with `positions` rows in its position table, counting its runs. */
function graph(positions: number, reveals = { vocabSize: 257, cacheDims: [1, 2, 1, 16] }) {
  const probed: number[] = [];
  const probe: Probe = async (position) => {
    probed.push(position);
    if (position >= positions) throw new Error(`indices element out of data bounds, idx=${position}`);
    return reveals;
  };
  return { probe, probed };
}

const messageOf = async (promise: Promise<unknown>) => ((await promise.catch((e: unknown) => e)) as Error).message;

describe('checkAgainstRuns', () => {
  it('passes a config that tells the truth, with two one-token runs', async () => {
    const { probe, probed } = graph(256);
    await checkAgainstRuns(files, config, layout('standard'), probe);
    expect(probed).toEqual([0, 255]);
  });

  it('refuses a claimed context larger than the position table, naming the file, the field and the real size', async () => {
    const { probe, probed } = graph(256);
    const message = await messageOf(checkAgainstRuns(files, { ...config, nPositions: 1e9 }, layout('standard'), probe));
    expect(message).toBe('/m/config.json: "n_positions" is 1000000000, but /m/model.onnx has 256 positions (a token at position 256 does not run). Set "n_positions": 256 in config.json, or export the folder again.');
    expect(probed.length).toBeLessThanOrEqual(2 + 30); // bisection over 1e9 positions
  });

  it('accepts a claimed context smaller than the position table', async () => {
    await checkAgainstRuns(files, { ...config, nPositions: 128 }, layout('standard'), graph(256).probe);
  });

  it('does not probe positions of a graph that numbers them itself', async () => {
    const { probe, probed } = graph(256);
    await checkAgainstRuns(files, { ...config, nPositions: 1e9 }, layout('standard', false), probe);
    expect(probed).toEqual([0]);
  });

  it('refuses a vocabulary the logits do not have', async () => {
    const message = await messageOf(checkAgainstRuns(files, { ...config, vocabSize: 1e12 }, layout('standard'), graph(256).probe));
    expect(message).toMatch(/^\/m\/config\.json: "vocab_size" is 1000000000000, but \/m\/model\.onnx gives logits for 257 tokens\./);
  });

  it('refuses an end or start token outside the vocabulary the logits have', async () => {
    expect(await messageOf(checkAgainstRuns(files, { ...config, eosTokenId: 50256 }, layout('standard'), graph(256).probe))).toMatch(/"eos_token_id" is 50256, but .* has tokens 0\.\.256 only/);
    expect(await messageOf(checkAgainstRuns(files, { ...config, bosTokenId: 257 }, layout('standard'), graph(256).probe))).toMatch(/"bos_token_id" is 257/);
  });

  it('refuses head sizes the cache a run returns does not have', async () => {
    expect(await messageOf(checkAgainstRuns(files, { ...config, nHead: 4 }, layout('standard'), graph(256).probe))).toMatch(/"n_head" is 4, but .* has a cache of 2 heads/);
    const server = graph(256, { vocabSize: 257, cacheDims: [1, 1, 32] });
    expect(await messageOf(checkAgainstRuns(files, { ...config, nEmbd: 64 }, layout('server'), server.probe))).toMatch(/"n_embd" is 64, but .* has a cache of 32 channels/);
    const heads = graph(256, { vocabSize: 257, cacheDims: [1, 2, 1, 16] });
    expect(await messageOf(checkAgainstRuns(files, { ...config, nHead: 4 }, layout('server', true, 'heads'), heads.probe))).toMatch(/"n_head" is 4, but .* has a cache of 2 heads/);
  });

  it('says a graph that cannot run one token is invalid, in one line', async () => {
    const probe: Probe = async () => {
      throw new Error('Got invalid dimensions for input\nsecond line');
    };
    const error = await checkAgainstRuns(files, config, layout('standard'), probe).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MODEL_GRAPH_INVALID', message: '/m/model.onnx: cannot run one token (Got invalid dimensions for input). Re-export the model with the training package.' });
  });
});

describe('checkLayerCount', () => {
  it('refuses an n_layer the past inputs do not have, before anything is sized by it', () => {
    const inputs = ['input_ids', 'attention_mask', 'past_key_values.0.key', 'past_key_values.0.value', 'past_key_values.1.key', 'past_key_values.1.value'];
    expect(() => checkLayerCount(files, config, inputs)).not.toThrow();
    expect(() => checkLayerCount(files, { ...config, nLayer: 1e15 }, inputs)).toThrow('/m/config.json: "n_layer" is 1000000000000000, but /m/model.onnx takes past keys for 2 layers.');
    expect(() => checkLayerCount(files, { ...config, nLayer: 3 }, ['past_key.0', 'past_value.0', 'past_key.1', 'past_value.1'])).toThrow(/"n_layer" is 3, .* for 2 layers/);
  });

  it('refuses a graph without a KV cache', () => {
    expect(() => checkLayerCount(files, config, ['input_ids', 'attention_mask'])).toThrow(/takes no past keys/);
  });
});

describe('checkCacheShape', () => {
  it('checks the dimensions that are numbers and skips the symbolic ones', () => {
    expect(() => checkCacheShape(files, config, 'heads', ['batch_size', 2, 'past_sequence_length', 16])).not.toThrow();
    expect(() => checkCacheShape(files, config, 'heads', ['batch_size', 'heads', 'past', 'head_size'])).not.toThrow();
    expect(() => checkCacheShape(files, { ...config, nEmbd: 48 }, 'heads', ['batch_size', 2, 'past', 16])).toThrow(/"n_embd" is 48, but .* 2 heads of 16 channels \(32\)/);
    expect(() => checkCacheShape(files, { ...config, nEmbd: 48 }, 'heads', ['batch_size', 'heads', 'past', 16])).toThrow(/"n_embd" is 48/);
    expect(() => checkCacheShape(files, { ...config, nEmbd: 48 }, 'time-major', ['past', 'batch_size', 32])).toThrow(/"n_embd" is 48, .* 32 channels/);
  });
});
