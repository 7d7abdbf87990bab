/**
 * Writes a ModelProto to disk, moving the weights to an external data file when they would push the
 * protobuf past its 2 GB limit (gpt2-large and up). The file is `<model>.onnx_data`, the Hugging Face
 * name: optimum writes it and transformers.js looks for exactly that name. Weights are streamed from
 * their Float32Arrays in both cases: no joined copy of the model is ever made.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { basename, sep } from 'node:path';
import { isServerGraphFile } from '@mimicbot/model-format';
import { encodeModel, type ModelProto, type TensorProto } from './onnx-proto.js';

/** Weights above this many bytes go to external data: protobuf's 2 GiB limit, less room for the graph (but see writeOptionsFor). */
export const DEFAULT_EXTERNAL_DATA_THRESHOLD = 2 ** 31 - 2 ** 24;
/** Tensors smaller than this stay inside the model even in external mode (ONNX's own default). */
const EXTERNAL_MIN_TENSOR_BYTES = 1024;
/** Each external tensor starts on a page boundary, so onnxruntime can map it instead of reading it. */
const EXTERNAL_ALIGNMENT = 4096;

export interface WriteOnnxOptions {
  /** Write external data when the initializers' bytes exceed this (default: just under 2 GiB). */
  externalDataThresholdBytes?: number;
  /** Called as bytes reach the disk, with the total bytes to write. */
  onProgress?: (written: number, total: number) => void;
}

/**
 * How to write the graph that goes in a model folder as `file`. The server's own graphs (`server_decoder*.onnx`)
 * keep their weights in external data whatever their size: onnxruntime maps a page-aligned external data file
 * instead of copying the weights into memory, so the pre-packed copies MatMulNBits makes replace pages it no
 * longer touches rather than adding to a private copy (GPT-2 124M q4: the server at rest 332 MB instead of 408,
 * docs/quantization.md). Standard graphs stay one file unless past 2 GB, as other runtimes expect them.
 */
export function writeOptionsFor(file: string, options: WriteOnnxOptions = {}): WriteOnnxOptions {
  return isServerGraphFile(file.split(sep).join('/')) ? { ...options, externalDataThresholdBytes: 0 } : options;
}

export interface WrittenOnnx {
  /** Paths written: the model, and the external data file if there is one. */
  files: string[];
  externalData: boolean;
  bytes: number;
}

export async function writeOnnxModel(path: string, model: ModelProto, options: WriteOnnxOptions = {}): Promise<WrittenOnnx> {
  const threshold = options.externalDataThresholdBytes ?? DEFAULT_EXTERNAL_DATA_THRESHOLD;
  const weightBytes = model.graph.initializers.reduce((sum, t) => sum + (t.raw?.byteLength ?? 0), 0);
  const progress = new ProgressCounter(options.onProgress);
  if (weightBytes <= threshold) {
    const chunks = encodeModel(model);
    progress.total = chunks.length;
    await writeParts(path, chunks.parts, progress);
    return { files: [path], externalData: false, bytes: chunks.length };
  }

  const dataPath = externalDataPath(path);
  const location = basename(dataPath); // relative to the model file, as onnxruntime resolves it
  const external: { tensor: TensorProto; offset: number }[] = [];
  const initializers: TensorProto[] = [];
  let offset = 0;
  for (const t of model.graph.initializers) {
    if (!t.raw || t.raw.byteLength < EXTERNAL_MIN_TENSOR_BYTES) {
      initializers.push(t);
      continue;
    }
    offset = Math.ceil(offset / EXTERNAL_ALIGNMENT) * EXTERNAL_ALIGNMENT;
    external.push({ tensor: t, offset });
    initializers.push({ name: t.name, dataType: t.dataType, dims: t.dims, external: { location, offset, length: t.raw.byteLength } });
    offset += t.raw.byteLength;
  }
  const chunks = encodeModel({ ...model, graph: { ...model.graph, initializers } });
  progress.total = offset + chunks.length;

  const file = await open(dataPath, 'w');
  try {
    let at = 0;
    for (const { tensor, offset: start } of external) {
      if (start > at) await writeAll(file, new Uint8Array(start - at), progress);
      await writeAll(file, tensor.raw as Uint8Array, progress);
      at = start + (tensor.raw as Uint8Array).byteLength;
    }
  } finally {
    await file.close();
  }
  await writeParts(path, chunks.parts, progress);
  return { files: [path, dataPath], externalData: true, bytes: progress.written };
}

/** Where writeOnnxModel puts the external data of the model at `path`. */
export function externalDataPath(path: string): string {
  return `${path}_data`;
}

class ProgressCounter {
  written = 0;
  total = 0;
  constructor(private readonly report?: (written: number, total: number) => void) {}
  add(bytes: number): void {
    this.written += bytes;
    this.report?.(this.written, this.total);
  }
}

async function writeParts(path: string, parts: readonly Uint8Array[], progress: ProgressCounter): Promise<void> {
  const file = await open(path, 'w');
  try {
    // Small protobuf pieces go out together (writev takes at most IOV_MAX = 1024 buffers); weights alone.
    let batch: Uint8Array[] = [];
    let batchBytes = 0;
    const flush = async (): Promise<void> => {
      await writeAllv(file, batch);
      progress.add(batchBytes);
      batch = [];
      batchBytes = 0;
    };
    for (const part of parts) {
      if (part.byteLength >= 2 ** 20) {
        await flush();
        await writeAll(file, part, progress);
        continue;
      }
      batch.push(part);
      batchBytes += part.byteLength;
      if (batch.length === 1024) await flush();
    }
    await flush();
  } finally {
    await file.close();
  }
}

/** writev may write less than asked (large buffers); keep going until every byte is out. */
async function writeAllv(file: FileHandle, parts: Uint8Array[]): Promise<void> {
  let pending = parts;
  while (pending.length > 0) {
    let { bytesWritten } = await file.writev(pending);
    const rest: Uint8Array[] = [];
    for (const p of pending) {
      if (bytesWritten >= p.byteLength) bytesWritten -= p.byteLength;
      else {
        rest.push(p.subarray(bytesWritten));
        bytesWritten = 0;
      }
    }
    pending = rest;
  }
}

/** Large tensors are written in 64 MiB slices so progress moves and no single write is huge. */
async function writeAll(file: FileHandle, bytes: Uint8Array, progress: ProgressCounter): Promise<void> {
  const slice = 64 * 2 ** 20;
  for (let at = 0; at < bytes.byteLength; at += slice) {
    const part = bytes.subarray(at, Math.min(at + slice, bytes.byteLength));
    await writeAllv(file, [part]);
    progress.add(part.byteLength);
  }
}
