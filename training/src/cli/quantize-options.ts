/** The flags `quantize` and `export --quantize` share, read into a QuantizeSpec. */
import { BLOCK_SIZES, type QuantBits } from '../onnx/quantize/block-quantize.js';
import { DEFAULT_BLOCK_SIZE, type QuantizeSpec } from '../onnx/quantize/quantize-weights.js';
import { UsageError } from './cli-io.js';

export const QUANTIZE_SPEC_OPTIONS = {
  block: { type: 'string' },
  'keep-head': { type: 'boolean' },
  'head-bits': { type: 'string' },
  symmetric: { type: 'boolean' },
} as const;

export const QUANTIZE_SPEC_USAGE = '[--block 16|32|64|128] [--keep-head | --head-bits 8|4] [--symmetric]';

/**
 * Asymmetric (a zero point per block) unless `--symmetric`: at 4 bits it gave the lower perplexity on all three
 * models we measured (docs/quantization.md), for half a byte more per block (1/32 of the 4-bit weights at block 32).
 */
export function quantizeSpecFromFlags(bits: QuantBits, values: { block?: string; 'keep-head'?: boolean; 'head-bits'?: string; symmetric?: boolean }): QuantizeSpec {
  const blockSize = values.block === undefined ? DEFAULT_BLOCK_SIZE : Number(values.block);
  if (!(BLOCK_SIZES as readonly number[]).includes(blockSize)) throw new UsageError(`--block must be one of ${BLOCK_SIZES.join(', ')}, got "${values.block}"`);
  const spec: QuantizeSpec = { bits, blockSize, symmetric: values.symmetric ?? false, keepHead: values['keep-head'] ?? false };
  if (values['head-bits'] === undefined) return spec;
  if (spec.keepHead) throw new UsageError('--keep-head keeps the head in fp32; drop --head-bits');
  return { ...spec, headBits: bitsOption(values['head-bits'], 'head-bits') };
}

export function bitsOption(value: string | undefined, flag: string): QuantBits {
  if (value === '8' || value === '4') return Number(value) as QuantBits;
  throw new UsageError(value === undefined ? `--${flag} 8|4 is required` : `--${flag} must be 8 or 4, got "${value}"`);
}
