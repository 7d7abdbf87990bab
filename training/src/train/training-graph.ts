/**
 * The GPT-2 training graph: forward, mean cross-entropy on next tokens, and the backward pass written
 * layer by layer as llm.c's `gpt2_forward` / `gpt2_backward` write it, in standard ONNX ops only (opset 17),
 * so stock onnxruntime-node on CPU runs it (its training kernels are not in that build).
 *
 * Every parameter is a graph INPUT named as in Hugging Face (`h.0.attn.c_attn.weight`), so one session
 * serves every step and the optimizer updates the weights in JS between runs (inputs are zero-copy).
 *
 * In:  input_ids int64 (B, T), targets int64 (B, T), loss_mask float (B, T), and every parameter.
 * Out: loss (scalar), `grad.<name>` for every parameter and `grad_sumsq`, the sum of every gradient's
 *      squares (for global-norm clipping without another pass over them in JS) (mode 'gradients'); only loss ('loss');
 *      or logits (B, T, V) with no targets/mask inputs ('logits': the tests check the forward pass with it;
 *      samples during training go through the export decoder, `samples.ts`).
 */
import { DataType, encodeModel } from '../onnx/onnx-proto.js';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { gpt2TensorShapes, type Gpt2Config } from '../model/gpt2-config.js';
import { createGraphContext, reshapeBT, type GraphContext } from './layers/graph-context.js';
import { encoderBackward, encoderForward } from './layers/encoder.js';
import { layernormBackward, layernormForward, type LayerNormCache } from './layers/layernorm.js';
import { matmulBackward, matmulForward } from './layers/matmul.js';
import { attentionBackward, attentionForward, causalMask, type AttentionCache } from './layers/attention.js';
import { geluBackward, geluForward } from './layers/gelu.js';
import { accumulate, residualBackward, residualForward } from './layers/residual.js';
import { crossentropyBackward, crossentropyForward } from './layers/crossentropy.js';

export type TrainingGraphMode = 'gradients' | 'loss' | 'logits';

export const GRAD_PREFIX = 'grad.';
export const GRAD_SUMSQ = 'grad_sumsq';

/** Everything one block's backward needs from its forward (llm.c's activation tensors). */
interface BlockActivations {
  inp: string; // residual stream in (N, C)
  ln1: { out: string } & LayerNormCache;
  qkv: string; // (N, 3C)
  atty: string; // (N, C)
  att: AttentionCache;
  residual2: string; // (N, C)
  ln2: { out: string } & LayerNormCache;
  fch: string; // (N, 4C)
  fchGelu: { out: string; tanh: string };
}

function blockForward(ctx: GraphContext, config: Gpt2Config, l: number, inp: string, mask: string): { out: string; acts: BlockActivations } {
  const { nEmbd: C, nHead: NH, layerNormEpsilon: eps } = config;
  const p = (name: string) => `h.${l}.${name}`;
  const ln1 = layernormForward(ctx, inp, p('ln_1.weight'), p('ln_1.bias'), eps);
  const qkv = matmulForward(ctx, ln1.out, p('attn.c_attn.weight'), p('attn.c_attn.bias'));
  const att = attentionForward(ctx, qkv, C, NH, mask);
  const attproj = matmulForward(ctx, att.out, p('attn.c_proj.weight'), p('attn.c_proj.bias'));
  const residual2 = residualForward(ctx, inp, attproj);
  const ln2 = layernormForward(ctx, residual2, p('ln_2.weight'), p('ln_2.bias'), eps);
  const fch = matmulForward(ctx, ln2.out, p('mlp.c_fc.weight'), p('mlp.c_fc.bias'));
  const fchGelu = geluForward(ctx, fch);
  const fcproj = matmulForward(ctx, fchGelu.out, p('mlp.c_proj.weight'), p('mlp.c_proj.bias'));
  const out = residualForward(ctx, residual2, fcproj);
  return { out, acts: { inp, ln1, qkv, atty: att.out, att, residual2, ln2, fch, fchGelu } };
}

/** dout (N, C) -> dinp (N, C); parameter gradients go into `grads`. */
function blockBackward(ctx: GraphContext, config: Gpt2Config, l: number, dout: string, a: BlockActivations, grads: Map<string, string[]>): string {
  const { nEmbd: C, nHead: NH } = config;
  const p = (name: string) => `h.${l}.${name}`;
  const put = (name: string, grad: string) => grads.set(p(name), [grad]);
  const dres3 = residualBackward(ctx, dout); // out = residual2 + fcproj
  const fcproj = matmulBackward(ctx, dres3.dinp2, a.fchGelu.out, p('mlp.c_proj.weight'));
  put('mlp.c_proj.weight', fcproj.dweight);
  put('mlp.c_proj.bias', fcproj.dbias);
  const dfch = geluBackward(ctx, fcproj.dinp, a.fch, a.fchGelu.tanh);
  const fc = matmulBackward(ctx, dfch, a.ln2.out, p('mlp.c_fc.weight'));
  put('mlp.c_fc.weight', fc.dweight);
  put('mlp.c_fc.bias', fc.dbias);
  const ln2 = layernormBackward(ctx, fc.dinp, a.residual2, p('ln_2.weight'), a.ln2);
  put('ln_2.weight', ln2.dweight);
  put('ln_2.bias', ln2.dbias);
  const dresidual2 = accumulate(ctx, [dres3.dinp1, ln2.dinp]);
  const dres2 = residualBackward(ctx, dresidual2); // residual2 = inp + attproj
  const attproj = matmulBackward(ctx, dres2.dinp2, a.atty, p('attn.c_proj.weight'));
  put('attn.c_proj.weight', attproj.dweight);
  put('attn.c_proj.bias', attproj.dbias);
  const dqkv = attentionBackward(ctx, attproj.dinp, a.qkv, C, NH, a.att);
  const qkv = matmulBackward(ctx, dqkv, a.ln1.out, p('attn.c_attn.weight'));
  put('attn.c_attn.weight', qkv.dweight);
  put('attn.c_attn.bias', qkv.dbias);
  const ln1 = layernormBackward(ctx, qkv.dinp, a.inp, p('ln_1.weight'), a.ln1);
  put('ln_1.weight', ln1.dweight);
  put('ln_1.bias', ln1.dbias);
  return accumulate(ctx, [dres2.dinp1, ln1.dinp]);
}

