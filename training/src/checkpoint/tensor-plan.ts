import { CheckpointError } from '../errors.js';
import { gpt2TensorShapes, type Gpt2Config } from '../model/gpt2-config.js';
import { isFloatDtype } from '../safetensors/index.js';
import type { CheckpointLayout } from '@mimicbot/model-format';

/** Where a tensor sits: its key in the checkpoint, the file holding it, its dtype and shape. */
export interface StoredTensor {
  key: string;
  file: string;
  dtype: string;
  shape: number[];
  byteLength: number;
}

/** Which stored tensor supplies each GPT2Model parameter, and the LM head if the checkpoint has one. */
export interface TensorPlan {
  layout: CheckpointLayout;
  /** GPT2Model name (`h.0.attn.c_attn.weight`) -> stored tensor */
  params: Map<string, StoredTensor>;
  lmHead?: StoredTensor;
}

const LM_PREFIX = 'transformer.';
// The causal mask and its fill value: buffers, not parameters (nanoGPT's loader skips them too).
const BUFFER = /^(transformer\.)?h\.\d+\.attn\.(bias|masked_bias)$/;

/**
 * Matches a checkpoint's tensors to GPT-2's parameters and checks every dtype and shape against the config,
 * before any weight is read. Errors name the file and the tensor.
 */
export function planTensors(stored: Map<string, StoredTensor>, config: Gpt2Config, configFile: string): TensorPlan {
  const keys = [...stored.keys()];
  const layout: CheckpointLayout = keys.some((k) => k.startsWith(LM_PREFIX)) ? 'GPT2LMHeadModel' : 'GPT2Model';
  const prefix = layout === 'GPT2LMHeadModel' ? LM_PREFIX : '';
  const anyFile = stored.values().next().value?.file ?? configFile;

  const used = new Set<string>();
  const take = (key: string, shape: number[]): StoredTensor | undefined => {
    const tensor = stored.get(key);
    if (!tensor) return undefined;
    used.add(key);
    if (!isFloatDtype(tensor.dtype)) {
      throw new CheckpointError('CHECKPOINT_BAD_SHAPE', tensor.file, `tensor "${key}" has dtype ${tensor.dtype}; expected F32, F16 or BF16`);
    }
    if (!sameShape(tensor.shape, shape)) {
      throw new CheckpointError(
        'CHECKPOINT_BAD_SHAPE',
        tensor.file,
        `tensor "${key}" has shape [${tensor.shape.join(', ')}] but ${configFile} ` +
          `(n_layer ${config.nLayer}, n_embd ${config.nEmbd}, vocab_size ${config.vocabSize}, n_positions ${config.nPositions}) ` +
          `needs [${shape.join(', ')}]`,
      );
    }
    return tensor;
  };

  const params = new Map<string, StoredTensor>();
  for (const [name, shape] of gpt2TensorShapes(config)) {
    const tensor = take(prefix + name, shape);
    if (!tensor) {
      throw new CheckpointError('CHECKPOINT_MISSING_TENSOR', anyFile, `missing tensor "${prefix + name}" (${layout} layout)`);
    }
    params.set(name, tensor);
  }
  const lmHead = take('lm_head.weight', [config.vocabSize, config.nEmbd]);

  for (const key of keys) {
    if (used.has(key) || BUFFER.test(key)) continue;
    const where = stored.get(key)!.file;
    throw new CheckpointError('CHECKPOINT_UNEXPECTED_TENSOR', where, `unexpected tensor "${key}": not a parameter of a ${layout} GPT-2`);
  }
  return { layout, params, lmHead };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
