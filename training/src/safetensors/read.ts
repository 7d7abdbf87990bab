import { open, type FileHandle } from 'node:fs/promises';
import { SafetensorsError } from '../errors.js';
import { bf16ToF32, f16ToF32, isFloatDtype } from './dtypes.js';
import { parseHeader, parseHeaderLength, type SafetensorsHeader, type TensorInfo } from './header.js';

/**
 * Reads safetensors files as float32 without a second copy of the weights: each tensor is read from the file
 * straight into its own Float32Array (F32), or into one reused scratch buffer that is converted once (F16,
 * BF16). Nothing holds the whole file, so files past the 2-4 GB Buffer limit read too, and peak memory is the
 * float32 weights plus the largest half-precision tensor.
 */
export interface SafetensorsReader extends SafetensorsHeader {
  file: string;
  /** Reads one tensor as float32. */
  read(name: string): Promise<Float32Array>;
  /**
   * Reads one tensor as float32 in pieces of at most `chunkElements`, through one reused buffer (each piece is
   * valid until the next is asked for): to scan a tensor without holding all of it.
   */
  readChunks(name: string, chunkElements?: number): AsyncGenerator<Float32Array>;
  close(): Promise<void>;
}

/** Opens a file and validates its whole header against its size; tensor data is read on demand. */
export async function openSafetensors(file: string): Promise<SafetensorsReader> {
  assertLittleEndian();
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (cause) {
    throw new SafetensorsError('SAFETENSORS_IO', file, `cannot open: ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause });
  }
  try {
    const { size } = await handle.stat();
    const prefix = await readExactly(handle, file, new Uint8Array(Math.min(8, size)), 0);
    const headerLength = parseHeaderLength(file, prefix, size);
    const json = await readExactly(handle, file, new Uint8Array(headerLength), 8);
    const header = parseHeader(file, json, size);
    let scratch: Uint8Array | undefined;
    const floatTensor = (name: string) => {
      const info = header.tensors.get(name);
      if (!info) throw new SafetensorsError('SAFETENSORS_BAD_TENSOR', file, `no tensor named "${name}"`);
      if (!isFloatDtype(info.dtype)) {
        throw new SafetensorsError('SAFETENSORS_BAD_DTYPE', file, `tensor "${name}": dtype ${info.dtype} cannot be read as float32`);
      }
      return { ...info, dtype: info.dtype, elementBytes: info.dtype === 'F32' ? 4 : 2 };
    };
    // Reads `count` elements from `fileOffset` into `out` (float32), converting half precision through `scratch`.
    const readInto = async (out: Float32Array, dtype: string, fileOffset: number) => {
      if (dtype === 'F32') {
        await readExactly(handle, file, new Uint8Array(out.buffer, out.byteOffset, out.byteLength), fileOffset);
        return;
      }
      const byteLength = out.length * 2;
      if (!scratch || scratch.byteLength < byteLength) scratch = new Uint8Array(byteLength);
      const bytes = await readExactly(handle, file, scratch.subarray(0, byteLength), fileOffset);
      (dtype === 'F16' ? f16ToF32 : bf16ToF32)(new Uint16Array(bytes.buffer, 0, out.length), out);
    };
    const read = async (name: string): Promise<Float32Array> => {
      const info = floatTensor(name);
      const out = new Float32Array(info.byteLength / info.elementBytes);
      await readInto(out, info.dtype, info.fileOffset);
      return out;
    };
    async function* readChunks(name: string, chunkElements = 1 << 22): AsyncGenerator<Float32Array> {
      const info = floatTensor(name);
      const total = info.byteLength / info.elementBytes;
      const chunk = new Float32Array(Math.min(chunkElements, total));
      for (let start = 0; start < total; start += chunk.length) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - start));
        await readInto(piece, info.dtype, info.fileOffset + start * info.elementBytes);
        yield piece;
      }
    }
    return { ...header, file, read, readChunks, close: () => handle.close() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

export interface ReadOptions {
  /** Called after each tensor with the bytes read so far and the total. */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/** Reads every tensor of a file as float32, in file order. */
export async function readSafetensors(file: string, options: ReadOptions = {}): Promise<Map<string, Float32Array>> {
  const reader = await openSafetensors(file);
  try {
    const infos = fileOrder(reader.tensors);
    const total = infos.reduce((sum, t) => sum + t.byteLength, 0);
    const out = new Map<string, Float32Array>();
    let done = 0;
    for (const info of infos) {
      out.set(info.name, await reader.read(info.name));
      done += info.byteLength;
      options.onProgress?.(done, total);
    }
    return out;
  } finally {
    await reader.close();
  }
}

export function fileOrder(tensors: Map<string, TensorInfo>): TensorInfo[] {
  return [...tensors.values()].sort((a, b) => a.fileOffset - b.fileOffset);
}

// One read() may return less than asked (and at most ~2 GB on Linux); loop until the view is full.
async function readExactly(handle: FileHandle, file: string, view: Uint8Array, position: number): Promise<Uint8Array> {
  let done = 0;
  while (done < view.byteLength) {
    const { bytesRead } = await handle.read(view, done, Math.min(view.byteLength - done, 1 << 30), position + done);
    if (bytesRead === 0) {
      throw new SafetensorsError('SAFETENSORS_TRUNCATED', file, `truncated: the file ended at byte ${position + done} while reading`);
    }
    done += bytesRead;
  }
  return view;
}

function assertLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error('safetensors are little-endian; this reader does not support big-endian hosts');
  }
}
