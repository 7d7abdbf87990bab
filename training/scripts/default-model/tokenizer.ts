/**
 * The default model's vocabulary: a byte-level BPE learned from train.txt by our own trainer, written once
 * to <work>/tokenizer/ and reused on every later run, so a resumed training never sees its ids change.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { splitTrainingText } from '../../src/data/prepare-dataset.js';
import { tokenizerVocabulary } from '../../src/tokenizer/bpe-tokenizer.js';
import { learnBpeFolder } from '../../src/tokenizer/learn-bpe-folder.js';
import { readTokenizerFiles } from '@mimicbot/model-format';

export async function learnTokenizer(trainFile: string, dir: string, vocabSize: number, nPositions: number): Promise<string> {
  if (existsSync(join(dir, 'tokenizer.json'))) {
    const have = tokenizerVocabulary(await readTokenizerFiles(dir)).vocabSize;
    if (have !== vocabSize) throw new Error(`${dir} holds a ${have}-id tokenizer, not ${vocabSize}; delete it (and the run it trained) or pass --vocab-size ${have}`);
    return `${dir} (${have} ids, kept)`;
  }
  const posts = splitTrainingText(await readFile(trainFile, 'utf8'));
  const merges = await learnBpeFolder(posts, dir, { vocabSize, modelMaxLength: nPositions });
  return `${dir} (${vocabSize} ids, ${merges} merges, learned from ${posts.length} posts)`;
}
