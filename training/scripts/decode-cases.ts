/**
 * What the decode benches (`bench:quant`, `bench:attention`) measure: GPT-2 124M's shape with GPT-2's vocabulary,
 * one decode step at batch 1 and 16, past 128 and 512; and the median they report.
 */
import { GPT2_124M, type Gpt2Config } from '../src/model/gpt2-config.js';

export const BENCH_CONFIG: Gpt2Config = { ...GPT2_124M, vocabSize: 50257 };

export const DECODE_CASES = [
  { B: 1, P: 128 },
  { B: 1, P: 512 },
  { B: 16, P: 128 },
  { B: 16, P: 512 },
] as const;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
