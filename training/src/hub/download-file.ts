import { open, rename, stat, unlink } from 'node:fs/promises';
import { expectedDigest, fileDigest, type ExpectedDigest } from './file-digest.js';
import { HubError } from './hub-error.js';
import { causeMessage, hubRequest, type HubFileMeta } from './hub-request.js';

export interface DownloadFileOptions {
  url: string;
  /** final path; the bytes arrive in `<dest>.part` and are renamed here once verified */
  dest: string;
  /** name in messages, e.g. `openai-community/gpt2/model.safetensors` */
  label: string;
  token?: string;
  /** tries per run; a dropped connection resumes from what the .part file already holds */
  attempts?: number;
  retryDelayMs?: number;
  onProgress?: (received: number, total: number | undefined) => void;
  /** the connection broke and the download goes on from `kept` bytes, try `attempt` of `attempts` */
  onRetry?: (info: { attempt: number; attempts: number; kept: number; reason: string }) => void;
  fetch?: typeof fetch;
}

export type DownloadOutcome =
  | { status: 'downloaded'; bytes: number; verified: ExpectedDigest['algorithm'] | 'size-only' | 'none'; resumedFrom: number; meta: HubFileMeta }
  | { status: 'missing' };

/**
 * Downloads one file from the hub with resume (HTTP Range from the `.part` file), retry on a dropped
 * connection, a checksum against the hub's ETag, and an atomic rename at the end. A 404 is `missing`, so
 * the caller decides whether the file was optional.
 */
export async function downloadFile(options: DownloadFileOptions): Promise<DownloadOutcome> {
  const part = `${options.dest}.part`;
  const attempts = options.attempts ?? 5;
  const resumedFrom = await sizeOf(part);
  let meta: HubFileMeta = {};
  for (let attempt = 1; ; attempt++) {
    const from = await sizeOf(part);
    const got = await hubRequest(options.url, { from, token: options.token, fetch: options.fetch });
    const { response } = got;
    meta = got.meta;
    if (response.status === 404) {
      await response.body?.cancel();
      return { status: 'missing' };
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new HubError(
        'HUB_AUTH',
        `${options.label}: the hub refused access (${response.status}); the repo may be private or gated: set HF_TOKEN`,
      );
    }
    if (response.status === 416 && meta.size !== undefined && from === meta.size) {
      await response.body?.cancel();
      break; // the .part already holds every byte
    }
    if (response.status !== 200 && response.status !== 206) {
      await response.body?.cancel();
      throw new HubError('HUB_HTTP', `${options.label}: the hub answered HTTP ${response.status}`);
    }
    // 206 must continue exactly where the .part ends; a 200 (Range ignored) starts the file over.
    const start = response.status === 206 ? rangeStart(response.headers.get('content-range')) : 0;
    if (start !== 0 && start !== from) {
      await response.body?.cancel();
      throw new HubError('HUB_HTTP', `${options.label}: asked for bytes from ${from}, the server sent from ${start}`);
    }
    const total = meta.size ?? contentTotal(response);
    try {
      await appendBody(part, start, response, total, options.onProgress);
      break;
    } catch (cause) {
      if (attempt >= attempts) {
        throw new HubError(
          'HUB_INTERRUPTED',
          `${options.label}: download interrupted (${causeMessage(cause)}) after ${attempts} tries; ` +
            `${await sizeOf(part)} bytes are kept in ${part}, run again to resume`,
          { cause },
        );
      }
      options.onRetry?.({ attempt: attempt + 1, attempts, kept: await sizeOf(part), reason: causeMessage(cause) });
      await new Promise((resolve) => setTimeout(resolve, (options.retryDelayMs ?? 1000) * attempt));
    }
  }
  const bytes = await sizeOf(part);
  if (meta.size !== undefined && bytes !== meta.size) {
    await unlink(part);
    throw new HubError('HUB_SIZE_MISMATCH', `${options.label}: got ${bytes} bytes, the hub said ${meta.size}; the partial file was deleted`);
  }
  const expected = expectedDigest(meta.etag);
  if (expected) {
    const actual = await fileDigest(part, expected.algorithm);
    if (actual !== expected.hex) {
      await unlink(part);
      throw new HubError(
        'HUB_CHECKSUM_MISMATCH',
        `${options.label}: ${expected.algorithm} is ${actual}, the hub's ETag says ${expected.hex}; the partial file was deleted, run again`,
      );
    }
  }
  await rename(part, options.dest);
  return { status: 'downloaded', bytes, verified: expected?.algorithm ?? (meta.size !== undefined ? 'size-only' : 'none'), resumedFrom, meta };
}

async function appendBody(
  part: string,
  start: number,
  response: Response,
  total: number | undefined,
  onProgress: DownloadFileOptions['onProgress'],
): Promise<void> {
  const file = await open(part, start === 0 ? 'w' : 'a');
  let received = start;
  try {
    onProgress?.(received, total);
    if (!response.body) return;
    const reader = response.body.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      await file.write(next.value);
      received += next.value.byteLength;
      onProgress?.(received, total);
    }
  } finally {
    await file.close();
  }
  if (total !== undefined && received < total) throw new Error(`connection closed at ${received} of ${total} bytes`);
}

function rangeStart(contentRange: string | null): number {
  const m = /^bytes (\d+)-/.exec(contentRange ?? '');
  return m ? Number(m[1]) : 0;
}

function contentTotal(response: Response): number | undefined {
  const m = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
  if (m) return Number(m[1]);
  const length = response.headers.get('content-length');
  return length === null ? undefined : Number(length);
}

async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.size,
    () => 0,
  );
}
