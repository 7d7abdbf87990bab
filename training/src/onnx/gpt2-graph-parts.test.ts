import { describe, expect, it } from 'vitest';
import { initGpt2Weights } from '../model/init-weights.js';
import { tinyGpt2Config } from '../model/tiny-config.js';
import { GraphBuilder } from './graph-builder.js';
import { checkedHeadDim, gpt2GraphParts } from './gpt2-graph-parts.js';
import { DataType } from './onnx-proto.js';

const config = tinyGpt2Config();
const weights = initGpt2Weights(config, 1);

function partsOnFreshGraph() {
  const g = new GraphBuilder('parts');
  const inputs = {
    inputIds: g.input('input_ids', DataType.INT64, ['B', 'T']),
    attentionMask: g.input('attention_mask', DataType.INT64, ['B', 'S']),
    positionIds: g.input('position_ids', DataType.INT64, ['B', 'T']),
  };
  return { g, parts: gpt2GraphParts(g, config, weights, inputs) };
}

describe('gpt2GraphParts', () => {
  it('refuses a shape whose channels do not split into heads', () => {
    expect(checkedHeadDim(config)).toBe(config.nEmbd / config.nHead);
    expect(() => checkedHeadDim({ ...config, nEmbd: 30, nHead: 4 })).toThrow('n_embd 30 is not divisible by n_head 4');
  });

  it('adds each weight once however often it is used, and names a missing or mis-sized one', () => {
    const { g, parts } = partsOnFreshGraph();
    expect(parts.weight('wte.weight')).toBe('wte.weight');
    parts.weight('wte.weight');
    expect(g.initializers.filter((t) => t.name === 'wte.weight')).toHaveLength(1);
    expect(() => parts.weight('h.9.ln_1.weight')).toThrow('missing weight h.9.ln_1.weight');
    const short = new Map(weights).set('wpe.weight', new Float32Array(3));
    const g2 = new GraphBuilder('short');
    const ids = g2.input('input_ids', DataType.INT64, ['B', 'T']);
    const bad = gpt2GraphParts(g2, config, short, { inputIds: ids, attentionMask: ids, positionIds: ids });
    expect(() => bad.weight('wpe.weight')).toThrow(/weight wpe.weight has 3 values, expected \[/);
  });

  it('hands each block the split q/k/v rows of its own layer and merges the heads its attention returns', () => {
    const { g, parts } = partsOnFreshGraph();
    const seen: number[] = [];
    let x = parts.embeddings();
    for (let l = 0; l < config.nLayer; l++) {
      x = parts.block(x, l, (layer, split) => {
        seen.push(layer);
        expect(new Set([split.q, split.k, split.v]).size).toBe(3);
        return parts.attend(parts.toHeads(split.q), parts.toHeads(split.k), parts.toHeads(split.v));
      });
    }
    expect(seen).toEqual([...Array(config.nLayer).keys()]);
    expect(g.nodes.find((n) => n.name === 'attention_allowed')?.opType).toBe('And');
    expect(g.nodes.find((n) => n.outputs.includes(x))?.name).toBe(`h.${config.nLayer - 1}.residual_2`);
  });
});
