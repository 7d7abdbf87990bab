import { writeRandomModel, type RandomModelOptions } from '@mimicbot/training';

/**
 * A model folder the server loads: GPT-2's real tokenizer (so prompts tokenise as in production) and
 * random weights, 2 layers, 2 heads, 32 channels, context 512 unless `options.config` says otherwise.
 * `dir` must not exist yet.
 */
export async function writeTestModel(dir: string, options: RandomModelOptions = {}): Promise<string> {
  await writeRandomModel(dir, { seed: 7, ...options, config: { nPositions: 512, ...options.config } });
  return dir;
}
