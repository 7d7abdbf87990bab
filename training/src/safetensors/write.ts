import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { SafetensorsError } from '../errors.js';
import { encodeHeader } from './header.js';

export interface TensorToWrite {
  shape: readonly number[];
  data: Float32Array;
}

export interface WriteOptions {
  metadata?: Record<string, string>;
}

/**
 * Writes float32 tensors, in the map's order, as a safetensors file. The header and the tensors' own memory go
 * to the kernel with writev, so nothing is concatenated or copied. The file appears under its name only once
 * complete (written beside it, then renamed).
 */
export async function writeSafetensors(
  file: string,
  tensors: Map<string, TensorToWrite>,
  options: WriteOptions = {},
): Promise<void> {
  const entries = [...tensors].map(([name, { shape, data }]) => {
    const elements = shape.reduce((a, b) => a * b, 1);
    if (elements !== data.length) {
      throw new SafetensorsError(
        'SAFETENSORS_BAD_TENSOR',
        file,
        `tensor "${name}": shape [${shape.join(', ')}] has ${elements} elements but the data has ${data.length}`,
      );
    }
    return { name, dtype: 'F32', shape, byteLength: data.byteLength, data };
  });
  const buffers = [encodeHeader(entries, options.metadata), ...entries.map((e) => new Uint8Array(e.data.buffer, e.data.byteOffset, e.data.byteLength))];

  const partial = `${file}.partial-${process.pid}`;
  let handle: FileHandle | undefined;
  try {
    handle = await open(partial, 'w');
    await writeAll(handle, buffers);
    await handle.close();
    handle = undefined;
    await rename(partial, file);
  } catch (cause) {
    await handle?.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw new SafetensorsError('SAFETENSORS_IO', file, `cannot write: ${(cause as Error).message}`, { cause });
  }
}

/** What writeAll needs of a file handle. */
export interface VectorSink {
  writev(buffers: Uint8Array[]): Promise<{ bytesWritten: number }>;
}

// writev takes at most IOV_MAX (1024) buffers and may write less than asked; send batches, resume after short writes.
export async function writeAll(handle: VectorSink, buffers: Uint8Array[]): Promise<void> {
  buffers = [...buffers];
  const BATCH = 256;
  for (let i = 0; i < buffers.length; ) {
    const batch = buffers.slice(i, i + BATCH);
    const wanted = batch.reduce((sum, b) => sum + b.byteLength, 0);
    const { bytesWritten } = await handle.writev(batch);
    if (bytesWritten === 0 && wanted > 0) throw new Error('writev wrote nothing (disk full?)');
    if (bytesWritten === wanted) {
      i += batch.length;
      continue;
    }
    // Short write: skip the buffers fully written, trim the one written in part, and go again from there.
    let left = bytesWritten;
    while (left >= buffers[i].byteLength) left -= buffers[i++].byteLength;
    buffers[i] = buffers[i].subarray(left);
  }
}
