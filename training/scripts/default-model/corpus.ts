/**
 * The default model's corpus: Debian's `fortunes` (apt-get install fortunes), every file but the ASCII
 * drawings (`ascii-art`; `off/`, the offensive ones, is a folder and never read).
 *   valid.txt  today's validation split, unchanged: 5% of the entries of at most 280 characters, by hash
 *   train.txt  the other 95%; the longer entries of the same files (same voice, same licence); and Ambrose
 *              Bierce's Devil's Dictionary (public domain, Debian's `dict-devil`), whose definitions the
 *              fortunes quote: more text in the bot's voice. Added text that quotes a validation entry is
 *              left out.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { splitByHash } from '../../src/data/dataset-split.js';
import { trainingText } from '../../src/data/prepare-dataset.js';
import { devilEntries } from '../../src/train/devil-dictionary.js';
import { fortuneCorpus, longFortunes, withoutHeldOut } from '../../src/train/fortune-corpus.js';

const SKIPPED_FILES = new Set(['ascii-art']);
const MAX_POST_CHARS = 280;
const VALID_FRACTION = 0.05;

export interface CorpusStats {
  files: number;
  train: number;
  long: number;
  devil: number;
  valid: number;
  /** UTF-8 bytes of the validation posts. */
  validBytes: number;
}

async function readFortuneFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    throw new Error(`${dir}: cannot list it; install the corpus with \`apt-get install fortunes\` or pass --fortunes DIR`);
  }
  const texts: string[] = [];
  for (const name of names) {
    const file = join(dir, name);
    if (name.includes('.') || SKIPPED_FILES.has(name) || !(await stat(file)).isFile()) continue; // .dat indexes, .u8 links, off/
    texts.push(await readFile(file, 'utf8'));
  }
  return texts;
}

async function readDevilsDictionary(dir: string): Promise<string[]> {
  try {
    return devilEntries(await readFile(join(dir, 'devil.index'), 'utf8'), gunzipSync(await readFile(join(dir, 'devil.dict.dz'))));
  } catch (cause) {
    throw new Error(`${dir}/devil.{index,dict.dz}: cannot read them (${(cause as Error).message}); install them with \`apt-get install dict-devil\` or pass --dictd DIR`);
  }
}

export async function writeCorpus(fortunesDir: string, dictdDir: string, dataDir: string): Promise<CorpusStats> {
  const texts = await readFortuneFiles(fortunesDir);
  const posts = fortuneCorpus(texts, { maxChars: MAX_POST_CHARS });
  const { train, valid } = splitByHash(posts, (p) => p, VALID_FRACTION);
  const long = withoutHeldOut(longFortunes(texts, { maxChars: MAX_POST_CHARS }), valid);
  const devil = withoutHeldOut(await readDevilsDictionary(dictdDir), valid);
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(dataDir, 'train.txt'), trainingText([...train, ...long, ...devil]));
  await writeFile(join(dataDir, 'valid.txt'), trainingText(valid));
  const validBytes = valid.reduce((n, p) => n + Buffer.byteLength(p), 0);
  return { files: texts.length, train: train.length, long: long.length, devil: devil.length, valid: valid.length, validBytes };
}
