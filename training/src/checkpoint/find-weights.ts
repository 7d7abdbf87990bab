import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError } from '../errors.js';

const SINGLE = 'model.safetensors';
const INDEX = 'model.safetensors.index.json';
const NON_SAFETENSORS = ['pytorch_model.bin', 'pytorch_model.bin.index.json', 'tf_model.h5', 'flax_model.msgpack'];

/**
 * The safetensors files holding a checkpoint's weights: `model.safetensors`, or the shards named by
 * `model.safetensors.index.json`. Other weight formats get a message saying how to make safetensors, since
 * we do not unpickle PyTorch files (pickles can run code, and reading them needs PyTorch's zip layout).
 */
export async function findWeightFiles(dir: string): Promise<string[]> {
  const names = await listFolder(dir);
  if (names.includes(SINGLE)) return [join(dir, SINGLE)];
  if (names.includes(INDEX)) return shardFiles(dir, join(dir, INDEX));
  const other = NON_SAFETENSORS.find((name) => names.includes(name));
  if (other) {
    throw new CheckpointError(
      'CHECKPOINT_PYTORCH_ONLY',
      join(dir, other),
      `only safetensors weights can be converted; make ${SINGLE} once with Python: ` +
        `python -c "from transformers import AutoModelForCausalLM as M; ` +
        `M.from_pretrained('${dir}').save_pretrained('${dir}', safe_serialization=True)"`,
    );
  }
  throw new CheckpointError('CHECKPOINT_NOT_FOUND', dir, `no ${SINGLE} in this folder (is it a Hugging Face checkpoint?)`);
}

async function listFolder(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : `cannot read the folder (${code})`;
    throw new CheckpointError('CHECKPOINT_NOT_FOUND', dir, problem, { cause });
  }
}

async function shardFiles(dir: string, indexFile: string): Promise<string[]> {
  let index: unknown;
  try {
    index = JSON.parse(await readFile(indexFile, 'utf8'));
  } catch (cause) {
    throw new CheckpointError('CHECKPOINT_BAD_CONFIG', indexFile, `cannot read the shard index: ${(cause as Error).message}`, { cause });
  }
  const weightMap = (index as { weight_map?: unknown } | null)?.weight_map;
  if (typeof weightMap !== 'object' || weightMap === null || !Object.values(weightMap).every((v) => typeof v === 'string')) {
    throw new CheckpointError('CHECKPOINT_BAD_CONFIG', indexFile, '"weight_map" is missing or not an object of file names');
  }
  const shards = [...new Set(Object.values(weightMap as Record<string, string>))];
  for (const shard of shards) {
    if (shard.includes('/') || shard.includes('\\')) {
      throw new CheckpointError('CHECKPOINT_BAD_CONFIG', indexFile, `shard name ${JSON.stringify(shard)} is not a plain file name`);
    }
  }
  return shards.sort().map((shard) => join(dir, shard));
}
