import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TokenizerFiles } from '@mimicbot/model-format';
import { makeTempDir } from './temp-dir.js';

/** Writes tokenizer files to a fresh temporary folder and returns its path. */
export async function writeTokenizerFolder(files: TokenizerFiles): Promise<string> {
  const dir = await makeTempDir('mimicbot-tokenizer-');
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(files.tokenizerJson));
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(files.tokenizerConfig));
  return dir;
}
