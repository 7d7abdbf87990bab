/**
 * What the default folder ships, and its size as the repository stores it. Git keeps one blob per distinct
 * content, so model.onnx and onnx/model.onnx (the same bytes, for transformers.js's layout) count once.
 *
 * The budget: 25 MB for two fp32 graphs, the standard one (model.onnx: `sample`, transformers.js, any
 * optimum tool) and the server's own (server_decoder.onnx), which caps the model at ~3M parameters. No
 * quantized graphs in this folder: at this size fp32 decodes a token in well under a millisecond, and
 * `mimicbot quantize` can write them next to a copy when wanted.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export const MAX_FOLDER_BYTES = 25e6;
export const SHIPPED_GRAPHS = ['model.onnx', 'onnx/model.onnx', 'server_decoder.onnx'];

export interface FolderBudget {
  /** Paths relative to the folder. */
  files: string[];
  /** Bytes of distinct contents: what the repository stores. */
  uniqueBytes: number;
  /** Bytes on disk in a checkout. */
  diskBytes: number;
}

export async function folderBudget(dir: string): Promise<FolderBudget> {
  const files: string[] = [];
  const digests = new Map<string, number>();
  let diskBytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path);
    files.push(relative(dir, path));
    diskBytes += bytes.length;
    digests.set(createHash('sha256').update(bytes).digest('hex'), bytes.length);
  }
  const uniqueBytes = [...digests.values()].reduce((a, b) => a + b, 0);
  return { files: files.sort(), uniqueBytes, diskBytes };
}
