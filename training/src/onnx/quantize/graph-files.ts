/**
 * Which files a quantized model's graphs go to, from @mimicbot/model-format's graph table (the one home of
 * the names): the standard graph under transformers.js's name and the server's graph beside it.
 */
import { graphFile, type GraphDtype } from '@mimicbot/model-format';
import type { QuantBits } from './block-quantize.js';

export function dtypeOfBits(bits: QuantBits): Exclude<GraphDtype, 'fp32'> {
  return bits === 8 ? 'q8' : 'q4';
}

/** The two files a dtype's graphs are written to, relative to the model folder. */
export function graphFilesOf(dtype: GraphDtype): { standard: string; server: string } {
  return { standard: graphFile(dtype, 'standard'), server: graphFile(dtype, 'server') };
}

/**
 * The fp32 optimum graphs `writeModelFolder` writes, where the folder's weights are read from (root copy
 * first). The legacy merged decoder is not one: its weights sit inside `If` branches.
 */
export const FP32_WEIGHT_SOURCES = ['model.onnx', 'onnx/model.onnx'] as const;
