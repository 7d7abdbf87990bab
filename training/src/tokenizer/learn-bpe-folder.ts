/**
 * Learns a byte-level BPE from texts and writes it as a tokenizer folder (tokenizer.json and
 * tokenizer_config.json, the files `train --tokenizer` and every loader read), with a progress bar while
 * the merges are learned.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createProgressBar } from '../progress.js';
import { bpeTokenizerFiles } from './bpe-tokenizer.js';
import { trainBpe } from './train-bpe.js';

export interface LearnBpeFolderOptions {
  vocabSize: number;
  /** Written as `model_max_length`: the model's context. */
  modelMaxLength: number;
  /** Where the progress bar draws (stderr by default; only a terminal shows it). */
  progress?: NodeJS.WriteStream;
}

/** Returns the number of merges learned. Throws when the texts cannot fill the vocabulary. */
export async function learnBpeFolder(texts: readonly string[], dir: string, options: LearnBpeFolderOptions): Promise<number> {
  const bar = createProgressBar('bpe', { unit: 'merges', stream: options.progress });
  const learned = trainBpe(texts, { vocabSize: options.vocabSize, onProgress: (done, wanted) => bar.update(done, wanted) });
  bar.stop();
  const ids = learned.tokens.length + 1;
  if (ids !== options.vocabSize) throw new Error(`only ${ids} ids learned, not ${options.vocabSize}: no pair occurs twice any more; ask for a smaller vocabulary`);
  const files = bpeTokenizerFiles(learned, options.modelMaxLength);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'tokenizer.json'), `${JSON.stringify(files.tokenizerJson)}\n`);
  await writeFile(join(dir, 'tokenizer_config.json'), `${JSON.stringify(files.tokenizerConfig, null, 2)}\n`);
  return learned.merges.length;
}
