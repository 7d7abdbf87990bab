import type { Context } from 'hono';
import { ApiError, bodyTimeout, clientClosedRequest, invalidField, payloadTooLarge } from './errors.js';

export interface BodyLimits {
  maxBodyBytes: number;
  /** The whole body must arrive within this many milliseconds. */
  bodyTimeoutMs: number;
}

/**
 * The request body as a JSON object, at most `maxBodyBytes` long (checked while reading, so a lying or
 * missing Content-Length cannot get more through) and received within `bodyTimeoutMs`. An empty body
 * reads as `{}`. A body that breaks off (the client went away) is the client's doing, not a server error.
 */
export async function readJsonObject(c: Context, limits: BodyLimits): Promise<Record<string, unknown>> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > limits.maxBodyBytes) throw payloadTooLarge(limits.maxBodyBytes);
  const text = await readLimited(c.req.raw.body, limits);
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

async function readLimited(body: ReadableStream<Uint8Array> | null, limits: BodyLimits): Promise<string> {
  if (body === null) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(bodyTimeout(limits.bodyTimeoutMs)), limits.bodyTimeoutMs);
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), stalled]);
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBodyBytes) throw payloadTooLarge(limits.maxBodyBytes);
      chunks.push(value);
    }
  } catch (error) {
    void reader.cancel().catch(() => {});
    // Anything else from the stream means the connection broke off mid-body.
    throw error instanceof ApiError ? error : clientClosedRequest();
  } finally {
    clearTimeout(timer);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}
