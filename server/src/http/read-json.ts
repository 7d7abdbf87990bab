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
  const text = await readLimited(c.req.raw.body, c.req.raw.signal, limits);
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

/** `clientGone` is the request's own signal: a body stream whose client left early may neither end nor fail. */
async function readLimited(body: ReadableStream<Uint8Array> | null, clientGone: AbortSignal, limits: BodyLimits): Promise<string> {
  if (body === null) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  let onGone: (() => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(bodyTimeout(limits.bodyTimeoutMs)), limits.bodyTimeoutMs);
    onGone = () => reject(clientClosedRequest());
    if (clientGone.aborted) onGone();
    else clientGone.addEventListener('abort', onGone, { once: true });
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), interrupted]);
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
    if (onGone) clientGone.removeEventListener('abort', onGone);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}
