/** The fp32 GPT-2 weights of a model folder, read back from its optimum graph's initializers. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gpt2TensorShapes, type Gpt2Config, type Gpt2Weights } from '../../model/gpt2-config.js';
import { OnnxModelError } from '../onnx-model-error.js';
import { readOnnxWeights } from '../read-onnx-weights.js';
import { FP32_WEIGHT_SOURCES } from './graph-files.js';

export async function readFolderWeights(dir: string, config: Gpt2Config): Promise<Gpt2Weights> {
  const source = FP32_WEIGHT_SOURCES.map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!source) throw new OnnxModelError('ONNX_MISSING_WEIGHT', dir, `no ${FP32_WEIGHT_SOURCES.join(' or ')}: the fp32 graph is where the weights are read from`);
  const shapes = gpt2TensorShapes(config);
  const { tensors } = await readOnnxWeights(source, new Set(shapes.keys()));
  const weights: Gpt2Weights = new Map();
  for (const [name, shape] of shapes) {
    const t = tensors.get(name);
    if (!t) {
      throw new OnnxModelError(
        'ONNX_MISSING_WEIGHT',
        source,
        `no float32 initializer "${name}"; weights are read by their GPT-2 names, as mimicbot export writes them (re-export the folder from its checkpoint with \`mimicbot export --quantize\`)`,
      );
    }
    if (t.dims.join(',') !== shape.join(',')) {
      throw new OnnxModelError('ONNX_BAD_TENSOR', source, `initializer "${name}" is [${t.dims.join(', ')}]; config.json's shape needs [${shape.join(', ')}]`);
    }
    weights.set(name, t.data);
  }
  return weights;
}
