import type { Context } from 'hono';
import { invalidField, payloadTooLarge } from './errors.js';

/**
 * The request body as a JSON object, at most `maxBytes` long (checked while reading, so a lying or missing
 * Content-Length cannot get more through). An empty body reads as `{}`.
 */
export async function readJsonObject(c: Context, maxBytes: number): Promise<Record<string, unknown>> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > maxBytes) throw payloadTooLarge(maxBytes);
  const text = await readLimited(c.req.raw.body, maxBytes);
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidField('body', `not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidField('body', 'must be a JSON object');
  return value as Record<string, unknown>;
}

async function readLimited(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  if (body === null) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw payloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}
