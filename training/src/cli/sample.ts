/**
 * `sample <model-dir>`: generates text from a model folder with onnxruntime and the KV cache, greedy by
 * default (`--temperature 0`) or sampled with a seed. Prints the prompt and continuation to stdout. The
 * tokenizer and the sampler are the server's, with the server's defaults for top-p and the repetition
 * penalty (both off), so the same seed and settings give the same text here as from the server.
 */
import { parseArgs } from 'node:util';
import { loadTextTokenizer, pickGraph, readModelConfig } from '@mimicbot/model-format';
import type { SamplingParams } from '@mimicbot/model-format/sampling';
import { generate } from '../generate/generate.js';
import { OnnxCausalLm } from '../generate/onnx-causal-lm.js';
import { intOption, numberOption, processIo, UsageError, type CliIo } from './cli-io.js';
import { reportCliError } from './report-error.js';

export const SAMPLE_USAGE =
  'usage: sample <model-dir> [--prompt TEXT] [--max-tokens N] [--temperature T] [--top-k K] [--top-p P] [--repetition-penalty R] [--seed N]';

export interface SamplePlan {
  modelDir: string;
  prompt: string;
  maxTokens: number;
  sampling: SamplingParams & { seed: number };
}

export function parseSampleArgs(argv: readonly string[]): SamplePlan {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      prompt: { type: 'string' },
      'max-tokens': { type: 'string' },
      temperature: { type: 'string' },
      'top-k': { type: 'string' },
      'top-p': { type: 'string' },
      'repetition-penalty': { type: 'string' },
      seed: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one model folder, got ${positionals.length} arguments`);
  const topP = numberOption(values['top-p'], 'top-p') ?? 1;
  if (!(topP > 0 && topP <= 1)) throw new UsageError(`--top-p must be a number above 0 and at most 1, got "${values['top-p']}"`);
  const repetitionPenalty = numberOption(values['repetition-penalty'], 'repetition-penalty') ?? 1;
  if (!(repetitionPenalty > 0)) throw new UsageError(`--repetition-penalty must be a number above 0, got "${values['repetition-penalty']}"`);
  return {
    modelDir: positionals[0],
    prompt: values.prompt ?? '',
    maxTokens: intOption(values['max-tokens'], 'max-tokens') ?? 40,
    sampling: {
      temperature: numberOption(values.temperature, 'temperature') ?? 0,
      topK: intOption(values['top-k'], 'top-k', 0) ?? 0,
      topP,
      repetitionPenalty,
      seed: intOption(values.seed, 'seed', 0) ?? 0,
    },
  };
}

export async function runSample(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let plan: SamplePlan;
  try {
    plan = parseSampleArgs(argv);
  } catch (error) {
    io.stderr.write(`mimicbot: sample: ${(error as Error).message}\n${SAMPLE_USAGE}\n`);
    return 2;
  }
  try {
    const config = await readModelConfig(plan.modelDir);
    const tokenizer = await loadTextTokenizer(plan.modelDir);
    // This loop speaks the standard contract (full present out), so it skips the server-shaped graph.
    const lm = await OnnxCausalLm.load(pickGraph(plan.modelDir, { contract: 'standard' }).path, config);
    try {
      // An empty prompt starts from <|endoftext|>, as GPT-2's unconditional samples do.
      const promptIds = plan.prompt === '' ? [config.bosTokenId] : tokenizer.encode(plan.prompt);
      const room = config.nPositions - promptIds.length;
      if (room <= 0) throw new UsageError(`--prompt is ${promptIds.length} tokens; the model takes at most ${config.nPositions - 1}`);
      const maxNewTokens = Math.min(plan.maxTokens, room);
      io.stdout.write(plan.prompt);
      // Stream text as it comes: decode everything so far and print what is new.
      const generated: number[] = [];
      let printed = '';
      const [tokens] = await generate(lm, [promptIds], {
        maxNewTokens,
        sampling: plan.sampling,
        eosTokenId: config.eosTokenId,
        onStep: ([token]) => {
          if (token === config.eosTokenId) return;
          generated.push(token);
          const text = tokenizer.decode(generated);
          // Hold back a trailing partial UTF-8 character until its other bytes arrive.
          if (text.endsWith('\uFFFD')) return;
          io.stdout.write(text.slice(printed.length));
          printed = text;
        },
      });
      const text = tokenizer.decode(tokens.filter((t) => t !== config.eosTokenId));
      io.stdout.write(`${text.slice(printed.length)}\n`);
    } finally {
      await lm.release(); // also when the prompt is refused or generation throws
    }
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) return reportCliError(error, io.stderr);
    io.stderr.write(`mimicbot: sample: ${error.message}\n`);
    return 2;
  }
}
