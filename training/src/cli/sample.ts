/**
 * `sample <model-dir>`: generates text from a model folder with onnxruntime and the KV cache, greedy by
 * default (`--temperature 0`) or sampled with a seed. Prints the prompt and continuation to stdout. The
 * tokenizer and the sampler are the server's, with the server's defaults for top-p and the repetition
 * penalty (both off), so the same seed and settings give the same text here as from the server.
 */
import { loadTextTokenizer, pickGraph, readModelConfig } from '@mimicbot/model-format';
import type { SamplingParams } from '@mimicbot/model-format/sampling';
import { generate } from '../generate/generate.js';
import { OnnxCausalLm } from '../generate/onnx-causal-lm.js';
import { MimicbotFileError } from '../errors.js';
import { UsageError, type CliContext } from './cli-context.js';
import { defineCommand } from './define-command.js';
import { folderKind } from './folder-kind.js';

export interface SamplePlan {
  modelDir: string;
  prompt: string;
  maxTokens: number;
  sampling: SamplingParams & { seed: number };
}

export const sampleCommand = defineCommand({
  name: 'sample',
  description: 'generate text from a model folder (greedy, or sampled with a seed)',
  args: [{ name: 'model-dir', description: 'what export, convert or init wrote' }],
  options: {
    prompt: { type: 'string', placeholder: 'TEXT', defaultText: 'none: start from <|endoftext|>', description: 'the text to continue' },
    'max-tokens': { type: 'integer', min: 1, default: 40, description: 'new tokens at most' },
    temperature: { type: 'number', min: 0, default: 0, description: '0 is greedy; higher is more random' },
    'top-k': { type: 'integer', min: 0, default: 0, description: 'sample from the K likeliest tokens only; 0: all' },
    'top-p': { type: 'number', min: 0.001, max: 1, default: 1, description: 'sample from the smallest set of tokens whose probability reaches P; 1: all' },
    'repetition-penalty': { type: 'number', min: 0.01, default: 1, description: "divide a seen token's logit by R (CTRL's rule); 1: off" },
    seed: { type: 'integer', min: 0, default: 0, description: 'seed of the sampler' },
  },
  async run({ args, options, context }) {
    const kind = folderKind(args['model-dir']);
    if (kind === 'file') throw new MimicbotFileError('SAMPLE_NOT_MODEL_FOLDER', args['model-dir'], 'is a file; sample takes a model folder (what export, convert or init write)');
    if (kind === 'training-checkpoint' || kind === 'training-run') {
      const what = kind === 'training-run' ? 'a training run' : 'a training checkpoint';
      throw new MimicbotFileError('SAMPLE_NOT_MODEL_FOLDER', args['model-dir'], `is ${what}; export it first (mimicbot export <checkpoint> <model-dir>), then sample the model folder`);
    }
    if (kind === 'hf-checkpoint') {
      throw new MimicbotFileError('SAMPLE_NOT_MODEL_FOLDER', args['model-dir'], 'is a Hugging Face checkpoint; convert it first (mimicbot convert <checkpoint> <model-dir>), then sample the model folder');
    }
    const plan: SamplePlan = {
      modelDir: args['model-dir'],
      prompt: options.prompt ?? '',
      maxTokens: options['max-tokens'],
      sampling: {
        temperature: options.temperature,
        topK: options['top-k'],
        topP: options['top-p'],
        repetitionPenalty: options['repetition-penalty'],
        seed: options.seed,
      },
    };
    await sample(plan, context);
  },
});

/** Prints the prompt and its continuation to stdout, streaming the text as it comes. */
export async function sample(plan: SamplePlan, io: Pick<CliContext, 'stdout'>): Promise<void> {
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
}
