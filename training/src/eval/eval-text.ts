/**
 * The text `eval` scores: a text file, or a dataset folder (`prepare`'s output, whose `valid.txt` is read).
 * Posts are separated by `<|endoftext|>` as `prepare` writes them; a plain text is one post. Reading is
 * bounded: a larger file is refused rather than loaded.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MimicbotFileError } from '../errors.js';
import { splitTrainingText } from '../data/prepare-dataset.js';

export const MAX_EVAL_TEXT_BYTES = 256 * 2 ** 20;

export class EvalDataError extends MimicbotFileError<'EVAL_DATA_NOT_FOUND' | 'EVAL_DATA_TOO_LARGE' | 'EVAL_DATA_EMPTY'> {}

export async function readEvalPosts(path: string): Promise<{ file: string; posts: string[] }> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new EvalDataError('EVAL_DATA_NOT_FOUND', path, 'no such file or folder');
  const file = info.isDirectory() ? join(path, 'valid.txt') : path;
  const fileInfo = info.isDirectory() ? await stat(file).catch(() => undefined) : info;
  if (!fileInfo) throw new EvalDataError('EVAL_DATA_NOT_FOUND', file, 'missing: a dataset folder is read for its valid.txt (what `prepare` writes)');
  if (fileInfo.size > MAX_EVAL_TEXT_BYTES) throw new EvalDataError('EVAL_DATA_TOO_LARGE', file, `is ${fileInfo.size} bytes; eval reads at most ${MAX_EVAL_TEXT_BYTES} (cut it, or use --max-tokens on a smaller file)`);
  const posts = splitTrainingText(await readFile(file, 'utf8'));
  if (posts.length === 0) throw new EvalDataError('EVAL_DATA_EMPTY', file, 'holds no text');
  return { file, posts };
}
