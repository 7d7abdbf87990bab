/**
 * `convert <hf-checkpoint-dir> <out-model-dir>`: a Hugging Face GPT-2 checkpoint (config.json +
 * model.safetensors, either key layout) to a model folder. Everything is read and checked before anything is
 * written, and the folder appears only once complete, so a bad checkpoint leaves nothing behind.
 */
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createTokenizer, ModelFolderError, readTokenizerFiles, type TokenizerFiles } from '@mimicbot/model-format';
import { loadHfCheckpoint } from '../checkpoint/index.js';
import { CheckpointError } from '../errors.js';
import type { Gpt2Config } from '../model/gpt2-config.js';
import { writeModelFolder } from '../model-folder/index.js';
import { createProgressBar } from '../progress.js';
import { buildGpt2Tokenizer } from '../tokenizer/index.js';
import { processContext, type CliContext } from './cli-context.js';
import { defineCommand } from './define-command.js';
import { GPT2_VOCAB_SIZE } from './model-shape-options.js';

export interface ConvertPlan {
  checkpointDir: string;
  outDir: string;
  force: boolean;
  quiet: boolean;
}

export const convertCommand = defineCommand({
  name: 'convert',
  description: 'turn a Hugging Face GPT-2 checkpoint folder into a model folder',
  args: [
    { name: 'checkpoint-dir', description: 'config.json + model.safetensors (either key layout), tokenizer files if any' },
    { name: 'out-dir', description: 'the model folder to write' },
  ],
  options: {
    force: { type: 'boolean', description: 'replace the output folder if it exists' },
    quiet: { type: 'boolean', description: 'no progress bars' },
  },
  async run({ args, options, context }) {
    await convert({ checkpointDir: args['checkpoint-dir'], outDir: args['out-dir'], force: options.force, quiet: options.quiet }, context);
  },
});

export async function convert(plan: ConvertPlan, io: Pick<CliContext, 'stdout' | 'stderr'> = processContext): Promise<void> {
  const { checkpointDir, outDir } = plan;
  if (resolve(checkpointDir) === resolve(outDir)) {
    throw new ModelFolderError('MODEL_FOLDER_EXISTS', outDir, 'is the checkpoint folder itself; write the model folder somewhere else');
  }
  // Fail before reading 500 MB of weights, not after.
  if (!plan.force && (await exists(outDir))) {
    throw new ModelFolderError('MODEL_FOLDER_EXISTS', outDir, 'already exists; choose another folder, or pass --force to replace it');
  }
  const readBar = createProgressBar('read ', { unit: 'MB', scale: 1e6, stream: io.stderr, quiet: plan.quiet });
  const checkpoint = await loadHfCheckpoint(checkpointDir, { onProgress: (done, total) => readBar.update(done, total) });
  readBar.stop();
  const tokenizer = await checkpointTokenizer(checkpointDir, checkpoint.config);

  const writeBar = createProgressBar('write', { unit: 'MB', scale: 1e6, stream: io.stderr, quiet: plan.quiet });
  await writeModelFolder(
    outDir,
    { config: checkpoint.config, weights: checkpoint.weights, tokenizer: tokenizer.files },
    { overwrite: plan.force, onProgress: (done, total) => writeBar.update(done, total) },
  );
  writeBar.stop();
  const { nLayer, nHead, nEmbd, nPositions, vocabSize } = checkpoint.config;
  io.stdout.write(
    `wrote ${outDir}: GPT-2 ${nLayer} layers x ${nHead} heads x ${nEmbd}, ${nPositions} positions, vocab ${vocabSize}; ` +
      `${checkpoint.layout} keys, lm_head ${checkpoint.lmHead}; tokenizer: ${tokenizer.source}\n`,
  );
}

/**
 * The checkpoint's own tokenizer.json (with its tokenizer_config.json, or GPT-2's) when it has one, checked by
 * loading it; otherwise GPT-2's tokenizer, which only fits a model with at least GPT-2's 50,257 ids.
 */
async function checkpointTokenizer(dir: string, config: Gpt2Config): Promise<{ files: TokenizerFiles; source: string }> {
  const built = buildGpt2Tokenizer();
  // The longest input is the model's context, whatever tokenizer_config.json GPT-2 itself ships.
  const gpt2 = { ...built, tokenizerConfig: { ...built.tokenizerConfig, model_max_length: config.nPositions } };
  const jsonFile = join(dir, 'tokenizer.json');
  if (!(await exists(jsonFile))) {
    if (config.vocabSize < GPT2_VOCAB_SIZE) {
      throw new CheckpointError(
        'CHECKPOINT_BAD_CONFIG',
        join(dir, 'config.json'),
        `vocab_size ${config.vocabSize} is smaller than GPT-2's tokenizer (${GPT2_VOCAB_SIZE} ids) and the folder has no tokenizer.json`,
      );
    }
    return { files: gpt2, source: "GPT-2's (the checkpoint has no tokenizer.json)" };
  }
  const files = await readTokenizerFiles(dir, { defaultTokenizerConfig: gpt2.tokenizerConfig });
  createTokenizer(files, dir); // refuse, naming the file, what @huggingface/tokenizers cannot load
  return { files, source: jsonFile };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