export function buildTrainingGraph(config: Gpt2Config, mode: TrainingGraphMode = 'gradients'): GraphBuilder {
  const { vocabSize: V, nPositions: P, nEmbd: C, nLayer: L, layerNormEpsilon: eps } = config;
  const g = new GraphBuilder(`gpt2_${mode}`);
  const shapes = gpt2TensorShapes(config);
  const inputIds = g.input('input_ids', DataType.INT64, ['B', 'T']);
  const targets = mode === 'logits' ? '' : g.input('targets', DataType.INT64, ['B', 'T']);
  const lossMask = mode === 'logits' ? '' : g.input('loss_mask', DataType.FLOAT, ['B', 'T']);
  for (const [name, shape] of shapes) g.input(name, DataType.FLOAT, shape);
  const ctx = createGraphContext(g, inputIds);
  const mask = causalMask(ctx, P);

  // forward (gpt2_forward)
  const encoded = encoderForward(ctx, inputIds, 'wte.weight', 'wpe.weight', C); // (N, C)
  let residual = encoded;
  const blocks: BlockActivations[] = [];
  for (let l = 0; l < L; l++) {
    const block = blockForward(ctx, config, l, residual, mask);
    blocks.push(block.acts);
    residual = block.out;
  }
  const lnf = layernormForward(ctx, residual, 'ln_f.weight', 'ln_f.bias', eps);
  const logits = g.op('Gemm', [lnf.out, 'wte.weight'], { transB: { i: 1 } }); // (N, V), tied head: lnf @ wte^T

  if (mode === 'logits') {
    g.op('Identity', [reshapeBT(ctx, logits, [V])], {}, { output: 'logits' });
    g.output('logits', DataType.FLOAT, ['B', 'T', V]);
    return g;
  }
  const ce = crossentropyForward(ctx, logits, targets, lossMask);
  g.op('Identity', [ce.loss], {}, { output: 'loss' });
  g.output('loss', DataType.FLOAT, []);
  if (mode === 'loss') return g;

  // backward (gpt2_backward), in reverse order
  const grads = new Map<string, string[]>();
  const dlogits = crossentropyBackward(ctx, ce);
  const head = { dinp: g.op('MatMul', [dlogits, 'wte.weight']), dwte: g.op('Gemm', [dlogits, lnf.out], { transA: { i: 1 } }) };
  const lnfBack = layernormBackward(ctx, head.dinp, residual, 'ln_f.weight', lnf);
  grads.set('ln_f.weight', [lnfBack.dweight]);
  grads.set('ln_f.bias', [lnfBack.dbias]);
  let dresidual = lnfBack.dinp;
  for (let l = L - 1; l >= 0; l--) dresidual = blockBackward(ctx, config, l, dresidual, blocks[l], grads);
  const enc = encoderBackward(ctx, head.dwte, dresidual, inputIds, 'wte.weight', 'wpe.weight', C, P); // tied: onto the head's dwte
  grads.set('wte.weight', [enc.dwte]);
  grads.set('wpe.weight', [enc.dwpe]);

  const sumsq: string[] = [];
  for (const [name, shape] of shapes) {
    const parts = grads.get(name);
    if (!parts) throw new Error(`training graph: no gradient for ${name}`);
    const grad = renameValue(g, accumulate(ctx, parts), GRAD_PREFIX + name);
    g.output(grad, DataType.FLOAT, shape);
    sumsq.push(g.op('ReduceSumSquare', [grad], { keepdims: { i: 0 } }));
  }
  g.op('Sum', sumsq, {}, { output: GRAD_SUMSQ });
  g.output(GRAD_SUMSQ, DataType.FLOAT, []);
  return g;
}

/**
 * Gives the node output `from` the name `to` (and every use of it), instead of copying it through an
 * Identity node: at 124M parameters, Identity copies of the gradients cost ~4% of a step.
 */
function renameValue(g: GraphBuilder, from: string, to: string): string {
  g.nodes.forEach((node, i) => {
    if (node.outputs.includes(from) || node.inputs.includes(from)) {
      g.nodes[i] = { ...node, inputs: node.inputs.map((v) => (v === from ? to : v)), outputs: node.outputs.map((v) => (v === from ? to : v)) };
    }
  });
  return to;
}

/** The graph as ONNX bytes, ready for `InferenceSession.create`. */
export function encodeTrainingGraph(config: Gpt2Config, mode: TrainingGraphMode = 'gradients'): Uint8Array {
  return encodeModel(buildTrainingGraph(config, mode).model([{ domain: '', version: 17 }])).concat();
}
