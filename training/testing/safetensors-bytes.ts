import { writeFile } from 'node:fs/promises';

/** The bytes of a safetensors file with any header (object or raw text) and data, valid or not. */
export function rawSafetensors(header: object | string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const out = Buffer.alloc(8 + json.length + data.length);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Writes `bytes` to `file` and returns the path, so a test can build and name a file in one expression. */
export async function writeBytes(file: string, bytes: Uint8Array): Promise<string> {
  await writeFile(file, bytes);
  return file;
}
