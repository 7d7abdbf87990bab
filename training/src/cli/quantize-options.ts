/** The options `quantize` and `export --quantize` share, read into a QuantizeSpec. */
import { BLOCK_SIZES, type QuantBits } from '../onnx/quantize/block-quantize.js';
import { DEFAULT_BLOCK_SIZE, type QuantizeSpec } from '../onnx/quantize/quantize-weights.js';
import { UsageError } from './cli-context.js';
import type { OptionSpec } from './define-command.js';

export const QUANTIZE_SPEC_OPTIONS = {
  block: { type: 'choice', choices: BLOCK_SIZES.map(String), default: String(DEFAULT_BLOCK_SIZE), description: 'weights per quantization block along the input dimension' },
  'keep-head': { type: 'boolean', description: 'keep the LM head (tied to the embedding) in fp32' },
  'head-bits': { type: 'choice', choices: ['8', '4'], defaultText: 'as --bits', description: 'bits of the LM head, e.g. 8 in a 4-bit model' },
  symmetric: { type: 'boolean', description: 'no zero points (the default, asymmetric, measured better at 4 bits)' },
} as const satisfies Record<string, OptionSpec>;

export interface QuantizeSpecValues {
  block: string;
  'keep-head': boolean;
  'head-bits'?: string;
  symmetric: boolean;
}

/**
 * Asymmetric (a zero point per block) unless `--symmetric`: at 4 bits it gave the lower perplexity on all three
 * models we measured (docs/quantization.md), for half a byte more per block (1/32 of the 4-bit weights at block 32).
 */
export function quantizeSpecFromOptions(bits: QuantBits, values: QuantizeSpecValues): QuantizeSpec {
  const spec: QuantizeSpec = { bits, blockSize: Number(values.block), symmetric: values.symmetric, keepHead: values['keep-head'] };
  if (values['head-bits'] === undefined) return spec;
  if (spec.keepHead) throw new UsageError('--keep-head keeps the head in fp32; drop --head-bits');
  return { ...spec, headBits: Number(values['head-bits']) as QuantBits };
}
