/**
 * Reading the small files of a model folder without trusting them: at most `maxBytes` are ever read (a
 * config.json of 1 GB, a FIFO or /dev/zero in its place are refused after `maxBytes + 1` bytes), and JSON
 * that does not parse is reported without echoing its bytes.
 */
import { open } from 'node:fs/promises';
import { ModelFolderError, type ModelFolderErrorCode } from './model-folder-error.js';
import { looksBinary, printable } from './printable.js';

export interface BoundedReadOptions {
  maxBytes: number;
  /** The code for a missing file (and for one that cannot be opened). */
  notFound: ModelFolderErrorCode;
  /** The code for unreadable contents: not UTF-8 text, not JSON, not an object. */
  invalid: ModelFolderErrorCode;
  /** Said after "missing" when the file is not there, e.g. "is this a model folder?". */
  missingHint?: string;
}

/** The file's text, or undefined when it does not exist and `optional` is set. */
export async function readBoundedText(file: string, options: BoundedReadOptions & { optional: true }): Promise<string | undefined>;
export async function readBoundedText(file: string, options: BoundedReadOptions & { optional?: false }): Promise<string>;
export async function readBoundedText(file: string, options: BoundedReadOptions & { optional?: boolean }): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.optional) return undefined;
    const problem = code === 'ENOENT' ? `missing${options.missingHint ? `: ${options.missingHint}` : ''}` : `cannot open it (${code ?? 'unknown error'})`;
    throw new ModelFolderError(options.notFound, file, problem, { cause });
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new ModelFolderError(options.invalid, file, 'is a folder, expected a file');
    if (stat.size > options.maxBytes) throw tooLarge(file, stat.size, options.maxBytes);
    // The size can lie (a FIFO, /dev/zero, a file still growing): read to the end, never past maxBytes + 1.
    let buffer = Buffer.alloc(Math.min(options.maxBytes + 1, Math.max(stat.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > options.maxBytes) throw tooLarge(file, length, options.maxBytes, true);
        const grown = Buffer.alloc(Math.min(options.maxBytes + 1, buffer.length * 2));
        buffer.copy(grown);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    await handle.close();
  }
}

function tooLarge(file: string, size: number, maxBytes: number, atLeast = false): ModelFolderError {
  return new ModelFolderError('FILE_TOO_LARGE', file, `is ${atLeast ? 'more than ' : ''}${formatBytes(atLeast ? maxBytes : size)}; the most read from this file is ${formatBytes(maxBytes)}`);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1).replace(/\.0$/, '')} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1).replace(/\.0$/, '')} GiB`;
}

/** Parses JSON text that must hold an object; the error names the file and never quotes binary bytes. */
export function parseJsonObject(text: string, file: string, code: ModelFolderErrorCode): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const problem = looksBinary(text) ? 'not JSON: the file holds binary data' : `invalid JSON: ${printable((cause as Error).message, 160)}`;
    throw new ModelFolderError(code, file, problem, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelFolderError(code, file, `expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

/** readBoundedText + parseJsonObject. */
export async function readJsonObject(file: string, options: BoundedReadOptions & { optional: true }): Promise<Record<string, unknown> | undefined>;
export async function readJsonObject(file: string, options: BoundedReadOptions & { optional?: false }): Promise<Record<string, unknown>>;
export async function readJsonObject(file: string, options: BoundedReadOptions & { optional?: boolean }): Promise<Record<string, unknown> | undefined> {
  const text = await readBoundedText(file, options as BoundedReadOptions & { optional: true });
  return text === undefined ? undefined : parseJsonObject(text, file, options.invalid);
}
