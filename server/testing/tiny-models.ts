/**
 * Tiny random GPT-2 model folders for the engine's tests, in every layout the server must load, written
 * with the training package (the same code that writes real model folders). The models come from the
 * training package's `tinyTestModel`, whose weights are scaled so that greedy continuations differ from
 * prompt to prompt and token to token (a flat random model repeats one token and hides KV-cache bugs).
 */
import { rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SERVER_DECODER_FILE } from '@mimicbot/model-format';
import { buildByteLevelTokenizer, gpt2Forward, writeModelFolder, type Gpt2Config, type Gpt2Weights } from '@mimicbot/training';
import { buildGpt2Decoder, buildGpt2ServerDecoder, DataType, writeOnnxModel, type GraphProto, type ModelProto, type NodeProto } from '@mimicbot/training/onnx';
import { tinyTestModel } from '@mimicbot/training/testing';

export type TestLayout =
  /** model.onnx + our server_decoder.onnx (what the server prefers) */
  | 'server'
  /** model.onnx + a server_decoder.onnx as exported before the heads cache layout: time-major past `[P, B, C]` */
  | 'server-time-major'
  /** model.onnx + a server_decoder.onnx as exported before `logits_positions` (time-major): last-position logits only */
  | 'server-last-only'
  /** model.onnx only (+ onnx/model.onnx, as writeModelFolder writes it) */
  | 'standard'
  /** onnx/model.onnx only: transformers.js's layout */
  | 'transformersjs'
  /** model.onnx whose graph has no position_ids input (old exports) */
  | 'no-position-ids'
  /** onnx/decoder_model_merged.onnx with a use_cache_branch input and an If node */
  | 'merged';

export interface TinyModel {
  config: Gpt2Config;
  weights: Gpt2Weights;
}

export interface TestModel extends TinyModel {
  dir: string;
}

/** A tiny model folder in one of the layouts the server loads, at `<root>/<layout>`. */
export async function writeLayoutModel(root: string, layout: TestLayout, model: TinyModel = tinyTestModel()): Promise<TestModel> {
  const dir = join(root, layout);
  const { config, weights } = model;
  const extraModels: Record<string, ModelProto> =
    layout === 'server' ? { [SERVER_DECODER_FILE]: buildGpt2ServerDecoder(config, weights) }
    : layout === 'server-time-major' ? { [SERVER_DECODER_FILE]: buildGpt2ServerDecoder(config, weights, { layout: 'time-major' }) }
    : layout === 'server-last-only' ? { [SERVER_DECODER_FILE]: withLastPositionOnly(buildGpt2ServerDecoder(config, weights, { layout: 'time-major' })) }
    : {};
  await writeModelFolder(dir, { config, weights, tokenizer: buildByteLevelTokenizer(config.nPositions) }, { extraModels });
  if (layout === 'transformersjs') await unlink(join(dir, 'model.onnx'));
  if (layout === 'no-position-ids') {
    await rm(join(dir, 'onnx'), { recursive: true });
    await writeOnnxModel(join(dir, 'model.onnx'), withoutPositionIds(buildGpt2Decoder(config, weights)));
  }
  if (layout === 'merged') {
    await unlink(join(dir, 'model.onnx'));
    await writeOnnxModel(join(dir, 'onnx', 'decoder_model_merged.onnx'), asMergedDecoder(buildGpt2Decoder(config, weights)));
    await rename(join(dir, 'onnx', 'model.onnx'), join(dir, 'onnx', 'unused.onnx.bak'));
  }
  return { dir, config, weights };
}

/** Greedy tokens from the training package's plain-TypeScript forward (full recompute each token). */
export function referenceGreedy(model: TinyModel, promptIds: readonly number[], maxNewTokens: number): number[] {
  const ids = [...promptIds];
  const out: number[] = [];
  const V = model.config.vocabSize;
  for (let i = 0; i < maxNewTokens; i++) {
    const T = ids.length;
    const { logits } = gpt2Forward(model.config, model.weights, {
      batchSize: 1,
      inputIds: ids,
      attentionMask: new Array(T).fill(1),
      positionIds: ids.map((_, t) => t),
    });
    const last = logits.subarray((T - 1) * V, T * V);
    let best = 0;
    for (let v = 1; v < V; v++) if (last[v] > last[best]) best = v;
    out.push(best);
    ids.push(best);
  }
  return out;
}

