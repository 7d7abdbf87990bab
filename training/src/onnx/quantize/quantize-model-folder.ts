/**
 * `mimicbot quantize`'s work: reads a model folder's fp32 weights, quantizes them and writes the quantized
 * graphs into the same folder. Each graph is written into a hidden folder inside the model folder and then
 * renamed into place, so a failure leaves the files that were there before, and a reader never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readModelConfig } from '@mimicbot/model-format';
import { writeOnnxModel, writeOptionsFor } from '../write-onnx-model.js';
import { readFolderWeights } from './folder-weights.js';
import { buildQuantizedGraphs } from './quantized-graphs.js';
import type { QuantizeSpec } from './quantize-weights.js';

export interface QuantizeFolderHooks {
  /** Parameters quantized so far, of the total. */
  onQuantize?: (done: number, total: number) => void;
  /** Bytes written so far, of the total. */
  onWrite?: (done: number, total: number) => void;
}

/** Returns the files written, relative to the folder. */
export async function quantizeModelFolder(dir: string, spec: QuantizeSpec, hooks: QuantizeFolderHooks = {}): Promise<string[]> {
  const config = await readModelConfig(dir);
  const weights = await readFolderWeights(dir, config);
  const graphs = Object.entries(buildQuantizedGraphs(config, weights, spec, hooks.onQuantize));

  const tmp = join(dir, `.quantize-${randomBytes(4).toString('hex')}`);
  const written: string[] = [];
  try {
    await mkdir(tmp);
    const sizes = new Map<number, { done: number; total: number }>();
    for (const [i, [file, model]] of graphs.entries()) {
      // Same base name as the target, so an external data file's recorded name stays right after the rename.
      const staged = join(tmp, `${i}`, basename(file));
      await mkdir(dirname(staged), { recursive: true });
      const out = await writeOnnxModel(staged, model, writeOptionsFor(file, {
        onProgress: (done, total) => {
          sizes.set(i, { done, total });
          const all = [...sizes.values()];
          hooks.onWrite?.(
            all.reduce((n, s) => n + s.done, 0),
            all.reduce((n, s) => n + s.total, 0),
          );
        },
      }));
      for (const f of out.files) {
        const target = join(dir, dirname(file), basename(f));
        await mkdir(dirname(target), { recursive: true });
        await rename(f, target);
        written.push(join(dirname(file), basename(f)));
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return written;
}
