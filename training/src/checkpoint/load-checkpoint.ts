import { join } from 'node:path';
import { readModelConfig, type CheckpointLayout } from '@mimicbot/model-format';
import { CheckpointError } from '../errors.js';
import type { Gpt2Config, Gpt2Weights } from '../model/gpt2-config.js';
import { openSafetensors, type SafetensorsReader } from '../safetensors/index.js';
import { findWeightFiles } from './find-weights.js';
import { planTensors, type StoredTensor } from './tensor-plan.js';

export interface HfCheckpoint {
  config: Gpt2Config;
  /** GPT2Model names, float32 */
  weights: Gpt2Weights;
  layout: CheckpointLayout;
  /** whether the checkpoint stored `lm_head.weight` (always equal to wte: we check) or left it tied */
  lmHead: 'stored' | 'tied';
}

export interface LoadCheckpointOptions {
  /** Called after each tensor with the bytes read so far and the total. */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/**
 * Loads a Hugging Face GPT-2 checkpoint folder (`config.json` + `model.safetensors`, or shards) in either key
 * layout. Everything that can be checked without the weights (config, file headers, names, dtypes, shapes)
 * is checked first; then each tensor is read once, as float32.
 *
 * The LM head: GPT-2 ties `lm_head.weight` to `wte.weight` and our graph does too. A stored head must
 * therefore equal wte exactly; a different (untied, fine-tuned) head is refused rather than dropped silently.
 */
export async function loadHfCheckpoint(dir: string, options: LoadCheckpointOptions = {}): Promise<HfCheckpoint> {
  const weightFiles = await findWeightFiles(dir);
  const configFile = join(dir, 'config.json');
  const config = await readModelConfig(dir);

  const readers: SafetensorsReader[] = [];
  try {
    const stored = new Map<string, StoredTensor & { reader: SafetensorsReader }>();
    for (const file of weightFiles) {
      const reader = await openSafetensors(file);
      readers.push(reader);
      for (const info of reader.tensors.values()) {
        const earlier = stored.get(info.name);
        if (earlier) {
          throw new CheckpointError('CHECKPOINT_UNEXPECTED_TENSOR', file, `tensor "${info.name}" is also in ${earlier.file}`);
        }
        stored.set(info.name, { key: info.name, file, dtype: info.dtype, shape: info.shape, byteLength: info.byteLength, reader });
      }
    }
    const plan = planTensors(stored, config, configFile);
    const readerOf = (t: StoredTensor) => stored.get(t.key)!.reader;

    const total = [...plan.params.values(), ...(plan.lmHead ? [plan.lmHead] : [])].reduce((sum, t) => sum + t.byteLength, 0);
    let done = 0;
    const read = async (t: StoredTensor) => {
      const data = await readerOf(t).read(t.key);
      done += t.byteLength;
      options.onProgress?.(done, total);
      return data;
    };

    const weights: Gpt2Weights = new Map();
    for (const [name, tensor] of plan.params) weights.set(name, await read(tensor));
    if (plan.lmHead) {
      // Compared piece by piece, so a stored head costs no second 154 MB (124M shape) of memory.
      const head = plan.lmHead;
      const mismatch = await firstDifference(readerOf(head).readChunks(head.key), weights.get('wte.weight')!);
      done += head.byteLength;
      options.onProgress?.(done, total);
      if (mismatch >= 0) {
        throw new CheckpointError(
          'CHECKPOINT_UNTIED_HEAD',
          head.file,
          `"lm_head.weight" differs from wte.weight (first at element ${mismatch}); only GPT-2 with its head tied to wte is supported`,
        );
      }
    }
    return { config, weights, layout: plan.layout, lmHead: plan.lmHead ? 'stored' : 'tied' };
  } finally {
    await Promise.all(readers.map((r) => r.close()));
  }
}

/** Index of the first element where the stored pieces differ from `expected` (bitwise, so NaN equals NaN), or -1. */
async function firstDifference(pieces: AsyncIterable<Float32Array>, expected: Float32Array): Promise<number> {
  const want = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  let offset = 0;
  for await (const piece of pieces) {
    const got = new Uint32Array(piece.buffer, piece.byteOffset, piece.length);
    for (let i = 0; i < got.length; i++) if (got[i] !== want[offset + i]) return offset + i;
    offset += got.length;
  }
  return offset === want.length ? -1 : offset;
}