/** Old exports number positions themselves: position_ids = P + [0, T), computed from the input shapes. */
function withoutPositionIds(model: ModelProto): ModelProto {
  const g = model.graph;
  const nodes: NodeProto[] = [
    { opType: 'Shape', inputs: ['input_ids'], outputs: ['pos_T'], attributes: { start: { i: 1 }, end: { i: 2 } } },
    { opType: 'Shape', inputs: ['attention_mask'], outputs: ['pos_S'], attributes: { start: { i: 1 }, end: { i: 2 } } },
    { opType: 'Sub', inputs: ['pos_S', 'pos_T'], outputs: ['pos_P'] },
    { opType: 'Squeeze', inputs: ['pos_P', 'pos_axis0'], outputs: ['pos_p'] },
    { opType: 'Squeeze', inputs: ['pos_S', 'pos_axis0'], outputs: ['pos_s'] },
    { opType: 'Range', inputs: ['pos_p', 'pos_s', 'pos_one'], outputs: ['pos_range'] },
    { opType: 'Unsqueeze', inputs: ['pos_range', 'pos_axis0'], outputs: ['position_ids'] },
  ];
  const int64 = (name: string, values: number[], dims: number[]) => ({ name, dataType: DataType.INT64, dims, raw: new Uint8Array(BigInt64Array.from(values, BigInt).buffer) });
  return {
    ...model,
    graph: {
      ...g,
      inputs: g.inputs.filter((i) => i.name !== 'position_ids'),
      nodes: [...nodes, ...g.nodes],
      initializers: [...g.initializers, int64('pos_axis0', [0], [1]), int64('pos_one', [1], [])],
    },
  };
}

/** Server graphs exported before `logits_positions` gathered position -1 from a constant: the same graph with the input made that constant. */
function withLastPositionOnly(model: ModelProto): ModelProto {
  const g = model.graph;
  const last = { name: 'logits_positions', dataType: DataType.INT64, dims: [1], raw: new Uint8Array(BigInt64Array.of(-1n).buffer) };
  return {
    ...model,
    graph: {
      ...g,
      inputs: g.inputs.filter((i) => i.name !== 'logits_positions'),
      initializers: [...g.initializers, last],
      outputs: g.outputs.map((o) => (o.name === 'logits' ? { ...o, shape: ['batch_size', o.shape[1]] } : o)),
    },
  };
}

/**
 * A legacy merged decoder: the whole decoder twice, as the then/else branches of an If on `use_cache_branch`
 * (both branches compute the same thing here; what is under test is that the input is found and fed).
 */
function asMergedDecoder(model: ModelProto): ModelProto {
  const g = model.graph;
  const branch = (prefix: string): GraphProto => {
    const produced = new Set(g.nodes.flatMap((n) => n.outputs));
    const rename = (name: string) => (produced.has(name) ? `${prefix}/${name}` : name);
    return {
      name: `${prefix}_branch`,
      nodes: g.nodes.map((n) => ({ ...n, name: n.name ? `${prefix}/${n.name}` : undefined, inputs: n.inputs.map(rename), outputs: n.outputs.map(rename) })),
      initializers: [],
      inputs: [],
      outputs: g.outputs.map((o) => ({ ...o, name: rename(o.name) })),
    };
  };
  return {
    ...model,
    graph: {
      ...g,
      inputs: [...g.inputs, { name: 'use_cache_branch', elemType: DataType.BOOL, shape: [1] }],
      nodes: [
        { opType: 'Squeeze', inputs: ['use_cache_branch'], outputs: ['use_cache_scalar'] },
        {
          opType: 'If',
          inputs: ['use_cache_scalar'],
          outputs: g.outputs.map((o) => o.name),
          attributes: { then_branch: { g: branch('with_past') }, else_branch: { g: branch('without_past') } },
        },
      ],
    },
  };
}
