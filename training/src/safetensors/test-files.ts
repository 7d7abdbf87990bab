import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Test helper: the bytes of a safetensors file with any header (object or raw text) and data, valid or not. */
export function rawSafetensors(header: object | string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const out = Buffer.alloc(8 + json.length + data.length);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  out.set(data, 8 + json.length);
  return out;
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mimicbot-safetensors-'));
}

export async function writeBytes(file: string, bytes: Uint8Array): Promise<string> {
  await writeFile(file, bytes);
  return file;
}
